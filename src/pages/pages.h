/* pages: what every console page shares: the frame data, form fields as JSON, field errors, error pages. */
#ifndef KEFU_PAGES_H
#define KEFU_PAGES_H

#include <stdbool.h>

#include <json-c/json.h>

#include "http/request.h"

/*
 * Console pages are plain HTML forms (POST with a csrf_token field, then a
 * 303 to a GET: pages work without JavaScript). A form is turned into the
 * JSON object the REST API takes and goes through the same domain/org.c
 * validation and save, so the API and the console cannot drift apart. On a
 * validation error the form is rendered again with what was typed and the
 * message beside the field (data.errors.<field>, dots in field names
 * written as '_').
 */

/* First line of every handler of a page that needs a session. auth_resolve
 * answers a visitor without one with a redirect to /login and the handler
 * must then leave that answer alone (the dispatcher calls it anyway). */
#define PAGE_NEED_SESSION(r)                                                                                           \
	do {                                                                                                           \
		if ((r)->caller.kind != CALLER_USER)                                                                   \
			return KEFU_OK;                                                                                \
	} while (0)

/* The data every page starts from: {"me": {"id", "name", "admin"}, "csrf",
 * "path", "nav": {active: "page"}, "lang_en", "lang_zh", "saved"}. The
 * layout marks the nav entry whose key is active (see layout.xhtml). */
json_object *page_frame(struct kefu_req *r, const char *active);

/* Translate key in the request's language (static or catalog storage). */
const char *page_t(struct kefu_req *r, const char *key);

/* A form field trimmed of surrounding spaces, NULL when absent or empty. */
const char *page_field(struct kefu_req *r, const char *name);
/* Every value of a repeated field (checkboxes) as a JSON array of ids; a
 * value that is not an id gives KEFU_E_INVALID_FIELD. */
kefu_err page_ids(struct kefu_req *r, const char *name, json_object **out);
/* Whether the repeated field name has the value. */
bool page_has_value(struct kefu_req *r, const char *name, const char *value);

/* Put the message for error e on field (r->err_field when field is NULL)
 * into data.errors, and a banner into data.error. Clears r->err_field. */
void page_set_error(struct kefu_req *r, json_object *data, kefu_err e, const char *field);
/* The form control a field at fault is shown on: the first of controls
 * (NULL-ended) that field is or is inside ("prechat_fields.2.name" is on
 * "prechat_fields"), else field itself; fallback for a fault of no field. */
const char *page_control(const char *field, const char *fallback, const char *const *controls);
/* Whether e is one a form shows to the user (invalid field, conflict). */
bool page_form_error(kefu_err e);

/* Render a page (200) or an error page for e with its status. */
kefu_err page_render(struct kefu_req *r, const char *tpl, json_object *data);
kefu_err page_fail(struct kefu_req *r, kefu_err e);
/* A form page that cannot be shown (another tenant's id, the database
 * gone...): form (what was typed, or the page's data so far; may be NULL)
 * is dropped and e answered as an error page. */
kefu_err page_fail_form(struct kefu_req *r, kefu_err e, json_object *form);
/* The frame of a form page (page_frame) with err's message on it, as
 * page_set_error puts it (KEFU_OK: none). */
json_object *page_form_frame(struct kefu_req *r, const char *active, kefu_err err);

/* The department tree in display order: [{"id", "name", "label" (indented
 * by depth), "depth" (class "depth-N"), "parent_id", "members", "checked"}],
 * checked when the id is in checked[0..n). */
kefu_err page_dept_tree(struct kefu_req *r, const int64_t *checked, size_t n, json_object **out);
/* The tenant's users as [{"id", "name", "login", "checked"}], checked ones first in checked order. */
kefu_err page_user_choices(struct kefu_req *r, const int64_t *checked, size_t n, json_object **out);
/* A JSON array of ids as a C array in the arena. */
int64_t *page_id_array(struct kefu_req *r, json_object *arr, size_t *n);

/* Keep o alive until the request ends (strings borrowed from it stay valid
 * after the caller hands its own reference away). */
void page_keep(struct kefu_req *r, json_object *o);

/* Add key=true to obj (for checked/selected flags). */
void page_flag(json_object *obj, const char *key, bool on);

#endif
