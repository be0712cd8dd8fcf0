/* api-admin-audit: GET /api/v1/admin/audit, the tenant's audit log, newest first, paged by id. */
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err list(struct kefu_req *r)
{
	int64_t limit, after;
	kefu_err e = req_query_int(r, "limit", 1, 200, 50, &limit);
	if (e == KEFU_OK)
		e = req_query_int(r, "after", 0, INT64_MAX, 0, &after);
	json_object *o;
	if (e == KEFU_OK)
		e = org_audit_page(r->db, r->arena, r->caller.tenant_id, after, limit, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

const struct route api_admin_audit_routes[] = {
    {"GET", "/api/v1/admin/audit", list, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
