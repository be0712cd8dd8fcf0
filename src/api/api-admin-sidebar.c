/* api-admin-sidebar: /api/v1/admin/sidebar, which CRM objects and fields the workbench side panel shows. */
#include <json-c/json.h>

#include "domain/sidebar.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err get_sidebar(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = sidebar_config(r->db, r->arena, r->caller.tenant_id, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

static kefu_err put_sidebar(struct kefu_req *r)
{
	const char *config = NULL, *bad = NULL;
	kefu_err e = sidebar_check(r->db, r->arena, r->caller.tenant_id, r->json, &config, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if ((e = sidebar_save(r->db, &r->actor, config)) != KEFU_OK)
		return e;
	return get_sidebar(r);
}

const struct route api_admin_sidebar_routes[] = {
    {"GET", "/api/v1/admin/sidebar", get_sidebar, AUTH_ADMIN, BODY_NONE},
    {"PUT", "/api/v1/admin/sidebar", put_sidebar, AUTH_ADMIN, BODY_JSON},
    ROUTES_END,
};
