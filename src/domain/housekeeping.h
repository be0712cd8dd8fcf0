/* housekeeping: the periodic jobs of all workers, each run claimed by one worker of all. */
#ifndef KEFU_HOUSEKEEPING_H
#define KEFU_HOUSEKEEPING_H

#include "core/conf.h"
#include "store/db.h"

/*
 * A periodic job: fn runs on the housekeeping thread's own connection.
 * Every worker process has that thread, and every HOUSEKEEPING_TICK_MS it
 * tries to claim each job that is due (store/store-jobs.h: one guarded
 * UPDATE of the job's row in `jobs`); only the claimant runs it. A job
 * another worker ran is asked for again when its row says it is due, and
 * within 5 s at the latest. So a job
 * runs about once per interval_ms in the whole installation, whatever the
 * number of workers and hosts. A run is not a lock: a run longer than its
 * interval may overlap the next, so a job must still be safe to run twice
 * at once (guard each change it makes, as presence_sweep does).
 */
typedef void (*housekeeping_fn)(struct kefu_db *db);

#define HOUSEKEEPING_TICK_MS 500

/* Add a job (before housekeeping_start; name at most 64 bytes, unique;
 * the built-in ones are listed in housekeeping.c). 0, or -1 when the table
 * is full or started. */
int housekeeping_register(const char *name, int interval_ms, housekeeping_fn fn);

/* Start the process's housekeeping thread (once; signals must already be
 * blocked, see server_block_signals). conf must outlive housekeeping_stop.
 * 0, or -1 when the thread cannot start (logged). */
int housekeeping_start(const struct kefu_conf *conf);

/* Stop the thread and wait for it (the job it runs, if any, finishes
 * first): before mysql_library_end. Does nothing if it never started. */
void housekeeping_stop(void);

#endif
