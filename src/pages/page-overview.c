/* page-overview: the console's landing page: today's numbers (domain/reports.h), counts of the organisation and the
 * latest admin changes. */
#include <stdio.h>

#include "domain/org-read.h"
#include "domain/org.h"
#include "domain/reports.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

/* A duration in seconds for people: "42 秒", "3 分 5 秒", "1 小时 2 分" (catalog units), "—" without one. */
static const char *duration_text(struct kefu_req *r, bool has, double secs)
{
	if (!has)
		return "—";
	long s = (long)(secs + 0.5);
	if (s < 60)
		return arena_printf(r->arena, "%ld %s", s, page_t(r, "overview.unit_s"));
	if (s < 3600)
		return arena_printf(r->arena, "%ld %s %ld %s", s / 60, page_t(r, "overview.unit_min"), s % 60,
		                    page_t(r, "overview.unit_s"));
	return arena_printf(r->arena, "%ld %s %ld %s", s / 3600, page_t(r, "overview.unit_h"), (s % 3600) / 60,
	                    page_t(r, "overview.unit_min"));
}

/* Today's numbers a manager looks at first: now (waiting, live, agents online) and since local midnight in the
 * tenant's zone (conversations, missed, average first response). */
static kefu_err today(struct kefu_req *r, json_object **out)
{
	struct report_realtime rt;
	struct report_query week, day;
	struct report_summary sum;
	struct fault f = {0};
	kefu_err e = report_realtime(r->db, r->arena, &r->actor, &rt);
	/* The default range ends today in the tenant's zone; today alone is [to, to]. */
	if (e == KEFU_OK)
		e = report_query_parse(r->db, r->arena, &r->actor, NULL, NULL, NULL, NULL, NULL, NULL, &week, &f);
	if (e == KEFU_OK)
		e = report_query_parse(r->db, r->arena, &r->actor, week.to, week.to, NULL, NULL, NULL, NULL, &day, &f);
	if (e == KEFU_OK)
		e = report_summary(r->db, r->arena, &r->actor, &day, &sum);
	if (e != KEFU_OK)
		return e;
	json_object *t = json_object_new_object();
	json_object_object_add(t, "waiting", json_object_new_int64(rt.waiting));
	json_object_object_add(t, "live", json_object_new_int64(rt.live));
	json_object_object_add(t, "agents_online", json_object_new_int64(rt.agents_online));
	json_object_object_add(t, "conversations", json_object_new_int64(sum.conversations));
	json_object_object_add(t, "missed", json_object_new_int64(sum.missed));
	json_object_object_add(
	    t, "first_response",
	    json_object_new_string(duration_text(r, sum.first_response.has, sum.first_response.avg)));
	json_object_object_add(t, "longest_wait",
	                       rt.has_longest ? json_object_new_string(duration_text(r, true, rt.longest_wait_seconds))
	                                      : NULL);
	json_object_object_add(t, "date", json_object_new_string(day.to));
	json_object_object_add(t, "tz", json_object_new_string(day.tz));
	page_flag(t, "has_waiting", rt.waiting > 0);
	page_flag(t, "has_missed", sum.missed > 0);
	*out = t;
	return KEFU_OK;
}

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
	json_object *audit = NULL, *now = NULL;
	if (e == KEFU_OK && r->caller.admin)
		e = org_audit_page(r->db, r->arena, tenant, 0, 8, &audit);
	if (e == KEFU_OK && r->caller.admin)
		e = today(r, &now);
	if (e != KEFU_OK) {
		json_object_put(audit);
		return e;
	}
	json_object *d = page_frame(r, "overview"), *c = json_object_new_object();
	json_object_object_add(c, "admins", json_object_new_int64(admins));
	json_object_object_add(c, "agents", json_object_new_int64(agents));
	json_object_object_add(c, "online", json_object_new_int64(online));
	json_object_object_add(c, "departments", json_object_new_int64((int64_t)nd));
	json_object_object_add(c, "groups", json_object_new_int64((int64_t)ng));
	json_object_object_add(c, "api_keys", json_object_new_int64(keys));
	json_object_object_add(d, "counts", c);
	json_object_object_add(d, "audit", audit);
	json_object_object_add(d, "today", now);
	return page_render(r, "overview", d);
}

const struct route page_overview_routes[] = {
    {"GET", "/console", overview, AUTH_PAGE_STAFF, BODY_NONE},
    ROUTES_END,
};
