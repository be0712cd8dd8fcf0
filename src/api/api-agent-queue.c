/* api-agent-queue: the queues an agent can take from (GET /agent/queue) and taking a queued conversation. */
#include <json-c/json.h>

#include "domain/assign.h"
#include "domain/conversations.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err queue(struct kefu_req *r)
{
	int64_t *groups;
	size_t ng;
	kefu_err e =
	    assign_user_groups(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, r->caller.admin, &groups, &ng);
	struct queue_view *rows = NULL;
	size_t n = 0;
	if (e == KEFU_OK)
		e = assign_queue_for_groups(r->db, r->arena, r->caller.tenant_id, groups, ng, &rows, &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		const struct queue_view *q = &rows[i];
		json_object *o = json_object_new_object(), *v = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(q->e.conversation_id));
		json_object_object_add(o, "status", json_object_new_string("queued"));
		json_object_object_add(o, "group_id", json_id(q->e.group_id));
		json_object_object_add(o, "rule_id", json_id(q->e.rule_id));
		json_object_object_add(o, "queue_position", json_object_new_int64(q->position));
		json_object_object_add(o, "enqueued_at", json_time(q->e.enqueued_at));
		json_object_object_add(o, "waiting_seconds", json_object_new_int64(q->e.waiting_s));
		json_object_object_add(o, "channel_id", json_object_new_int64(q->channel_id));
		json_object_object_add(o, "created_at", json_time(q->created_at));
		json_object_object_add(v, "id", json_object_new_int64(q->visitor_id));
		json_object_object_add(v, "name", q->visitor_name ? json_object_new_string(q->visitor_name) : NULL);
		json_object_object_add(v, "page_url", q->page_url ? json_object_new_string(q->page_url) : NULL);
		json_object_object_add(o, "visitor", v);
		/* As in the conversation list: a guest's pre-chat name names them. */
		json_object *pre = q->prechat ? json_tokener_parse(q->prechat) : NULL;
		json_object_object_add(o, "prechat", pre ? pre : json_object_new_object());
		json_object_array_add(items, o);
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "items", items);
	return resp_json(r, 200, o);
}

static kefu_err take(struct kefu_req *r)
{
	struct conversation_row c;
	kefu_err e =
	    assign_take(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, r->caller.admin, r->ids[0], &c);
	if (e == KEFU_E_CAPACITY)
		return req_fail(r, e, NULL, "you are at the maximum of concurrent conversations");
	return e != KEFU_OK ? e : resp_json(r, 200, conv_json(&c));
}

const struct route api_agent_queue_routes[] = {
    {"GET", "/api/v1/agent/queue", queue, AUTH_STAFF, BODY_NONE},
    {"POST", "/api/v1/agent/conversations/{id}/take", take, AUTH_STAFF, BODY_JSON},
    ROUTES_END,
};
