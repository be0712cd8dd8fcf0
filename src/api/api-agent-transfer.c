/* api-agent-transfer: POST /agent/conversations/{id}/transfer to an agent ({"user_id"}) or a group ({"group_id"}). */
#include <json-c/json.h>

#include "core/json-doc.h"
#include "domain/assign.h"
#include "domain/conversations.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err transfer(struct kefu_req *r)
{
	int64_t to_user = 0, to_group = 0;
	bool has_user = false, has_group = false;
	const char *bad = NULL;
	kefu_err e = jb_id(r->json, "user_id", false, &to_user, &has_user, &bad);
	if (e == KEFU_OK)
		e = jb_id(r->json, "group_id", false, &to_group, &has_group, &bad);
	if (e == KEFU_OK && has_user == has_group) {
		e = KEFU_E_INVALID_FIELD; /* exactly one target */
		bad = "user_id";
	}
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	struct conversation_row c;
	e = assign_transfer(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, r->caller.admin, r->ids[0],
	                    has_user ? to_user : 0, has_group ? to_group : 0, &bad, &c);
	if (e == KEFU_E_INVALID_FIELD)
		return req_fail(r, e, bad, NULL);
	if (e == KEFU_E_CAPACITY)
		return req_fail(r, e, NULL, "that agent is at the maximum of concurrent conversations");
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
