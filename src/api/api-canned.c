/* api-canned: canned replies: an agent's own and the tenant's (/agent/canned-replies), and the tenant-wide ones admins
 * manage (/admin/canned-replies, a resource descriptor). */
#include <json-c/json.h>

#include "api/resource.h"
#include "domain/canned.h"
#include "http/response.h"
#include "http/router.h"

const struct resource res_canned = RESOURCE(
    "/api/v1/admin/canned-replies", &canned_ops,
    .form = (const struct form_field[]){{"shortcut", FORM_TEXT}, {"title", FORM_TEXT}, {"text", FORM_TEXT}, {NULL, 0}});

/* An agent's view: the tenant's and their own. API keys have no user:
 * they use the admin collection. */
static kefu_err agent_list(struct kefu_req *r)
{
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	json_object *o;
	kefu_err e = canned_agent_list(&c, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

/* The agent's own reply id (others' are 404, tenant-wide ones 403). */
static kefu_err own(struct kefu_req *r, struct canned_row *c)
{
	struct fault f = {0};
	struct crud_ctx cx = resource_ctx(r, &f);
	kefu_err e = canned_agent_row(&cx, r->ids[0], true, c);
	return e != KEFU_OK ? resource_fail(r, e, &f) : KEFU_OK;
}

static kefu_err answer(struct kefu_req *r, int status, int64_t id)
{
	struct crud_ctx cx = resource_ctx(r, &(struct fault){0});
	struct canned_row c;
	kefu_err e = canned_agent_row(&cx, id, false, &c);
	return e != KEFU_OK ? e : resp_json(r, status, canned_json(&c));
}
static kefu_err agent_create(struct kefu_req *r)
{
	struct fault f = {0};
	struct crud_ctx cx = resource_ctx(r, &f);
	struct canned_row c;
	kefu_err e = canned_check(&cx, r->json, NULL, &c);
	c.owner_user_id = r->caller.user_id;
	if (e == KEFU_OK)
		e = crud_write(&cx, &canned_ops, 'c', &c);
	return e != KEFU_OK ? resource_fail(r, e, &f) : answer(r, 201, c.id);
}

static kefu_err agent_patch(struct kefu_req *r)
{
	struct fault f = {0};
	struct crud_ctx cx = resource_ctx(r, &f);
	struct canned_row base, c;
	kefu_err e = own(r, &base);
	if (e != KEFU_OK)
		return e;
	if ((e = canned_check(&cx, r->json, &base, &c)) == KEFU_OK)
		e = crud_write(&cx, &canned_ops, 'u', &c);
	return e != KEFU_OK ? resource_fail(r, e, &f) : answer(r, 200, c.id);
}

static kefu_err agent_delete(struct kefu_req *r)
{
	struct crud_ctx cx = resource_ctx(r, &(struct fault){0});
	struct canned_row c;
	kefu_err e = own(r, &c);
	if (e == KEFU_OK)
		e = crud_write(&cx, &canned_ops, 'd', &c);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

static kefu_err agent_get(struct kefu_req *r)
{
	return answer(r, 200, r->ids[0]);
}

const struct route api_canned_routes[] = {
    {"GET", "/api/v1/agent/canned-replies", agent_list, AUTH_STAFF, BODY_NONE},
    {"POST", "/api/v1/agent/canned-replies", agent_create, AUTH_STAFF, BODY_JSON},
    {"GET", "/api/v1/agent/canned-replies/{id}", agent_get, AUTH_STAFF, BODY_NONE},
    {"PATCH", "/api/v1/agent/canned-replies/{id}", agent_patch, AUTH_STAFF, BODY_JSON},
    {"DELETE", "/api/v1/agent/canned-replies/{id}", agent_delete, AUTH_STAFF, BODY_NONE},
    ROUTES_END,
};
