/* api-canned: canned replies: an agent's own and the tenant's (/agent/canned-replies), and the tenant-wide ones admins
 * manage (/admin/canned-replies). */
#include <json-c/json.h>
#include <string.h>

#include "domain/canned.h"
#include "http/json-body.h"
#include "http/response.h"
#include "http/router.h"
#include "store/store-canned.h"

#define LIST_MAX 200

static json_object *canned_json(const struct canned_row *c)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(c->id));
	json_object_object_add(o, "scope", json_object_new_string(c->owner_user_id ? "personal" : "tenant"));
	json_object_object_add(o, "owner_user_id", json_id(c->owner_user_id));
	json_object_object_add(o, "shortcut", json_object_new_string(c->shortcut));
	json_object_object_add(o, "title", json_object_new_string(c->title));
	json_object_object_add(o, "text", json_object_new_string(c->text));
	json_object_object_add(o, "created_at", json_time(c->created_at));
	json_object_object_add(o, "updated_at", json_time(c->updated_at));
	return o;
}

static kefu_err list_for(struct kefu_req *r, int64_t user_id, bool only_tenant)
{
	const char *q = req_query(r, "q");
	if (q && *q == '/')
		q++; /* the workbench may pass what was typed, slash and all */
	struct canned_row *rows;
	size_t n;
	kefu_err e = db_canned_list(r->db, r->arena, r->caller.tenant_id, user_id, only_tenant, q, LIST_MAX, &rows, &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array(), *o = json_object_new_object();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, canned_json(&rows[i]));
	json_object_object_add(o, "items", items);
	return resp_json(r, 200, o);
}

static kefu_err answer(struct kefu_req *r, int status, int64_t id)
{
	struct canned_row c;
	kefu_err e = db_canned_get(r->db, r->arena, r->caller.tenant_id, id, &c);
	return e != KEFU_OK ? e : resp_json(r, status, canned_json(&c));
}

/* The row id if the caller may change it: an agent its own (others' and
 * tenant-wide ones are 404 and 403), an admin route the tenant-wide ones. */
static kefu_err own(struct kefu_req *r, bool admin_route, struct canned_row *c)
{
	kefu_err e = db_canned_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], c);
	if (e != KEFU_OK)
		return e;
	if (admin_route)
		return c->owner_user_id == 0 ? KEFU_OK : KEFU_E_NOT_FOUND;
	if (c->owner_user_id == 0)
		return req_fail(r, KEFU_E_FORBIDDEN, NULL, "Tenant-wide replies are managed by administrators.");
	return c->owner_user_id == r->caller.user_id ? KEFU_OK : KEFU_E_NOT_FOUND;
}

static kefu_err do_create(struct kefu_req *r, bool admin_route)
{
	struct canned_row c;
	kefu_err e = canned_check(r, r->json, NULL, &c);
	if (e != KEFU_OK)
		return e;
	c.owner_user_id = admin_route ? 0 : r->caller.user_id;
	if ((e = canned_save(r, 'c', &c)) != KEFU_OK)
		return e;
	return answer(r, 201, c.id);
}

static kefu_err do_patch(struct kefu_req *r, bool admin_route)
{
	struct canned_row base, c;
	kefu_err e = own(r, admin_route, &base);
	if (e == KEFU_OK)
		e = canned_check(r, r->json, &base, &c);
	if (e == KEFU_OK)
		e = canned_save(r, 'u', &c);
	return e != KEFU_OK ? e : answer(r, 200, c.id);
}

static kefu_err do_delete(struct kefu_req *r, bool admin_route)
{
	struct canned_row c;
	kefu_err e = own(r, admin_route, &c);
	if (e == KEFU_OK)
		e = canned_save(r, 'd', &c);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

/* An agent's view: the tenant's and their own. API keys have no user:
 * they use the admin collection. */
static kefu_err agent_list(struct kefu_req *r)
{
	return list_for(r, r->caller.user_id, false);
}
static kefu_err agent_create(struct kefu_req *r)
{
	return do_create(r, false);
}
static kefu_err agent_patch(struct kefu_req *r)
{
	return do_patch(r, false);
}
static kefu_err agent_delete(struct kefu_req *r)
{
	return do_delete(r, false);
}
static kefu_err agent_get(struct kefu_req *r)
{
	struct canned_row c;
	kefu_err e = db_canned_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &c);
	if (e == KEFU_OK && c.owner_user_id != 0 && c.owner_user_id != r->caller.user_id)
		e = KEFU_E_NOT_FOUND;
	return e != KEFU_OK ? e : resp_json(r, 200, canned_json(&c));
}

static kefu_err admin_list(struct kefu_req *r)
{
	return list_for(r, 0, true);
}
static kefu_err admin_create(struct kefu_req *r)
{
	return do_create(r, true);
}
static kefu_err admin_patch(struct kefu_req *r)
{
	return do_patch(r, true);
}
static kefu_err admin_delete(struct kefu_req *r)
{
	return do_delete(r, true);
}
static kefu_err admin_get(struct kefu_req *r)
{
	struct canned_row c;
	kefu_err e = own(r, true, &c);
	return e != KEFU_OK ? e : resp_json(r, 200, canned_json(&c));
}

const struct route api_canned_routes[] = {
    {"GET", "/api/v1/agent/canned-replies", agent_list, AUTH_STAFF, BODY_NONE},
    {"POST", "/api/v1/agent/canned-replies", agent_create, AUTH_STAFF, BODY_JSON},
    {"GET", "/api/v1/agent/canned-replies/{id}", agent_get, AUTH_STAFF, BODY_NONE},
    {"PATCH", "/api/v1/agent/canned-replies/{id}", agent_patch, AUTH_STAFF, BODY_JSON},
    {"DELETE", "/api/v1/agent/canned-replies/{id}", agent_delete, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/admin/canned-replies", admin_list, AUTH_ADMIN, BODY_NONE},
    {"POST", "/api/v1/admin/canned-replies", admin_create, AUTH_ADMIN, BODY_JSON},
    {"GET", "/api/v1/admin/canned-replies/{id}", admin_get, AUTH_ADMIN, BODY_NONE},
    {"PATCH", "/api/v1/admin/canned-replies/{id}", admin_patch, AUTH_ADMIN, BODY_JSON},
    {"DELETE", "/api/v1/admin/canned-replies/{id}", admin_delete, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
