/* api-agent-status: an agent sets its availability (only online agents get new conversations). */
#include <json-c/json.h>

#include "core/json-doc.h"
#include "domain/assign.h"
#include "domain/org-read.h"
#include "http/response.h"
#include "http/router.h"

static json_object *status_json(const struct kefu_req *r, const char *status)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->caller.user_id));
	json_object_object_add(o, "name", json_object_new_string(r->caller.name ? r->caller.name : ""));
	json_object_object_add(o, "role", json_object_new_string(r->caller.role ? r->caller.role : "agent"));
	json_object_object_add(o, "status", json_object_new_string(status));
	return o;
}

static kefu_err get_status(struct kefu_req *r)
{
	struct user_row u;
	kefu_err e = org_user_row(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, &u);
	return e != KEFU_OK ? e : resp_json(r, 200, status_json(r, u.status ? u.status : "offline"));
}

static kefu_err set_status(struct kefu_req *r)
{
	static const char *const statuses[] = {"online", "away", "offline", NULL};
	const char *status, *bad = NULL;
	kefu_err e = jb_enum(r->json, "status", true, statuses, &status, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	/* Coming online drains the queues the agent can serve, in the same transaction. */
	e = assign_set_agent_status(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, status, false);
	if (e != KEFU_OK)
		return e;
	return resp_json(r, 200, status_json(r, status));
}

const struct route api_agent_status_routes[] = {
    {"GET", "/api/v1/agent/status", get_status, AUTH_STAFF, BODY_NONE},
    {"PUT", "/api/v1/agent/status", set_status, AUTH_STAFF, BODY_JSON},
    ROUTES_END,
};
