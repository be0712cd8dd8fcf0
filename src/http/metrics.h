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
/* The whole exposition as text in the arena; parked is the long-polls
 * waiting now (longpoll_parked: the caller asks, so metrics sits below the
 * long-poll code rather than beside it). */
char *metrics_render(kefu_arena *a, int64_t parked);

#endif
