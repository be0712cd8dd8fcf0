/* router: the static route table and dispatch from a parsed request to one handler. */
#ifndef KEFU_ROUTER_H
#define KEFU_ROUTER_H

#include "core/err.h"
#include "http/request.h"

/* Who may call a route; resolved before the handler runs (http/auth.c). */
enum route_auth {
	AUTH_NONE,          /* public */
	AUTH_STAFF,         /* an admin's or agent's session (JSON API) */
	AUTH_ADMIN,         /* an admin's session, or a key with scope admin */
	AUTH_CRM,           /* a key with scope crm */
	AUTH_CRM_ADMIN,     /* a key with scope crm or admin, or an admin's session (privacy) */
	AUTH_VISITOR,       /* a widget visitor: X-Visitor-Token */
	AUTH_VISITOR_TOKEN, /* the same, the token checked by the handler with its write (auth_visitor_token) */
	AUTH_PAGE,          /* HTML page, no session needed */
	AUTH_PAGE_STAFF,    /* HTML page for a signed-in admin or agent; else redirect to /login */
	AUTH_PAGE_ADMIN,    /* HTML page for a signed-in admin */
	AUTH_METRICS,       /* loopback callers and keys with scope admin */
};

/* What the body must be; anything else is 415 (or 400 for a broken one). */
enum route_body {
	BODY_NONE,      /* ignored */
	BODY_JSON,      /* application/json, up to conf.json_limit; empty allowed */
	BODY_FORM,      /* x-www-form-urlencoded, up to conf.json_limit */
	BODY_MULTIPART, /* multipart/form-data, up to conf.upload_limit */
};

typedef kefu_err (*route_handler)(struct kefu_req *r);

/* One line of the table. pattern segments in braces are parameters:
 * "{id}" (and any name ending in "id") must be a positive integer and lands in
 * r->ids; every parameter also lands, decoded, in r->params. */
struct route {
	const char *method;
	const char *pattern;
	route_handler handler;
	enum route_auth auth;
	enum route_body body;
};

/* Each resource file exports a table ending with an all-zero entry. */
#define ROUTES_END                                                                                                     \
	{                                                                                                              \
		0                                                                                                      \
	}

/* Find the route for method and path. KEFU_E_NOT_FOUND when no pattern
 * matches, KEFU_E_METHOD when the path matches with another method (then
 * *allow lists the methods). Fills r->ids / r->params. HEAD matches GET. */
kefu_err router_match(struct kefu_req *r, const struct route **out, const char **allow);

/* Every route, for metrics labels; n set to the count. */
const struct route *const *router_all(size_t *n);
/* The index of route in router_all(), for per-route counters. */
size_t router_index(const struct route *route);

/* Take the routes of tables (NULL-terminated; each table ends with a route
 * whose method is NULL), in order: http/routes.h's route_tables. The tables
 * are passed in so the router stays below the table that names every handler. */
void router_init(const struct route *const *tables);

#endif
