/* resource: an admin resource as one descriptor, served by one set of REST handlers (and the console's form pages). */
#ifndef KEFU_API_RESOURCE_H
#define KEFU_API_RESOURCE_H

#include <stdbool.h>

#include "domain/crud.h"
#include "http/request.h"
#include "http/router.h"

/*
 * As tmux's cmd_entry describes a command and openradtool's CRUD is
 * generated from a table, an admin resource is a descriptor:
 *
 *   const struct resource res_cgroups = RESOURCE("/api/v1/admin/conversation-groups", &cgroup_ops,
 *                                                .form = cgroup_form);
 *
 * ops (domain/crud.h) are its store binding, rules and audit type; form
 * the console form's fields (pages/page-resource.c); the routes, listed in
 * http/routes.c, are the Admin API of docs/openapi.json: POST creates (201 and the
 * object), GET lists ({"items": [...]}), GET /{id}, PATCH /{id} (partial,
 * 200 and the object), DELETE /{id} (204), for admins and keys with scope
 * admin. Errors carry the field and message the domain put in its fault.
 * A new admin resource is one descriptor, one line in http/routes.c and
 * its domain rules.
 */

/* A console form field: how a posted form becomes the JSON body (pages/page-resource.c). */
enum form_type {
	FORM_TEXT,         /* trimmed; absent when empty (a PATCH keeps the value) */
	FORM_TEXT_EMPTY,   /* trimmed; "" when empty (the rules say what "" is) */
	FORM_TEXT_OR_NULL, /* trimmed; null when empty (clears it) */
	FORM_SECRET,       /* as typed; absent when empty, and never shown again */
	FORM_ID_OR_NULL,   /* a positive id, or null when empty */
	FORM_IDS,          /* repeated checkboxes: an array of ids */
	FORM_INT,          /* a whole number; absent when empty, shown again as typed */
	FORM_BOOL,         /* a checkbox: true when sent, false when not (the form always shows it) */
	FORM_JSON,         /* JSON text (a textarea), sent as its value; shown again as typed; the field's
	                    * errors inside it (match.all[0].op) are shown on it */
};

struct form_field {
	const char *name;
	enum form_type type;
};

enum resource_route { RES_LIST, RES_CREATE, RES_GET, RES_UPDATE, RES_DELETE, RES_NROUTES };

struct resource {
	const char *path; /* the collection */
	const struct crud_ops *ops;
	const struct form_field *form; /* ends with {NULL}; NULL: no console form */
	bool nested; /* path has its parent's {..._id} first (crud_ctx.parent_id); the item's id is the second */
	struct route routes[RES_NROUTES + 1]; /* in enum resource_route order, then ROUTES_END */
};

/* The operations' context for r: its connection, arena and actor; fault collects a refusal. */
struct crud_ctx resource_ctx(struct kefu_req *r, struct fault *fault);
/* Return e, recording fault's field and message for the error body. */
kefu_err resource_fail(struct kefu_req *r, kefu_err e, const struct fault *fault);

kefu_err resource_create(struct kefu_req *r);
kefu_err resource_list(struct kefu_req *r);
kefu_err resource_get(struct kefu_req *r);
kefu_err resource_update(struct kefu_req *r);
kefu_err resource_delete(struct kefu_req *r);

/* A descriptor for the collection at path (a string literal) with ops; more designated fields may follow. */
#define RESOURCE(path_, ops_, ...) RESOURCE_BODIES(path_, ops_, BODY_NONE, __VA_ARGS__)
/* The same, where DELETE reads a body as delete_body says (channels: empty, or {}, per the API reference). */
#define RESOURCE_BODIES(path_, ops_, delete_body, ...)                                                                 \
	{                                                                                                              \
		.path = path_, .ops = ops_,                                                                            \
		.routes =                                                                                              \
		    {                                                                                                  \
		        {"GET", path_, resource_list, AUTH_ADMIN, BODY_NONE},                                          \
		        {"POST", path_, resource_create, AUTH_ADMIN, BODY_JSON},                                       \
		        {"GET", path_ "/{id}", resource_get, AUTH_ADMIN, BODY_NONE},                                   \
		        {"PATCH", path_ "/{id}", resource_update, AUTH_ADMIN, BODY_JSON},                              \
		        {"DELETE", path_ "/{id}", resource_delete, AUTH_ADMIN, delete_body},                           \
		        ROUTES_END,                                                                                    \
		    },                                                                                                 \
		__VA_ARGS__                                                                                            \
	}

/* The descriptors (src/api/api-*.c). */
extern const struct resource res_users, res_departments, res_groups, res_rules;
extern const struct resource res_cgroups, res_webhooks, res_quick_buttons, res_canned;
extern const struct resource res_tags, res_channels, res_apikeys;
extern const struct resource res_triggers;

#endif
