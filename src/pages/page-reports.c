/* page-reports: the ratings report in the console: average and count per agent and per day, for a date range. */
#include "domain/receipts.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

static kefu_err ratings(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	json_object *d = page_frame(r, "reports"), *form = json_object_new_object(), *rep = NULL;
	const char *from_q = req_query(r, "from"), *to_q = req_query(r, "to"), *from, *to;
	json_object_object_add(form, "from", json_object_new_string(from_q ? from_q : ""));
	json_object_object_add(form, "to", json_object_new_string(to_q ? to_q : ""));
	json_object_object_add(d, "form", form);
	kefu_err e = KEFU_OK;
	if (receipts_day_bound(r->arena, from_q, false, &from) != 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "from", NULL);
	else if (receipts_day_bound(r->arena, to_q, true, &to) != 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "to", NULL);
	else
		e = receipts_report(r->db, r->arena, r->caller.tenant_id, from, to, &rep);
	if (e != KEFU_OK && !page_form_error(e)) {
		json_object_put(d);
		return page_fail(r, e);
	}
	if (e != KEFU_OK)
		page_set_error(r, d, e, NULL);
	json_object_object_add(d, "report", rep);
	return page_render(r, "reports-ratings", d);
}

const struct route page_reports_routes[] = {
    {"GET", "/console/reports/ratings", ratings, AUTH_PAGE_ADMIN, BODY_NONE},
    ROUTES_END,
};
