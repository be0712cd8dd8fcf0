/* page-users: the console's user list and the create/edit forms (admins and agents). */
#include <string.h>

#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	json_object *users, *tree;
	kefu_err e = org_user_list(r->db, r->arena, r->caller.tenant_id, &users);
	if (e != KEFU_OK)
		return e;
	e = page_dept_tree(r, NULL, 0, &tree);
	if (e != KEFU_OK) {
		json_object_put(users);
		return e;
	}
	/* Department names beside each user, and role flags for the badges. */
	json_object *items;
	json_object_object_get_ex(users, "items", &items);
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *u = json_object_array_get_idx(items, i), *ids, *role, *names = json_object_new_array();
		json_object_object_get_ex(u, "department_ids", &ids);
		json_object_object_get_ex(u, "role", &role);
		for (size_t k = 0; k < json_object_array_length(ids); k++)
			for (size_t t = 0; t < json_object_array_length(tree); t++) {
				json_object *d = json_object_array_get_idx(tree, t), *id, *nm;
				json_object_object_get_ex(d, "id", &id);
				json_object_object_get_ex(d, "name", &nm);
				if (json_object_get_int64(id) ==
				    json_object_get_int64(json_object_array_get_idx(ids, k)))
					json_object_array_add(names, json_object_get(nm));
			}
		json_object_object_add(u, "department_names", names);
		page_flag(u, "is_admin", strcmp(json_object_get_string(role), "admin") == 0);
		json_object *uid;
		json_object_object_get_ex(u, "id", &uid);
		page_link(r, u, "href", page_res_users.base, json_object_get_int64(uid), "");
	}
	json_object_put(tree);
	json_object *d = page_frame(r, "users");
	json_object_object_add(d, "users", json_object_get(items));
	json_object_put(users);
	return page_render(r, "users", d);
}

/* The form page: view is the user (edit) or NULL (new); form what was typed. */
static kefu_err show_form(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	json_object *view, *d;
	kefu_err e = page_res_frame(r, &page_res_users, id, form, err, &view, &d);
	if (e != KEFU_OK)
		return page_fail(r, e);
	/* d holds what the page shows from here on: an error releases d alone. */
	json_object *f = form ? form : view ? json_object_get(view) : json_object_new_object();
	json_object_object_add(d, "form", f);
	json_object_object_add(d, "user", view);
	json_object *role = NULL, *ids = NULL, *tree;
	json_object_object_get_ex(f, "role", &role);
	json_object_object_get_ex(f, "department_ids", &ids);
	const char *rs = role ? json_object_get_string(role) : "agent";
	page_flag(d, "role_admin", strcmp(rs, "admin") == 0);
	page_flag(d, "role_agent", strcmp(rs, "admin") != 0);
	size_t n;
	int64_t *checked = page_id_array(r, ids, &n);
	e = page_dept_tree(r, checked, n, &tree);
	if (e != KEFU_OK) {
		json_object_put(d);
		return e;
	}
	json_object_object_add(d, "departments", tree);
	/* No delete button on the admin's own page: deleting yourself is refused anyway. */
	page_res_actions(r, &page_res_users, d, id, id != r->caller.user_id);
	return page_render(r, "users-form", d);
}

PAGE_RESOURCE(page_res_users, "/console/users", "users", res_users, PAGE_ROUTES_FULL, .show = show_form,
              .delete_shows = true);
