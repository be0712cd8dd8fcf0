/* api-cgroups: /api/v1/admin/conversation-groups: how conversations are grouped in agents' workbenches (CRUD, audited).
 */
#include <json-c/json.h>

#include "domain/cgroups.h"
#include "http/response.h"
#include "http/router.h"
#include "store/store-cgroups.h"

static kefu_err answer(struct kefu_req *r, int status, int64_t id)
{
	struct cgroup_row g;
	kefu_err e = db_cgroup_get(r->db, r->arena, r->caller.tenant_id, id, &g);
	return e != KEFU_OK ? e : resp_json(r, status, cgroup_json(&g));
}

static kefu_err create(struct kefu_req *r)
{
	struct cgroup_row g;
	const char *bad = NULL;
	kefu_err e = cgroup_check(r->arena, r->json, NULL, &g, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	e = cgroup_save(r, 'c', &g);
	return e != KEFU_OK ? e : answer(r, 201, g.id);
}

static kefu_err list(struct kefu_req *r)
{
	struct cgroup_row *rows;
	size_t n;
	kefu_err e = db_cgroup_list(r->db, r->arena, r->caller.tenant_id, &rows, &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array(), *o = json_object_new_object();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, cgroup_json(&rows[i]));
	json_object_object_add(o, "items", items);
	return resp_json(r, 200, o);
}

static kefu_err get(struct kefu_req *r)
{
	return answer(r, 200, r->ids[0]);
}

static kefu_err patch(struct kefu_req *r)
{
	struct cgroup_row base, g;
	const char *bad = NULL;
	kefu_err e = db_cgroup_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &base);
	if (e != KEFU_OK)
		return e;
	if ((e = cgroup_check(r->arena, r->json, &base, &g, &bad)) != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	e = cgroup_save(r, 'u', &g);
	return e != KEFU_OK ? e : answer(r, 200, g.id);
}

static kefu_err delete (struct kefu_req *r)
{
	struct cgroup_row g;
	kefu_err e = db_cgroup_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &g);
	if (e == KEFU_OK)
		e = cgroup_save(r, 'd', &g);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

const struct route api_cgroups_routes[] = {
    {"POST", "/api/v1/admin/conversation-groups", create, AUTH_ADMIN, BODY_JSON},
    {"GET", "/api/v1/admin/conversation-groups", list, AUTH_ADMIN, BODY_NONE},
    {"GET", "/api/v1/admin/conversation-groups/{id}", get, AUTH_ADMIN, BODY_NONE},
    {"PATCH", "/api/v1/admin/conversation-groups/{id}", patch, AUTH_ADMIN, BODY_JSON},
    {"DELETE", "/api/v1/admin/conversation-groups/{id}", delete, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
