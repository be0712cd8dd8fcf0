/* api-admin-sidebar: /api/v1/admin/sidebar, which CRM objects and fields the workbench side panel shows. */
#include <json-c/json.h>

#include "domain/sidebar.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "store/store-audit.h"
#include "store/store-sidebar.h"

static kefu_err get_sidebar(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = sidebar_config(r->db, r->arena, r->caller.tenant_id, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

struct put_ctx {
	struct kefu_req *r;
	const char *config;
};

static kefu_err put_tx(struct kefu_db *db, void *p)
{
	struct put_ctx *c = p;
	kefu_err e = db_sidebar_put(db, c->r->caller.tenant_id, c->config);
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "after", json_tokener_parse(c->config));
	return e != KEFU_OK ? (json_object_put(sum), e) : audit_record(c->r, "update", "sidebar", 0, sum);
}

static kefu_err put_sidebar(struct kefu_req *r)
{
	struct put_ctx c = {.r = r};
	const char *bad = NULL;
	kefu_err e = sidebar_check(r->db, r->arena, r->caller.tenant_id, r->json, &c.config, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if ((e = db_tx(r->db, put_tx, &c)) != KEFU_OK)
		return e;
	return get_sidebar(r);
}

const struct route api_admin_sidebar_routes[] = {
	{"GET", "/api/v1/admin/sidebar", get_sidebar, AUTH_ADMIN, BODY_NONE},
	{"PUT", "/api/v1/admin/sidebar", put_sidebar, AUTH_ADMIN, BODY_JSON},
	ROUTES_END,
};
