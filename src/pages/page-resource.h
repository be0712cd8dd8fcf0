/* page-resource: the console's form pages of an admin resource, one descriptor beside its REST one. */
#ifndef KEFU_PAGE_RESOURCE_H
#define KEFU_PAGE_RESOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "api/resource.h"
#include "http/request.h"
#include "http/router.h"

/*
 * A console page of a resource is plain HTML forms (pages/pages.h): the
 * form becomes the API's JSON body (the resource's form fields, or body()
 * where the fields cannot say it) and goes through the same crud_save,
 * then a 303; on a field error the page shows again with what was typed.
 * Only what the page shows is the page's own (show(), and its list):
 *
 *   #define BASE "/console/conversation-groups"
 *   const struct page_resource page_res_cgroups = {
 *       .res = &res_cgroups, .base = BASE, .show = show, .routes = {PAGE_ROUTES_LIST(BASE, list), ROUTES_END}};
 *
 * routes start with the generic ones in this order, as many as the page
 * has (create and delete; then edit and update; then new), then its own
 * (PAGE_ROUTES_* are the usual sets).
 */
enum page_route { PAGE_R_CREATE, PAGE_R_DELETE, PAGE_R_EDIT, PAGE_R_UPDATE, PAGE_R_NEW, PAGE_R_MAX = 9 };
/* In PAGE_ROUTES_LIST, the list (the page with the new form, show(r, 0, NULL, KEFU_OK)) follows delete. */
#define PAGE_R_LIST PAGE_R_EDIT

/* Where a saved form goes: the list, or the saved object's page. */
enum page_done { DONE_LIST, DONE_ITEM, DONE_ITEM_ON_UPDATE };

struct page_resource {
	const struct resource *res;
	const char *base; /* "/console/users" */
	const char *nav;  /* the console's navigation entry (pages.h, page_frame) */
	/* The form as the body when the resource's form fields cannot say it (NULL: they do). */
	kefu_err (*body)(struct kefu_req *r, json_object **out);
	/* The page with the form for id (0: a new one), form what was typed (NULL: the stored object, owned),
	 * err what went wrong with it (KEFU_OK: nothing). */
	kefu_err (*show)(struct kefu_req *r, int64_t id, json_object *form, kefu_err err);
	enum page_done done;
	bool delete_shows; /* a refused delete (CONFLICT) shows the form with why, not an error page */
	struct route routes[PAGE_R_MAX + 1];
};

kefu_err page_res_create(struct kefu_req *r);

/*
 * The create of a page whose new object carries a secret shown once (an API
 * key, a webhook's secret): form, the API's JSON body (kept by the page),
 * goes through ops' crud_save; then show(r, NULL, KEFU_OK, secret) with the
 * created object's member once_field, on this answer only (no redirect); a
 * field error shows the form again with why (show(r, form, e, NULL)); any
 * other error is the error page.
 */
kefu_err page_create_once(struct kefu_req *r, const struct crud_ops *ops, json_object *form, const char *once_field,
                          kefu_err (*show)(struct kefu_req *r, json_object *form, kefu_err err, const char *once));
kefu_err page_res_delete(struct kefu_req *r);
kefu_err page_res_edit(struct kefu_req *r);
kefu_err page_res_update(struct kefu_req *r);
kefu_err page_res_new(struct kefu_req *r);
kefu_err page_res_list(struct kefu_req *r);

#define PAGE_CREATE(base)                                                                                              \
	{                                                                                                              \
		"POST", base, page_res_create, AUTH_PAGE_ADMIN, BODY_FORM                                              \
	}
#define PAGE_POST(path, fn)                                                                                            \
	{                                                                                                              \
		"POST", path, fn, AUTH_PAGE_ADMIN, BODY_FORM                                                           \
	}
#define PAGE_DELETE(base)                                                                                              \
	{                                                                                                              \
		"POST", base "/{id}/delete", page_res_delete, AUTH_PAGE_ADMIN, BODY_FORM                               \
	}
#define PAGE_EDIT(base)                                                                                                \
	{"GET", base "/{id}", page_res_edit, AUTH_PAGE_ADMIN, BODY_NONE},                                              \
	{                                                                                                              \
		"POST", base "/{id}", page_res_update, AUTH_PAGE_ADMIN, BODY_FORM                                      \
	}
#define PAGE_NEW(base)                                                                                                 \
	{                                                                                                              \
		"GET", base "/new", page_res_new, AUTH_PAGE_ADMIN, BODY_NONE                                           \
	}
#define PAGE_LIST(base, list)                                                                                          \
	{                                                                                                              \
		"GET", base, list, AUTH_PAGE_ADMIN, BODY_NONE                                                          \
	}

/* The usual sets: a list with the new form on it (create, delete); a list
 * and a page per object (create, delete, edit); and a page for a new one. */
#define PAGE_ROUTES_LIST(base, list) PAGE_CREATE(base), PAGE_DELETE(base), PAGE_LIST(base, page_res_list)
#define PAGE_ROUTES_EDIT(base, list) PAGE_CREATE(base), PAGE_DELETE(base), PAGE_EDIT(base), PAGE_LIST(base, list)
#define PAGE_ROUTES_FULL(base, list)                                                                                   \
	PAGE_CREATE(base), PAGE_DELETE(base), PAGE_EDIT(base), PAGE_NEW(base), PAGE_LIST(base, list)

/* The descriptor name of the page at base with its routes (PAGE_ROUTES_*,
 * whose list handler is the page's `list`) and more designated fields. */
#define PAGE_RESOURCE(name, base_, nav_, res_, routes_, ...)                                                           \
	const struct page_resource name = {                                                                            \
	    .res = &res_, .base = base_, .nav = nav_, .routes = {routes_(base_, list), ROUTES_END}, __VA_ARGS__}

/* obj[key] = "base/id" and tail ("/delete", "" ...): an object's links in a list. */
void page_link(struct kefu_req *r, json_object *obj, const char *key, const char *base, int64_t id, const char *tail);

/* The start of a form page for id (0: a new one): *view the stored object
 * (NULL for a new one) and *data the page's frame with err's message. On
 * an error (another tenant's id...) form is released and the caller
 * answers page_fail(r, e). */
kefu_err page_res_frame(struct kefu_req *r, const struct page_resource *p, int64_t id, json_object *form, kefu_err err,
                        json_object **view, json_object **data);

/* Where the form page of id (0: a new one) posts: data.form_action (base or
 * base/{id}) and data.delete_action (base/{id}/delete; null for a new one,
 * or when can_delete is false). */
void page_res_actions(struct kefu_req *r, const struct page_resource *p, json_object *data, int64_t id,
                      bool can_delete);

/* The form as the JSON body by the resource's fields; *typed is the same
 * object with FORM_INT and FORM_JSON fields as typed, for showing it again.
 * KEFU_E_INVALID_FIELD (with r's error field) for the first unreadable one. */
kefu_err page_form_body(struct kefu_req *r, const struct form_field *fields, json_object **body, json_object **typed);

/* The descriptors (src/pages/page-*.c). */
extern const struct page_resource page_res_users, page_res_departments, page_res_groups, page_res_rules;
extern const struct page_resource page_res_canned, page_res_cgroups, page_res_webhooks, page_res_quick_buttons;
extern const struct page_resource page_res_tags;

#endif
