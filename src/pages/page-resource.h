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
 *   const struct page_resource page_res_canned = {
 *       .res = &res_canned, .base = "/console/canned-replies", .show = show,
 *       .routes = {PAGE_CREATE("/console/canned-replies"), PAGE_DELETE("/console/canned-replies"),
 *                  {"GET", "/console/canned-replies", list, AUTH_PAGE_ADMIN, BODY_NONE}, ROUTES_END},
 *   };
 *
 * routes start with the generic ones in this order, as many as the page
 * has (create and delete; then edit and update; then new), then its own.
 */
enum page_route { PAGE_R_CREATE, PAGE_R_DELETE, PAGE_R_EDIT, PAGE_R_UPDATE, PAGE_R_NEW, PAGE_R_MAX = 9 };

/* Where a saved form goes: the list, or the saved object's page. */
enum page_done { DONE_LIST, DONE_ITEM, DONE_ITEM_ON_UPDATE };

struct page_resource {
	const struct resource *res;
	const char *base; /* "/console/users" */
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
kefu_err page_res_delete(struct kefu_req *r);
kefu_err page_res_edit(struct kefu_req *r);
kefu_err page_res_update(struct kefu_req *r);
kefu_err page_res_new(struct kefu_req *r);

#define PAGE_CREATE(base)                                                                                              \
	{                                                                                                              \
		"POST", base, page_res_create, AUTH_PAGE_ADMIN, BODY_FORM                                              \
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

/* The form as the JSON body by the resource's fields; *typed is the same
 * object with FORM_INT and FORM_JSON fields as typed, for showing it again.
 * KEFU_E_INVALID_FIELD (with r's error field) for the first unreadable one. */
kefu_err page_form_body(struct kefu_req *r, const struct form_field *fields, json_object **body, json_object **typed);

/* The descriptors (src/pages/page-*.c). */
extern const struct page_resource page_res_users, page_res_departments, page_res_groups, page_res_rules;
extern const struct page_resource page_res_canned, page_res_cgroups;

#endif
