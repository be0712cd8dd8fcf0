/* page-departments: the department tree, creating, editing and deleting departments in the console. */
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

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
	json_object *d = page_form_frame(r, "departments", err);
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
	json_object *view, *d;
	kefu_err e = page_res_frame(r, &page_res_departments, id, form, err, &view, &d);
	if (e != KEFU_OK)
		return page_fail(r, e);
	json_object_object_add(d, "dept", json_object_get(view));
	page_res_actions(r, &page_res_departments, d, id, true);
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

/* The list (with the new form) or a department's page. */
static kefu_err show(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	return id ? show_edit(r, id, form, err) : show_list(r, form, err);
}

PAGE_RESOURCE(page_res_departments, "/console/departments", "departments", res_departments, PAGE_ROUTES_EDIT,
              .show = show, .done = DONE_ITEM_ON_UPDATE, .delete_shows = true);
