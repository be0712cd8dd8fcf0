/* api-presence: the workbench's heartbeat (activity and liveness) and the tenant's presence thresholds. */
#include <json-c/json.h>

#include "core/json-doc.h"
#include "domain/presence.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err settings_answer(struct kefu_req *r, int64_t away, int64_t offline)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "away_after_s", json_object_new_int64(away));
	json_object_object_add(o, "offline_after_s", json_object_new_int64(offline));
	json_object_object_add(o, "heartbeat_s", json_object_new_int(PRESENCE_BEAT_S));
	return resp_json(r, 200, o);
}

static kefu_err beat(struct kefu_req *r)
{
	bool active = false;
	const char *bad = NULL, *status;
	kefu_err e = jb_bool(r->json, "active", false, &active, NULL, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if ((e = presence_beat(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, active, &status)) != KEFU_OK)
		return e;
	int64_t away, offline;
	if ((e = presence_settings_get(r->db, r->arena, r->caller.tenant_id, &away, &offline)) != KEFU_OK)
		return e;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "away_after_s", json_object_new_int64(away));
	json_object_object_add(o, "offline_after_s", json_object_new_int64(offline));
	json_object_object_add(o, "heartbeat_s", json_object_new_int(PRESENCE_BEAT_S));
	return resp_json(r, 200, o);
}

static kefu_err get_settings(struct kefu_req *r)
{
	int64_t away, offline;
	kefu_err e = presence_settings_get(r->db, r->arena, r->caller.tenant_id, &away, &offline);
	return e != KEFU_OK ? e : settings_answer(r, away, offline);
}

static kefu_err put_settings(struct kefu_req *r)
{
	struct {
		int64_t away, offline;
	} c;
	const char *bad = NULL;
	kefu_err e = presence_settings_get(r->db, r->arena, r->caller.tenant_id, &c.away, &c.offline);
	/* away 0 = never; offline not before a heartbeat is due. */
	if (e == KEFU_OK && (e = jb_int64(r->json, "away_after_s", false, 0, 86400, &c.away, NULL, &bad)) == KEFU_OK)
		e = jb_int64(r->json, "offline_after_s", false, PRESENCE_OFFLINE_MIN_S, 86400, &c.offline, NULL, &bad);
	if (e == KEFU_E_INVALID_FIELD)
		return req_fail(r, e, bad, NULL);
	if (e == KEFU_OK)
		e = presence_settings_set(r->db, &r->actor, c.away, c.offline);
	return e != KEFU_OK ? e : settings_answer(r, c.away, c.offline);
}

const struct route api_presence_routes[] = {
    {"POST", "/api/v1/agent/presence", beat, AUTH_STAFF, BODY_JSON},
    {"GET", "/api/v1/admin/presence", get_settings, AUTH_ADMIN, BODY_NONE},
    {"PUT", "/api/v1/admin/presence", put_settings, AUTH_ADMIN, BODY_JSON},
    ROUTES_END,
};
