/* page-overview: the console's landing page: counts of the organisation and the latest admin changes. */
#include "domain/org-read.h"
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

static kefu_err overview(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	int64_t tenant = r->caller.tenant_id, admins, agents, online, keys = 0;
	struct dept_row *depts;
	struct group_row *groups;
	size_t nd, ng;
	kefu_err e = org_user_counts(r->db, r->arena, tenant, &admins, &agents, &online);
	if (e == KEFU_OK)
		e = org_dept_rows(r->db, r->arena, tenant, &depts, &nd);
	if (e == KEFU_OK)
		e = org_group_rows(r->db, r->arena, tenant, &groups, &ng);
	if (e == KEFU_OK)
		e = org_key_count(r->db, r->arena, tenant, &keys);
	json_object *audit = NULL;
	if (e == KEFU_OK && r->caller.admin)
		e = org_audit_page(r->db, r->arena, tenant, 0, 8, &audit);
	if (e != KEFU_OK)
		return e;
	json_object *d = page_frame(r, "overview"), *c = json_object_new_object();
	json_object_object_add(c, "admins", json_object_new_int64(admins));
	json_object_object_add(c, "agents", json_object_new_int64(agents));
	json_object_object_add(c, "online", json_object_new_int64(online));
	json_object_object_add(c, "departments", json_object_new_int64((int64_t)nd));
	json_object_object_add(c, "groups", json_object_new_int64((int64_t)ng));
	json_object_object_add(c, "api_keys", json_object_new_int64(keys));
	json_object_object_add(d, "counts", c);
	json_object_object_add(d, "audit", audit);
	return page_render(r, "overview", d);
}

const struct route page_overview_routes[] = {
    {"GET", "/console", overview, AUTH_PAGE_STAFF, BODY_NONE},
    ROUTES_END,
};
