/* events-poll: what every event stream of the API (agent, conversation, visitor) does around http/longpoll.h. */
#ifndef KEFU_EVENTS_POLL_H
#define KEFU_EVENTS_POLL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "http/request.h"

/* The query of a poll: after (>= 0, default 0) and wait (>= 0, default 0; more than 30, the documented most, is 30). */
kefu_err events_poll_params(struct kefu_req *r, int64_t *after, int *wait_s);

/*
 * A poll's answer from one page of events, for a poll_fetch (http/longpoll.h): 200 {"events", "next"}, or, while the
 * page is empty and the wait not over (final false), nothing yet (*answered false, events freed) so the request stays
 * parked. Takes events.
 */
kefu_err events_poll_answer(struct kefu_req *r, json_object *events, int64_t next, bool final, bool *answered);

#endif
