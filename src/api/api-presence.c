/* api-presence: the workbench's heartbeat (activity and liveness), the tenant's presence thresholds, and the agent's
 * alert preferences. */
#include <json-c/json.h>

#include "core/json-doc.h"
#include "domain/presence.h"
#include "http/response.h"
#include "http/router.h"

static json_object *settings_json(int64_t away, int64_t offline, int64_t long_wait)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "away_after_s", json_object_new_int64(away));
	json_object_object_add(o, "offline_after_s", json_object_new_int64(offline));
	json_object_object_add(o, "long_wait_s", json_object_new_int64(long_wait));
	json_object_object_add(o, "heartbeat_s", json_object_new_int(PRESENCE_BEAT_S));
	return o;
}

static kefu_err settings_read(struct kefu_req *r, int64_t *away, int64_t *offline, int64_t *long_wait)
{
	kefu_err e = presence_settings_get(r->db, r->arena, r->caller.tenant_id, away, offline);
	return e != KEFU_OK ? e : presence_long_wait_get(r->db, r->arena, r->caller.tenant_id, long_wait);
}

/*
 * POST /agent/presence {"active", "opening"?}: "opening" marks the first beat
 * of a workbench page, which makes an offline agent available (presence_open).
 * The answer carries what the workbench needs to run: the status, the
 * thresholds, when a wait is long, and the agent's alert preferences.
 */
static kefu_err beat(struct kefu_req *r)
{
	bool active = false, opening = false, sound = true;
	const char *bad = NULL, *status;
	kefu_err e = jb_bool(r->json, "active", false, &active, NULL, &bad);
	if (e == KEFU_OK)
		e = jb_bool(r->json, "opening", false, &opening, NULL, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if (opening && (e = presence_open(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, &status)) != KEFU_OK)
		return e;
	if ((e = presence_beat(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, active, &status)) != KEFU_OK)
		return e;
	int64_t away, offline, long_wait;
	if ((e = settings_read(r, &away, &offline, &long_wait)) != KEFU_OK ||
	    (e = presence_prefs_get(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, &sound)) != KEFU_OK)
		return e;
	json_object *o = settings_json(away, offline, long_wait);
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "alert_sound", json_object_new_boolean(sound));
	return resp_json(r, 200, o);
}

static kefu_err get_settings(struct kefu_req *r)
{
	int64_t away, offline, long_wait;
	kefu_err e = settings_read(r, &away, &offline, &long_wait);
	return e != KEFU_OK ? e : resp_json(r, 200, settings_json(away, offline, long_wait));
}

static kefu_err put_settings(struct kefu_req *r)
{
	struct {
		int64_t away, offline, long_wait;
	} c;
	const char *bad = NULL;
	kefu_err e = settings_read(r, &c.away, &c.offline, &c.long_wait);
	/* away 0 = never; offline not before a heartbeat is due. */
	if (e == KEFU_OK && (e = jb_int64(r->json, "away_after_s", false, 0, 86400, &c.away, NULL, &bad)) == KEFU_OK &&
	    (e = jb_int64(r->json, "offline_after_s", false, PRESENCE_OFFLINE_MIN_S, 86400, &c.offline, NULL, &bad)) ==
	        KEFU_OK)
		e = jb_int64(r->json, "long_wait_s", false, PRESENCE_LONG_WAIT_MIN, 86400, &c.long_wait, NULL, &bad);
	if (e == KEFU_E_INVALID_FIELD)
		return req_fail(r, e, bad, NULL);
	if (e == KEFU_OK)
		e = presence_settings_set(r->db, &r->actor, c.away, c.offline, c.long_wait);
	return e != KEFU_OK ? e : resp_json(r, 200, settings_json(c.away, c.offline, c.long_wait));
}

static kefu_err prefs_answer(struct kefu_req *r, bool sound)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "alert_sound", json_object_new_boolean(sound));
	return resp_json(r, 200, o);
}

static kefu_err get_prefs(struct kefu_req *r)
{
	bool sound = true;
	kefu_err e = presence_prefs_get(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, &sound);
	return e != KEFU_OK ? e : prefs_answer(r, sound);
}

static kefu_err put_prefs(struct kefu_req *r)
{
	bool sound = true;
	const char *bad = NULL;
	kefu_err e = presence_prefs_get(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, &sound);
	if (e == KEFU_OK && (e = jb_bool(r->json, "alert_sound", false, &sound, NULL, &bad)) == KEFU_E_INVALID_FIELD)
		return req_fail(r, e, bad, NULL);
	if (e == KEFU_OK)
		e = presence_prefs_set(r->db, r->caller.tenant_id, r->caller.user_id, sound);
	return e != KEFU_OK ? e : prefs_answer(r, sound);
}

const struct route api_presence_routes[] = {
    {"POST", "/api/v1/agent/presence", beat, AUTH_STAFF, BODY_JSON},
    {"GET", "/api/v1/agent/preferences", get_prefs, AUTH_STAFF, BODY_NONE},
    {"PUT", "/api/v1/agent/preferences", put_prefs, AUTH_STAFF, BODY_JSON},
    {"GET", "/api/v1/admin/presence", get_settings, AUTH_ADMIN, BODY_NONE},
    {"PUT", "/api/v1/admin/presence", put_settings, AUTH_ADMIN, BODY_JSON},
    ROUTES_END,
};
