/* api-typing: typing signals from the widget and the workbench (throttled events; see domain/receipts.h for why they go
 * through the database). */
#include <json-c/json.h>

#include "api/conv-actions.h"
#include "core/json-doc.h"
#include "domain/receipts.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err typing(struct kefu_req *r, const struct conv_actor *who)
{
	bool on = true, sent = false;
	const char *bad = NULL;
	kefu_err e = jb_bool(r->json, "typing", false, &on, NULL, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if ((e = receipts_typing(r->db, r->arena, who, r->ids[0], on, &sent)) != KEFU_OK)
		return e;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "typing", json_object_new_boolean(on));
	/* false: dropped, the same side signalled moments ago. */
	json_object_object_add(o, "sent", json_object_new_boolean(sent));
	json_object_object_add(o, "interval_ms", json_object_new_int(TYPING_INTERVAL_MS));
	return resp_json(r, 200, o);
}

static kefu_err widget_typing(struct kefu_req *r)
{
	struct conv_actor who = {
	    .kind = CONV_VISITOR, .tenant_id = r->caller.tenant_id, .visitor_id = r->caller.visitor_id};
	return typing(r, &who);
}

static kefu_err agent_typing(struct kefu_req *r)
{
	struct conv_actor who = conv_agent_actor(r);
	return typing(r, &who);
}

const struct route api_typing_routes[] = {
    {"POST", "/api/v1/widget/conversations/{id}/typing", widget_typing, AUTH_VISITOR, BODY_JSON},
    {"POST", "/api/v1/agent/conversations/{id}/typing", agent_typing, AUTH_STAFF, BODY_JSON},
    ROUTES_END,
};
