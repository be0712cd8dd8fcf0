/* api-admin-apikeys: /api/v1/admin/api-keys: create (the key is shown once), list, rename, revoke. */
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err list(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = org_key_list(r->db, r->arena, r->caller.tenant_id, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err get(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = org_key_view(r->db, r->arena, r->caller.tenant_id, r->ids[0], &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err create(struct kefu_req *r)
{
	struct org_key_in in;
	const char *bad = NULL, *key;
	kefu_err e = org_key_parse(r->arena, r->json, true, &in, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	json_object *o;
	e = org_key_create(r->db, r->arena, &r->actor, &in, &key, &o);
	if (e != KEFU_OK)
		return e;
	json_object_object_add(o, "key", json_object_new_string(key));
	return resp_json(r, 201, o);
}

static kefu_err update(struct kefu_req *r)
{
	struct org_key_in in;
	const char *bad = NULL;
	kefu_err e = org_key_parse(r->arena, r->json, false, &in, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if (in.has_scopes)
		return req_fail(r, KEFU_E_INVALID_FIELD, "scopes", "Scopes cannot change; make a new key.");
	json_object *o;
	e = org_key_rename(r->db, r->arena, &r->actor, r->ids[0], in.name, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err revoke(struct kefu_req *r)
{
	kefu_err e = org_key_revoke(r->db, r->arena, &r->actor, r->ids[0]);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

const struct route api_admin_apikeys_routes[] = {
    {"GET", "/api/v1/admin/api-keys", list, AUTH_ADMIN, BODY_NONE},
    {"POST", "/api/v1/admin/api-keys", create, AUTH_ADMIN, BODY_JSON},
    {"GET", "/api/v1/admin/api-keys/{id}", get, AUTH_ADMIN, BODY_NONE},
    {"PATCH", "/api/v1/admin/api-keys/{id}", update, AUTH_ADMIN, BODY_JSON},
    {"DELETE", "/api/v1/admin/api-keys/{id}", revoke, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
