/* api-admin-rules: /api/v1/admin/rules, assignment rules (validation in domain/rules.c, saving in
 * domain/rules-admin.c). */
#include "domain/assign.h"
#include "domain/rules.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err list(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = rule_list(r->db, r->arena, r->caller.tenant_id, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err get(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = rule_view(r->db, r->arena, r->caller.tenant_id, r->ids[0], &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err create(struct kefu_req *r)
{
	int64_t id = 0;
	json_object *o;
	kefu_err e = rule_save(r, r->json, &id, &o);
	return e != KEFU_OK ? e : resp_json(r, 201, o);
}

static kefu_err update(struct kefu_req *r)
{
	int64_t id = r->ids[0];
	json_object *o;
	kefu_err e = rule_save(r, r->json, &id, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err delete (struct kefu_req *r)
{
	kefu_err e = rule_delete(r, r->ids[0]);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

const struct route api_admin_rules_routes[] = {
    {"GET", "/api/v1/admin/rules", list, AUTH_ADMIN, BODY_NONE},
    {"POST", "/api/v1/admin/rules", create, AUTH_ADMIN, BODY_JSON},
    {"GET", "/api/v1/admin/rules/{id}", get, AUTH_ADMIN, BODY_NONE},
    {"PATCH", "/api/v1/admin/rules/{id}", update, AUTH_ADMIN, BODY_JSON},
    {"DELETE", "/api/v1/admin/rules/{id}", delete, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
