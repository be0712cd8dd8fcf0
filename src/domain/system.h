/* system: the database's health and gauges for /healthz and /metrics. */
#ifndef KEFU_DOMAIN_SYSTEM_H
#define KEFU_DOMAIN_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-metrics.h"

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_ping (store/db.h). */
kefu_err system_db_ping(struct kefu_db *db);

/* As db_metrics_text (store/store-metrics.h). */
kefu_err system_metrics_text(struct kefu_db *db, kefu_arena *a, char **text);

#endif
