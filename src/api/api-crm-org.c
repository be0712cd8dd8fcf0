/* api-crm-org: PUT /api/v1/crm/users/{external} and /crm/departments/{external}: upserts for a CRM that owns the
 * organisation chart. */
#include <string.h>

#include "api/resource.h"
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err check_external(struct kefu_req *r, const char **out)
{
	const char *x = r->params[0];
	size_t n = x ? strlen(x) : 0;
	if (n == 0 || n > 200)
		return req_fail(r, KEFU_E_INVALID_FIELD, "external_id", NULL);
	*out = x;
	return KEFU_OK;
}

/* Both upserts read the same way; only the parse and the upsert differ by kind. */
static kefu_err put_org(struct kefu_req *r, bool dept)
{
	const char *ext = NULL, *bad = NULL;
	union {
		struct org_user_in user;
		struct org_dept_in dept;
	} in;
	kefu_err e = check_external(r, &ext);
	if (e != KEFU_OK)
		return e;
	e = dept ? org_dept_parse(r->arena, r->json, false, &in.dept, &bad)
	         : org_user_parse(r->arena, r->json, false, &in.user, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	bool created;
	json_object *o;
	struct fault f = {0};
	struct crud_ctx c = resource_ctx(r, &f);
	e = dept ? org_dept_upsert(&c, ext, &in.dept, &created, &o) : org_user_upsert(&c, ext, &in.user, &created, &o);
	return e != KEFU_OK ? resource_fail(r, e, &f) : resp_json(r, created ? 201 : 200, o);
}

static kefu_err put_user(struct kefu_req *r)
{
	return put_org(r, false);
}

static kefu_err put_department(struct kefu_req *r)
{
	return put_org(r, true);
}

const struct route api_crm_org_routes[] = {
    {"PUT", "/api/v1/crm/users/{external}", put_user, AUTH_CRM, BODY_JSON},
    {"PUT", "/api/v1/crm/departments/{external}", put_department, AUTH_CRM, BODY_JSON},
    ROUTES_END,
};
