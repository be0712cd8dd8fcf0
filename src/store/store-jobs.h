/* store-jobs: SQL for claiming a run of a periodic job, so that one worker of all runs it each time. */
#ifndef KEFU_STORE_JOBS_H
#define KEFU_STORE_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/*
 * Claim the run of job `name` that is due: one guarded UPDATE of its row
 * (next_run_at := now + interval_ms, owner := owner WHERE next_run_at <= now),
 * autocommitted. *claimed is true for exactly one caller per due run, across
 * processes and hosts, and on a Galera cluster as well (a certification
 * conflict is a deadlock error: not claimed). The row is created on first use.
 * A next run more than one interval ahead (the database's clock was stepped
 * back) is due at once. *row_known (in and out): the row is known to exist
 * (rows are never deleted), so a run not due yet costs no INSERT to make
 * sure of it. *due_in_ms: how long until the next run is due, as far as the
 * row says (interval_ms after a claim; read from the row when another
 * claimant had it; 0 when unknown), so that the caller asks again only then.
 */
kefu_err db_job_claim(struct kefu_db *db, const char *name, int64_t interval_ms, const char *owner, bool *row_known,
                      bool *claimed, int64_t *due_in_ms);

#endif
