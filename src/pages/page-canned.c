/* page-canned: workbench settings in the console: presence thresholds and the tenant-wide canned replies (list, add,
 * delete). */
#include <stdlib.h>
#include <string.h>

#include "domain/canned.h"
#include "domain/presence.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

static kefu_err show(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	(void)id; /* one page: the list with the new form */
	struct canned_row *rows;
	size_t n;
	int64_t away, offline, long_wait;
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	kefu_err e = crud_list_rows(&c, &canned_ops, &rows, &n);
	if (e == KEFU_OK)
		e = presence_settings_get(r->db, r->arena, r->caller.tenant_id, &away, &offline);
	if (e == KEFU_OK)
		e = presence_long_wait_get(r->db, r->arena, r->caller.tenant_id, &long_wait);
	if (e != KEFU_OK)
		return page_fail_form(r, e, form);
	json_object *d = page_form_frame(r, "canned", err), *items = json_object_new_array(),
	            *p = json_object_new_object();
	for (size_t i = 0; i < n; i++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "shortcut", json_object_new_string(rows[i].shortcut));
		json_object_object_add(x, "title", json_object_new_string(rows[i].title));
		json_object_object_add(x, "text", json_object_new_string(rows[i].text));
		page_link(r, x, "delete_action", page_res_canned.base, rows[i].id, "/delete");
		json_object_array_add(items, x);
	}
	json_object_object_add(p, "away", json_object_new_int64(away));
	json_object_object_add(p, "offline", json_object_new_int64(offline));
	json_object_object_add(p, "long_wait", json_object_new_int64(long_wait));
	json_object_object_add(d, "replies", items);
	json_object_object_add(d, "presence", p);
	json_object_object_add(d, "form", form ? form : json_object_new_object());
	return page_render(r, "canned", d);
}

/* A whole number of seconds in min..max, or -1. */
static int64_t seconds(const char *v, int64_t min, int64_t max)
{
	char *end;
	if (v == NULL || *v == '\0')
		return -1;
	long long n = strtoll(v, &end, 10);
	return *end == '\0' && n >= min && n <= max ? n : -1;
}

static kefu_err presence(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	int64_t away = seconds(page_field(r, "away_after_s"), 0, 86400),
	        offline = seconds(page_field(r, "offline_after_s"), PRESENCE_OFFLINE_MIN_S, 86400),
	        long_wait = seconds(page_field(r, "long_wait_s"), PRESENCE_LONG_WAIT_MIN, 86400);
	kefu_err e = KEFU_OK;
	const char *lw = page_field(r, "long_wait_s");
	/* A form without the field (an older page) keeps the tenant's setting. */
	if ((lw == NULL || *lw == '\0') &&
	    (e = presence_long_wait_get(r->db, r->arena, r->caller.tenant_id, &long_wait)) != KEFU_OK)
		return page_fail(r, e);
	if (away < 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "away_after_s", NULL);
	else if (offline < 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "offline_after_s", NULL);
	else if (long_wait < 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "long_wait_s", NULL);
	else
		e = presence_settings_set(r->db, &r->actor, away, offline, long_wait);
	if (e == KEFU_OK)
		return resp_redirect(r, "/console/canned-replies?saved=1");
	return page_form_error(e) ? show(r, 0, NULL, e) : page_fail(r, e);
}

/* The page's routes and the presence thresholds' form beside them. */
#define ROUTES(base, list) PAGE_ROUTES_LIST(base, list), PAGE_POST("/console/presence", presence)
PAGE_RESOURCE(page_res_canned, "/console/canned-replies", "canned", res_canned, ROUTES, .show = show);
