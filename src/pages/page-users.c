/* page-users: the console's user list and the create/edit forms (admins and agents). */
#include <string.h>

#include "api/resource.h"
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

/* The form as the API's JSON body (same validation as POST/PATCH /admin/users). */
static kefu_err form_json(struct kefu_req *r, bool create, json_object **out)
{
	json_object *o = json_object_new_object(), *depts;
	const char *login = page_field(r, "login"), *name = page_field(r, "name"), *role = page_field(r, "role");
	const char *password = req_form(r, "password"), *ext = page_field(r, "external_id");
	json_object_object_add(o, "login", json_object_new_string(login ? login : ""));
	json_object_object_add(o, "name", json_object_new_string(name ? name : ""));
	json_object_object_add(o, "role", json_object_new_string(role ? role : ""));
	if (password && *password)
		json_object_object_add(o, "password", json_object_new_string(password));
	if (ext || !create)
		json_object_object_add(o, "external_id", ext ? json_object_new_string(ext) : NULL);
	*out = o;
	if (page_ids(r, "department_ids", &depts) != KEFU_OK)
		return req_fail(r, KEFU_E_INVALID_FIELD, "department_ids", NULL);
	json_object_object_add(o, "department_ids", depts);
	return KEFU_OK;
}

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
		json_object_object_add(u, "href",
		                       json_object_new_string(arena_printf(r->arena, "/console/users/%lld",
		                                                           (long long)json_object_get_int64(uid))));
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
	json_object *view = NULL;
	kefu_err e = KEFU_OK;
	if (id) {
		e = org_user_view(r->db, r->arena, r->caller.tenant_id, id, &view);
		if (e != KEFU_OK) {
			json_object_put(form);
			return page_fail(r, e);
		}
	}
	json_object *d = page_frame(r, "users");
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	json_object *f = form ? form : view ? json_object_get(view) : json_object_new_object();
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
		json_object_put(f);
		json_object_put(d);
		json_object_put(view);
		return e;
	}
	json_object_object_add(d, "departments", tree);
	json_object_object_add(d, "form", f);
	json_object_object_add(d, "user", view);
	json_object_object_add(d, "form_action",
	                       json_object_new_string(id ? arena_printf(r->arena, "/console/users/%lld", (long long)id)
	                                                 : "/console/users"));
	/* No delete button on the admin's own page: deleting yourself is refused anyway. */
	json_object_object_add(
	    d, "delete_action",
	    id && id != r->caller.user_id
	        ? json_object_new_string(arena_printf(r->arena, "/console/users/%lld/delete", (long long)id))
	        : NULL);
	return page_render(r, "users-form", d);
}

static kefu_err new_form(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show_form(r, 0, NULL, KEFU_OK);
}

static kefu_err edit(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show_form(r, r->ids[0], NULL, KEFU_OK);
}

static kefu_err save(struct kefu_req *r, int64_t id)
{
	struct fault f = {0};
	struct crud_ctx c = resource_ctx(r, &f);
	json_object *form = NULL;
	struct org_user_in in;
	const char *bad = NULL;
	kefu_err e = form_json(r, id == 0, &form);
	page_keep(r, form);
	if (e == KEFU_OK) {
		e = org_user_parse(r->arena, form, id == 0, &in, &bad);
		if (e != KEFU_OK)
			req_fail(r, e, bad, NULL);
	}
	if (e == KEFU_OK)
		e = resource_fail(r, org_user_save(&c, &in, &id, NULL), &f);
	if (e == KEFU_OK) {
		json_object_put(form);
		return resp_redirect(r, "/console/users?saved=1");
	}
	if (!page_form_error(e)) {
		json_object_put(form);
		return page_fail(r, e);
	}
	/* Never send a password back into the page. */
	json_object_object_del(form, "password");
	return show_form(r, r->ids[0], form, e);
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
	kefu_err e = resource_fail(r, org_user_delete(&c, r->ids[0]), &f);
	if (e == KEFU_E_CONFLICT)
		return show_form(r, r->ids[0], NULL, e);
	return e != KEFU_OK ? page_fail(r, e) : resp_redirect(r, "/console/users?saved=1");
}

const struct route page_users_routes[] = {
    {"GET", "/console/users", list, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/users", create, AUTH_PAGE_ADMIN, BODY_FORM},
    {"GET", "/console/users/new", new_form, AUTH_PAGE_ADMIN, BODY_NONE},
    {"GET", "/console/users/{id}", edit, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/users/{id}", update, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/users/{id}/delete", delete, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
