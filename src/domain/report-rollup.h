/* report-rollup: the housekeeping job that keeps the reports' message counts rolled up (schema/0026). */
#ifndef KEFU_DOMAIN_REPORT_ROLLUP_H
#define KEFU_DOMAIN_REPORT_ROLLUP_H

#include "store/db.h"

/* Messages added up per batch, batches per run, and how old a message must be to be rolled up (seconds). */
#define REPORT_ROLLUP_BATCH   20000
#define REPORT_ROLLUP_BATCHES 10
#define REPORT_ROLLUP_LAG_S   60
#define REPORT_ROLLUP_MS      2000

/* One run (claimed by housekeeping): up to REPORT_ROLLUP_BATCHES batches, fewer when caught up. */
void report_rollup_tick(struct kefu_db *db);

#endif
