/* api-admin-users: /api/v1/admin/users, the tenant's admins and agents (validation in domain/org.c). */
#include "domain/org.h"
#include "http/json-body.h"
#include "http/response.h"
#include "http/router.h"
#include "store/store-users.h"

static kefu_err list(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = org_user_list(r->db, r->arena, r->caller.tenant_id, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err get(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = org_user_view(r->db, r->arena, r->caller.tenant_id, r->ids[0], &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err save(struct kefu_req *r, bool create)
{
	struct org_user_in in;
	const char *bad = NULL;
	kefu_err e = org_user_parse(r->arena, r->json, create, &in, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	int64_t id = create ? 0 : r->ids[0];
	json_object *o;
	e = org_user_save(r, &in, &id, &o);
	return e != KEFU_OK ? e : resp_json(r, create ? 201 : 200, o);
}

static kefu_err create(struct kefu_req *r)
{
	return save(r, true);
}

static kefu_err update(struct kefu_req *r)
{
	return save(r, false);
}

static kefu_err delete(struct kefu_req *r)
{
	kefu_err e = org_user_delete(r, r->ids[0]);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

/* The caller's own UI language; null goes back to following the browser. */
static kefu_err set_lang(struct kefu_req *r)
{
	static const char *const langs[] = {"en", "zh-CN", NULL};
	const char *lang = NULL, *bad = NULL;
	kefu_err e = jb_is_null(r->json, "lang") ? KEFU_OK : jb_enum(r->json, "lang", true, langs, &lang, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	e = db_user_set_lang(r->db, r->caller.tenant_id, r->caller.user_id, lang);
	json_object *o;
	if (e == KEFU_OK)
		e = org_user_view(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

const struct route api_admin_users_routes[] = {
	{"PUT", "/api/v1/agent/lang", set_lang, AUTH_STAFF, BODY_JSON},
	{"GET", "/api/v1/admin/users", list, AUTH_ADMIN, BODY_NONE},
	{"POST", "/api/v1/admin/users", create, AUTH_ADMIN, BODY_JSON},
	{"GET", "/api/v1/admin/users/{id}", get, AUTH_ADMIN, BODY_NONE},
	{"PATCH", "/api/v1/admin/users/{id}", update, AUTH_ADMIN, BODY_JSON},
	{"DELETE", "/api/v1/admin/users/{id}", delete, AUTH_ADMIN, BODY_NONE},
	ROUTES_END,
};
