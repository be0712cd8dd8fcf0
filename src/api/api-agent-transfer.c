/* api-agent-transfer: POST /agent/conversations/{id}/transfer to an agent ({"user_id"}) or a group ({"group_id"}). */
#include <json-c/json.h>

#include "api/conv-actions.h"
#include "domain/assign.h"
#include "domain/conversations.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err transfer(struct kefu_req *r)
{
	struct conversation_row c;
	kefu_err e = conv_action_transfer(r, NULL, &c);
	if (e != KEFU_OK)
		return e;
	json_object *o = conv_json(&c);
	int64_t pos = 0;
	if (assign_queue_position(r->db, r->arena, r->caller.tenant_id, c.id, &pos) == KEFU_OK && pos > 0)
		json_object_object_add(o, "queue_position", json_object_new_int64(pos));
	return resp_json(r, 200, o);
}

const struct route api_agent_transfer_routes[] = {
    {"POST", "/api/v1/agent/conversations/{id}/transfer", transfer, AUTH_STAFF, BODY_JSON},
    ROUTES_END,
};
