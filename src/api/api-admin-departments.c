/* api-admin-departments: /api/v1/admin/departments, the tree of the organisation chart (validation in domain/org.c). */
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err list(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = org_dept_list(r->db, r->arena, r->caller.tenant_id, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err get(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = org_dept_view(r->db, r->arena, r->caller.tenant_id, r->ids[0], &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err save(struct kefu_req *r, bool create)
{
	struct org_dept_in in;
	const char *bad = NULL;
	kefu_err e = org_dept_parse(r->arena, r->json, create, &in, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	int64_t id = create ? 0 : r->ids[0];
	json_object *o;
	e = org_dept_save(r, &in, &id, &o);
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
	kefu_err e = org_dept_delete(r, r->ids[0]);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

const struct route api_admin_departments_routes[] = {
	{"GET", "/api/v1/admin/departments", list, AUTH_ADMIN, BODY_NONE},
	{"POST", "/api/v1/admin/departments", create, AUTH_ADMIN, BODY_JSON},
	{"GET", "/api/v1/admin/departments/{id}", get, AUTH_ADMIN, BODY_NONE},
	{"PATCH", "/api/v1/admin/departments/{id}", update, AUTH_ADMIN, BODY_JSON},
	{"DELETE", "/api/v1/admin/departments/{id}", delete, AUTH_ADMIN, BODY_NONE},
	ROUTES_END,
};
