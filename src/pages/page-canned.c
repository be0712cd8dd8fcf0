/* page-canned: workbench settings in the console: presence thresholds and the tenant-wide canned replies (list, add,
 * delete). */
#include <stdlib.h>
#include <string.h>

#include "api/resource.h"
#include "domain/canned.h"
#include "domain/presence.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"
#include "store/store-canned.h"
#include "store/store-presence.h"

static kefu_err show(struct kefu_req *r, json_object *form, kefu_err err)
{
	struct canned_row *rows;
	size_t n;
	int64_t away, offline;
	kefu_err e = db_canned_list(r->db, r->arena, r->caller.tenant_id, 0, true, NULL, 500, &rows, &n);
	if (e == KEFU_OK)
		e = db_presence_settings(r->db, r->arena, r->caller.tenant_id, &away, &offline);
	if (e != KEFU_OK) {
		json_object_put(form);
		return page_fail(r, e);
	}
	json_object *d = page_frame(r, "canned"), *items = json_object_new_array(), *p = json_object_new_object();
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "shortcut", json_object_new_string(rows[i].shortcut));
		json_object_object_add(x, "title", json_object_new_string(rows[i].title));
		json_object_object_add(x, "text", json_object_new_string(rows[i].text));
		json_object_object_add(x, "delete_action",
		                       json_object_new_string(arena_printf(
		                           r->arena, "/console/canned-replies/%lld/delete", (long long)rows[i].id)));
		json_object_array_add(items, x);
	}
	json_object_object_add(p, "away", json_object_new_int64(away));
	json_object_object_add(p, "offline", json_object_new_int64(offline));
	json_object_object_add(d, "replies", items);
	json_object_object_add(d, "presence", p);
	json_object_object_add(d, "form", form ? form : json_object_new_object());
	return page_render(r, "canned", d);
}

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show(r, NULL, KEFU_OK);
}

static kefu_err create(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	json_object *form = json_object_new_object();
	static const char *const fields[] = {"shortcut", "title", "text", NULL};
	for (size_t i = 0; fields[i]; i++) {
		const char *v = page_field(r, fields[i]);
		if (v)
			json_object_object_add(form, fields[i], json_object_new_string(v));
	}
	page_keep(r, form);
	/* The form is the API's JSON body: one validation for both. */
	struct fault f = {0};
	struct crud_ctx c = resource_ctx(r, &f);
	int64_t id = 0;
	kefu_err e = crud_save(&c, &canned_ops, form, &id, NULL);
	if (e != KEFU_OK)
		resource_fail(r, e, &f);
	if (e == KEFU_OK) {
		json_object_put(form);
		return resp_redirect(r, "/console/canned-replies?saved=1");
	}
	if (!page_form_error(e)) {
		json_object_put(form);
		return page_fail(r, e);
	}
	return show(r, form, e);
}

static kefu_err delete (struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	/* Agents' own replies are theirs: NOT_FOUND through the admin resource. */
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	kefu_err e = crud_remove(&c, &canned_ops, r->ids[0]);
	return e != KEFU_OK ? page_fail(r, e) : resp_redirect(r, "/console/canned-replies?saved=1");
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
	        offline = seconds(page_field(r, "offline_after_s"), PRESENCE_OFFLINE_MIN_S, 86400);
	kefu_err e = KEFU_OK;
	if (away < 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "away_after_s", NULL);
	else if (offline < 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "offline_after_s", NULL);
	else
		e = presence_settings_save(r, away, offline);
	if (e == KEFU_OK)
		return resp_redirect(r, "/console/canned-replies?saved=1");
	return page_form_error(e) ? show(r, NULL, e) : page_fail(r, e);
}

const struct route page_canned_routes[] = {
    {"GET", "/console/canned-replies", list, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/canned-replies", create, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/canned-replies/{id}/delete", delete, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/presence", presence, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
