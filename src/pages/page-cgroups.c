/* page-cgroups: conversation groups in the console: list by priority, create (conditions as JSON, same validation as
 * the API), delete. */
#include <stdlib.h>
#include <string.h>

#include "api/resource.h"
#include "domain/cgroups.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"
#include "store/store-cgroups.h"

static kefu_err show(struct kefu_req *r, json_object *form, kefu_err err)
{
	struct cgroup_row *rows;
	size_t n;
	kefu_err e = db_cgroup_list(r->db, r->arena, r->caller.tenant_id, &rows, &n);
	if (e != KEFU_OK) {
		json_object_put(form);
		return page_fail(r, e);
	}
	json_object *d = page_frame(r, "conversation_groups"), *items = json_object_new_array();
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *g = cgroup_json(&rows[i]);
		json_object_object_add(g, "match_text", json_object_new_string(rows[i].match));
		json_object_object_add(
		    g, "delete_action",
		    json_object_new_string(
		        arena_printf(r->arena, "/console/conversation-groups/%lld/delete", (long long)rows[i].id)));
		json_object_array_add(items, g);
	}
	json_object_object_add(d, "groups", items);
	json_object_object_add(d, "form", form ? form : json_object_new_object());
	return page_render(r, "cgroups", d);
}

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show(r, NULL, KEFU_OK);
}

static kefu_err create(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	const char *name = page_field(r, "name"), *prio = page_field(r, "priority"), *match = page_field(r, "match");
	json_object *form = json_object_new_object(), *in = json_object_new_object();
	json_object_object_add(form, "name", json_object_new_string(name ? name : ""));
	json_object_object_add(form, "priority", json_object_new_string(prio ? prio : ""));
	json_object_object_add(form, "match", json_object_new_string(match ? match : ""));
	page_keep(r, form);
	page_keep(r, in);
	/* The form becomes the API's JSON body: one validation for both. */
	if (name)
		json_object_object_add(in, "name", json_object_new_string(name));
	kefu_err e = KEFU_OK;
	if (prio) {
		char *end;
		long long v = strtoll(prio, &end, 10);
		if (*end != '\0')
			e = req_fail(r, KEFU_E_INVALID_FIELD, "priority", NULL);
		json_object_object_add(in, "priority", json_object_new_int64(v));
	}
	if (e == KEFU_OK && match) {
		json_object *m = json_tokener_parse(match);
		if (m == NULL)
			e = req_fail(r, KEFU_E_INVALID_FIELD, "match", NULL);
		json_object_object_add(in, "match", m);
	}
	struct fault f = {0};
	struct crud_ctx c = resource_ctx(r, &f);
	int64_t id = 0;
	if (e == KEFU_OK && (e = crud_save(&c, &cgroup_ops, in, &id, NULL)) != KEFU_OK && f.field)
		req_fail(r, e, strncmp(f.field, "match", 5) == 0 ? "match" : f.field, NULL);
	json_object_put(in);
	if (e == KEFU_OK) {
		json_object_put(form);
		return resp_redirect(r, "/console/conversation-groups?saved=1");
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
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	kefu_err e = crud_remove(&c, &cgroup_ops, r->ids[0]);
	return e != KEFU_OK ? page_fail(r, e) : resp_redirect(r, "/console/conversation-groups?saved=1");
}

const struct route page_cgroups_routes[] = {
    {"GET", "/console/conversation-groups", list, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/conversation-groups", create, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/conversation-groups/{id}/delete", delete, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
