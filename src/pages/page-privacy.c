/* page-privacy: privacy in the console: the tenant's retention periods, and looking up a person (WebImVisitorObj
 * record) to export or erase (with a confirm step). */
#include <stdlib.h>
#include <string.h>

#include "domain/privacy.h"
#include "domain/retention.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

/* The lookup's result into d.found (or d.not_found); confirm asks before erasing. */
static kefu_err lookup(struct kefu_req *r, json_object *d, const char *q, bool confirm)
{
	struct crm_record rec;
	kefu_err e = privacy_find(r->db, r->arena, r->caller.tenant_id, q, &rec);
	if (e == KEFU_E_NOT_FOUND) {
		json_object_object_add(d, "not_found", json_object_new_boolean(true));
		return KEFU_OK;
	}
	int64_t *ids;
	size_t n = 0, nc = 0;
	struct privacy_conversation *convs;
	if (e == KEFU_OK)
		e = privacy_visitor_ids(r->db, r->arena, r->caller.tenant_id, rec.id, false, &ids, &n);
	if (e == KEFU_OK && n > 0)
		e = privacy_conversations(r->db, r->arena, r->caller.tenant_id, ids, n, &convs, &nc);
	if (e != KEFU_OK)
		return e;
	json_object *f = json_object_new_object();
	json_object_object_add(f, "id", json_object_new_int64(rec.id));
	json_object_object_add(f, "external_id", json_object_new_string(rec.external_id));
	json_object_object_add(f, "created_at", json_object_new_string(rec.created_at ? rec.created_at : ""));
	json_object_object_add(f, "visitors", json_object_new_int64((int64_t)n));
	json_object_object_add(f, "conversations", json_object_new_int64((int64_t)nc));
	/* The export is the API's own answer: an admin's session may call it. */
	json_object_object_add(
	    f, "export_url",
	    json_object_new_string(arena_printf(r->arena, "/api/v1/crm/visitors/%lld/export", (long long)rec.id)));
	json_object_object_add(f, "export_name",
	                       json_object_new_string(arena_printf(r->arena, "visitor-%lld.json", (long long)rec.id)));
	json_object_object_add(f, "confirm_url",
	                       json_object_new_string(arena_printf(r->arena, "/console/privacy?q=%lld&confirm=1#erase",
	                                                           (long long)rec.id)));
	json_object_object_add(
	    f, "erase_action",
	    json_object_new_string(arena_printf(r->arena, "/console/privacy/visitors/%lld/erase", (long long)rec.id)));
	page_flag(f, "confirm", confirm);
	json_object_object_add(d, "found", f);
	return KEFU_OK;
}

static kefu_err show(struct kefu_req *r, json_object *form, kefu_err err)
{
	struct retention_settings s;
	kefu_err e = retention_get(r->db, r->arena, r->caller.tenant_id, &s);
	json_object *d = page_frame(r, "privacy");
	const char *q = req_query(r, "q");
	if (e == KEFU_OK && q != NULL && *q != '\0') {
		json_object_object_add(d, "q", json_object_new_string(q));
		e = lookup(r, d, q, req_query(r, "confirm") != NULL);
	}
	if (e != KEFU_OK) {
		json_object_put(d);
		return page_fail_form(r, e, form);
	}
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	json_object_object_add(d, "retention", form ? form : retention_json(&s));
	json_object_object_add(d, "erased", json_object_new_boolean(req_query(r, "erased") != NULL));
	return page_render(r, "privacy", d);
}

static kefu_err view(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show(r, NULL, KEFU_OK);
}

static kefu_err retention(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	/* The form becomes the API's JSON body: one validation for both. A
	 * field that is not a whole number stays a string, which the check
	 * refuses. */
	json_object *form = json_object_new_object();
	for (size_t i = 0; retention_keys[i]; i++) {
		const char *v = page_field(r, retention_keys[i]);
		char *end = NULL;
		long long n = v ? strtoll(v, &end, 10) : 0;
		json_object_object_add(form, retention_keys[i],
		                       v == NULL                  ? json_object_new_int64(0)
		                       : *end == '\0' && end != v ? json_object_new_int64(n)
		                                                  : json_object_new_string(v));
	}
	/* A checkbox: absent when unticked. */
	json_object_object_add(form, "mask_visitor_address",
	                       json_object_new_boolean(page_field(r, "mask_visitor_address") != NULL));
	struct retention_settings base = {0}, s;
	const char *bad = NULL;
	kefu_err e = retention_check(form, &base, &s, &bad);
	if (e != KEFU_OK)
		req_fail(r, e, bad, NULL);
	else
		e = retention_save(r->db, r->arena, &r->actor, &s);
	if (e == KEFU_OK) {
		json_object_put(form);
		return resp_redirect(r, "/console/privacy?saved=1");
	}
	if (!page_form_error(e))
		return page_fail_form(r, e, form);
	return show(r, form, e);
}

static kefu_err erase(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	const char *confirm = page_field(r, "confirm");
	if (confirm == NULL || strcmp(confirm, "yes") != 0) /* only the confirm step's form erases */
		return resp_redirect(
		    r, arena_printf(r->arena, "/console/privacy?q=%lld&confirm=1#erase", (long long)r->ids[0]));
	kefu_err e = privacy_erase(r->db, r->arena, &r->actor, r->ids[0]);
	return e != KEFU_OK ? page_fail(r, e) : resp_redirect(r, "/console/privacy?erased=1");
}

const struct route page_privacy_routes[] = {
    {"GET", "/console/privacy", view, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/privacy/retention", retention, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/privacy/visitors/{id}/erase", erase, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
