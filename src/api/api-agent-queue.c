/* api-agent-queue: the queues an agent can take from (GET /agent/queue) and taking a queued conversation. */
#include <json-c/json.h>

#include "domain/assign.h"
#include "domain/conversations.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"

static json_object *queued(const void *row)
{
	(void)row;
	return json_object_new_string("queued");
}

static const struct json_field visitor_fields[] = {
    JSON_FIELD_AS("id", struct queue_view, visitor_id, I64),
    JSON_FIELD_AS("name", struct queue_view, visitor_name, STR),
    JSON_FIELD(struct queue_view, page_url, STR),
};

static json_object *queue_visitor(const void *row)
{
	return JSON_VIEW((const struct queue_view *)row, visitor_fields);
}

/* A queued conversation as the agent's queue list shows it. */
static const struct json_field queue_fields[] = {
    JSON_FIELD_AS("id", struct queue_view, e.conversation_id, I64),
    JSON_FIELD_FN("status", queued),
    JSON_FIELD_AS("group_id", struct queue_view, e.group_id, ID),
    JSON_FIELD_AS("rule_id", struct queue_view, e.rule_id, ID),
    JSON_FIELD_AS("queue_position", struct queue_view, position, I64),
    JSON_FIELD_AS("enqueued_at", struct queue_view, e.enqueued_at, TIME),
    JSON_FIELD_AS("waiting_seconds", struct queue_view, e.waiting_s, I64),
    JSON_FIELD(struct queue_view, channel_id, I64),
    JSON_FIELD(struct queue_view, created_at, TIME),
    JSON_FIELD_FN("visitor", queue_visitor),
    /* As in the conversation list: a guest's pre-chat name names them. */
    JSON_FIELD(struct queue_view, prechat, OBJECT),
};

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
	return resp_json(r, 200, json_items(JSON_ROWS(rows, n, queue_fields)));
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
