/* metrics: in-process counters for /metrics (Prometheus text format). */
#ifndef KEFU_METRICS_H
#define KEFU_METRICS_H

#include <stdint.h>

#include "core/arena.h"

struct route;

/* Called by the server for every answered request (route may be NULL). */
void metrics_request(const struct route *route, int status, double ms);
void metrics_inflight(int delta);
void metrics_db_error(void);
/* Named counters and gauges other modules own (long-polls, assignments). */
void metrics_count(const char *name, int64_t delta);

/* The whole exposition as text in the arena. */
char *metrics_render(kefu_arena *a);

#endif
