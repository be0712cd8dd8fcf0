/* api-admin-identity: /api/v1/admin/channels/{id}/identity, a channel's identity key generations and verification
 * settings. */
#include <json-c/json.h>

#include "core/json-doc.h"
#include "domain/channels.h"
#include "domain/identity-admin.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err channel_ok(struct kefu_req *r)
{
	struct channel_row c;
	return channel_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &c);
}

static kefu_err get_settings(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = channel_ok(r);
	if (e == KEFU_OK)
		e = identity_document(r->db, r->arena, r->caller.tenant_id, r->ids[0], &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err patch_settings(struct kefu_req *r)
{
	struct identity_settings_row before, after;
	kefu_err e = channel_ok(r);
	if (e == KEFU_OK)
		e = identity_settings_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &before);
	struct fault f = {0};
	if (e == KEFU_OK && (e = identity_settings_check(r->arena, r->json, &before, &after, &f)) != KEFU_OK)
		return req_fail_fault(r, e, &f);
	if (e == KEFU_OK)
		e = identity_settings_save(r->db, &r->actor, r->ids[0], &before, &after);
	json_object *o;
	if (e == KEFU_OK)
		e = identity_document(r->db, r->arena, r->caller.tenant_id, r->ids[0], &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

/* A key generation's secret as the admin is shown it (bits: of a new one; 0: left out). */
static json_object *key_json(const struct identity_key_row *k, int64_t bits)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "key", json_object_new_string(k->secret));
	json_object_object_add(o, "kid", json_object_new_string(k->kid));
	if (bits)
		json_object_object_add(o, "bits", json_object_new_int64(bits));
	json_object_object_add(o, "created_at", json_time(k->created_at));
	return o;
}

static kefu_err generate_key(struct kefu_req *r)
{
	kefu_err e = channel_ok(r);
	if (e != KEFU_OK)
		return e;
	if (r->json != NULL && !json_object_is_type(r->json, json_type_object))
		return KEFU_E_INVALID_JSON;
	int64_t bits = 128;
	const char *bad = NULL;
	if (jb_int64(r->json, "bits", false, 128, 256, &bits, NULL, &bad) != KEFU_OK)
		return req_fail(r, KEFU_E_INVALID_FIELD, "bits", "128, 192 or 256");
	struct identity_key_row k;
	struct fault f = {0};
	if ((e = identity_key_create(r->db, r->arena, &r->actor, r->ids[0], bits, &k, &f)) != KEFU_OK)
		return req_fail_fault(r, e, &f);
	return resp_json(r, 201, key_json(&k, bits));
}

static kefu_err reveal_key(struct kefu_req *r)
{
	struct identity_key_row k;
	kefu_err e = channel_ok(r);
	if (e == KEFU_OK)
		e = identity_key_reveal(r->db, r->arena, &r->actor, r->ids[0], &k);
	if (e != KEFU_OK)
		return e;
	resp_header(r, "Cache-Control", "no-store");
	return resp_json(r, 200, key_json(&k, 0));
}

const struct route api_admin_identity_routes[] = {
    {"GET", "/api/v1/admin/channels/{id}/identity", get_settings, AUTH_ADMIN, BODY_NONE},
    {"PATCH", "/api/v1/admin/channels/{id}/identity", patch_settings, AUTH_ADMIN, BODY_JSON},
    {"POST", "/api/v1/admin/channels/{id}/identity/key", generate_key, AUTH_ADMIN, BODY_JSON},
    {"GET", "/api/v1/admin/channels/{id}/identity/key", reveal_key, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
