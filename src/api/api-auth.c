/* api-auth: logging in and out over the JSON API, and who am I. */
#include <json-c/json.h>

#include "core/json-doc.h"
#include "domain/login.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/response.h"
#include "http/router.h"

static json_object *user_json(int64_t id, const char *name, const char *role)
{
	json_object *u = json_object_new_object();
	json_object_object_add(u, "id", json_object_new_int64(id));
	json_object_object_add(u, "name", json_object_new_string(name));
	json_object_object_add(u, "role", json_object_new_string(role));
	return u;
}

static kefu_err login(struct kefu_req *r)
{
	const char *name, *password, *bad = NULL;
	kefu_err e = auth_check_login_origin(r);
	if (e != KEFU_OK)
		return e;
	e = jb_string(r->json, "login", true, 1, 100, &name, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "password", true, 1, 1024, &password, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	struct login_result res;
	e = login_attempt(r->db, r->arena, &r->app->conf, name, password, r->remote_addr, &res, &r->retry_after);
	if (e != KEFU_OK)
		return e;
	resp_header(r, "Set-Cookie", auth_session_cookie(r, res.token, r->app->conf.session_max_s));
	json_object *o = json_object_new_object();
	json_object_object_add(o, "user", user_json(res.user_id, res.name, res.role));
	json_object_object_add(o, "csrf_token", json_object_new_string(res.csrf));
	return resp_json(r, 200, o);
}

static kefu_err logout(struct kefu_req *r)
{
	kefu_err e = login_end(r->db, req_cookie(r, SESSION_COOKIE));
	if (e != KEFU_OK)
		return e;
	resp_header(r, "Set-Cookie", auth_session_cookie(r, "", 0));
	return resp_empty(r, 204);
}

static kefu_err me(struct kefu_req *r)
{
	const struct kefu_caller *c = &r->caller;
	json_object *o = user_json(c->user_id, c->name, c->role);
	json_object_object_add(o, "lang", json_object_new_string(r->lang));
	json_object_object_add(o, "tenant_id", json_object_new_int64(c->tenant_id));
	json_object_object_add(o, "csrf_token", json_object_new_string(c->csrf));
	return resp_json(r, 200, o);
}

const struct route api_auth_routes[] = {
    {"POST", "/api/v1/auth/login", login, AUTH_NONE, BODY_JSON},
    {"POST", "/api/v1/auth/logout", logout, AUTH_STAFF, BODY_JSON},
    {"GET", "/api/v1/auth/me", me, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/agent/me", me, AUTH_STAFF, BODY_NONE},
    ROUTES_END,
};
