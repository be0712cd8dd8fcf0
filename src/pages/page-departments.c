/* page-departments: the department tree, creating, editing and deleting departments in the console. */
#include <stdlib.h>

#include "api/resource.h"
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

/* The form as the API's JSON body; a parent that is not a number is a field error. */
static kefu_err form_json(struct kefu_req *r, json_object **out)
{
	json_object *o = json_object_new_object();
	const char *name = page_field(r, "name"), *parent = page_field(r, "parent_id"),
	           *ext = page_field(r, "external_id");
	json_object_object_add(o, "name", json_object_new_string(name ? name : ""));
	json_object_object_add(o, "external_id", ext ? json_object_new_string(ext) : NULL);
	if (parent) {
		char *end;
		long long v = strtoll(parent, &end, 10);
		if (*end != '\0' || v <= 0) {
			json_object_put(o);
			return req_fail(r, KEFU_E_INVALID_FIELD, "parent_id", NULL);
		}
		json_object_object_add(o, "parent_id", json_object_new_int64(v));
	} else {
		json_object_object_add(o, "parent_id", NULL);
	}
	*out = o;
	return KEFU_OK;
}

/* data.form from a view or from what was typed; data.parents marks the chosen parent. */
static kefu_err fill(struct kefu_req *r, json_object *d, json_object *form, int64_t self)
{
	json_object *p = NULL, *tree;
	json_object_object_get_ex(form, "parent_id", &p);
	int64_t parent = p ? json_object_get_int64(p) : 0;
	kefu_err e = page_dept_tree(r, &parent, parent ? 1 : 0, &tree);
	if (e != KEFU_OK)
		return e;
	/* A department cannot be its own parent: leave it out of the choices. */
	json_object *parents = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(tree); i++) {
		json_object *t = json_object_array_get_idx(tree, i), *id;
		json_object_object_get_ex(t, "id", &id);
		if (json_object_get_int64(id) != self)
			json_object_array_add(parents, json_object_get(t));
	}
	json_object_object_add(d, "tree", tree);
	json_object_object_add(d, "parents", parents);
	json_object_object_add(d, "form", form);
	page_flag(d, "no_parent", parent == 0);
	return KEFU_OK;
}

static kefu_err show_list(struct kefu_req *r, json_object *form, kefu_err err)
{
	json_object *d = page_frame(r, "departments");
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	kefu_err e = fill(r, d, form ? form : json_object_new_object(), 0);
	if (e != KEFU_OK) {
		json_object_put(d);
		return e;
	}
	return page_render(r, "departments", d);
}

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show_list(r, NULL, KEFU_OK);
}

static kefu_err show_edit(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	json_object *view;
	kefu_err e = org_dept_view(r->db, r->arena, r->caller.tenant_id, id, &view);
	if (e != KEFU_OK) {
		json_object_put(form);
		return page_fail(r, e);
	}
	json_object *d = page_frame(r, "departments");
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	json_object_object_add(d, "dept", json_object_get(view));
	json_object_object_add(
	    d, "form_action",
	    json_object_new_string(arena_printf(r->arena, "/console/departments/%lld", (long long)id)));
	json_object_object_add(
	    d, "delete_action",
	    json_object_new_string(arena_printf(r->arena, "/console/departments/%lld/delete", (long long)id)));
	e = fill(r, d, form ? form : view, id);
	if (form)
		json_object_put(view);
	if (e == KEFU_OK) {
		json_object *members, *ids;
		json_object_object_get_ex(view, "member_user_ids", &ids);
		size_t n;
		int64_t *m = page_id_array(r, ids, &n);
		e = page_user_choices(r, m, n, &members);
		if (e == KEFU_OK) {
			/* Only the members are listed here; membership is edited on the user. */
			json_object *only = json_object_new_array();
			for (size_t i = 0; i < n && i < json_object_array_length(members); i++)
				json_object_array_add(only, json_object_get(json_object_array_get_idx(members, i)));
			json_object_put(members);
			json_object_object_add(d, "members", only);
		}
	}
	if (e != KEFU_OK) {
		json_object_put(d);
		return e;
	}
	return page_render(r, "departments-edit", d);
}

static kefu_err edit(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show_edit(r, r->ids[0], NULL, KEFU_OK);
}

static kefu_err save(struct kefu_req *r, int64_t id)
{
	struct fault f = {0};
	struct crud_ctx c = resource_ctx(r, &f);
	json_object *form = NULL;
	struct org_dept_in in;
	const char *bad = NULL;
	kefu_err e = form_json(r, &form);
	if (e == KEFU_OK) {
		page_keep(r, form);
		e = org_dept_parse(r->arena, form, true, &in, &bad);
		if (e != KEFU_OK)
			req_fail(r, e, bad, NULL);
	}
	if (e == KEFU_OK)
		e = resource_fail(r, org_dept_save(&c, &in, &id, NULL), &f);
	if (e == KEFU_OK) {
		json_object_put(form);
		return resp_redirect(r, id && r->ids[0]
		                            ? arena_printf(r->arena, "/console/departments/%lld?saved=1", (long long)id)
		                            : "/console/departments?saved=1");
	}
	if (!page_form_error(e)) {
		json_object_put(form);
		return page_fail(r, e);
	}
	if (form == NULL) /* the form itself was unreadable: show it empty with the error */
		form = json_object_new_object();
	return r->ids[0] ? show_edit(r, r->ids[0], form, e) : show_list(r, form, e);
}

static kefu_err create(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return save(r, 0);
}

static kefu_err update(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return save(r, r->ids[0]);
}

static kefu_err delete (struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	struct fault f = {0};
	struct crud_ctx c = resource_ctx(r, &f);
	kefu_err e = resource_fail(r, org_dept_delete(&c, r->ids[0]), &f);
	if (e == KEFU_E_CONFLICT)
		return show_edit(r, r->ids[0], NULL, e);
	return e != KEFU_OK ? page_fail(r, e) : resp_redirect(r, "/console/departments?saved=1");
}

const struct route page_departments_routes[] = {
    {"GET", "/console/departments", list, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/departments", create, AUTH_PAGE_ADMIN, BODY_FORM},
    {"GET", "/console/departments/{id}", edit, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/departments/{id}", update, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/departments/{id}/delete", delete, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
