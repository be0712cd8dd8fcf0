/* events-poll: the query and the answer every event stream of the API shares (agent, conversation, visitor). */
#include "api/events-poll.h"

#include "http/response.h"

kefu_err events_poll_params(struct kefu_req *r, int64_t *after, int *wait_s)
{
	int64_t wait;
	kefu_err e = req_query_int(r, "after", 0, INT64_MAX, 0, after);
	if (e == KEFU_OK)
		e = req_query_int(r, "wait", 0, INT64_MAX, 0, &wait);
	if (e == KEFU_OK)
		*wait_s = wait > 30 ? 30 : (int)wait;
	return e;
}

kefu_err events_poll_answer(struct kefu_req *r, json_object *events, int64_t next, bool final, bool *answered)
{
	if (json_object_array_length(events) == 0 && !final) {
		json_object_put(events);
		*answered = false;
		return KEFU_OK;
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "events", events);
	json_object_object_add(o, "next", json_object_new_int64(next));
	*answered = true;
	return resp_json(r, 200, o);
}
