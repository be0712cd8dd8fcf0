/* store-metrics: installation-wide gauges read at scrape time (queues, live conversations). */
#ifndef KEFU_STORE_METRICS_H
#define KEFU_STORE_METRICS_H

#include "store/db.h"

/* Prometheus lines for the queue length of every (tenant, group) with a queue
 * and the live conversations per tenant, in the arena. Read from the database
 * so every worker reports the same figures. */
kefu_err db_metrics_text(struct kefu_db *db, kefu_arena *a, char **text);

#endif
