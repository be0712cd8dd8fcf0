/* request: one parsed HTTP request, its caller, and the response being built. */
#ifndef KEFU_REQUEST_H
#define KEFU_REQUEST_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "http/parse.h"

struct kefu_app;
struct kefu_db;
struct route;
struct visitor_auth;
typedef struct FCGX_Request FCGX_Request;

/* Who is calling, resolved by http/auth.c before the handler runs. */
enum caller_kind {
	CALLER_NONE,    /* anonymous */
	CALLER_USER,    /* a console or workbench session */
	CALLER_KEY,     /* Authorization: Bearer <api key> */
	CALLER_VISITOR, /* X-Visitor-Token */
};

struct kefu_caller {
	enum caller_kind kind;
	int64_t tenant_id;
	int64_t user_id;    /* CALLER_USER */
	int64_t api_key_id; /* CALLER_KEY */
	int64_t visitor_id; /* CALLER_VISITOR */
	int64_t channel_id; /* CALLER_VISITOR */
	bool admin;         /* admin role, or a key with scope admin */
	bool crm;           /* a key with scope crm */
	const char *name;   /* user's display name */
	const char *role;   /* "admin" | "agent" for users */
	const char *lang;   /* user's UI language, or NULL */
	const char *csrf;   /* the session's CSRF token */
	/* CALLER_VISITOR: the visitor row and its channel's fields as auth read
	 * them at the start of this request (no handler needs to read them again). */
	const struct visitor_auth *visitor;
};

struct resp_header {
	const char *name, *value;
};

#define REQ_MAX_PARAMS   4
#define RESP_MAX_HEADERS 24

struct kefu_req {
	kefu_arena *arena;          /* everything below lives here */
	FCGX_Request *fcgi;         /* NULL once a parked long-poll took it over */
	const struct kefu_app *app; /* long-lived: config, templates, catalogs */
	struct kefu_db *db;         /* this thread's connection */
	struct timespec started;

	/* The request as parsed by http/server.c. */
	const char *method; /* "GET", "POST", ... */
	const char *path;   /* REQUEST_URI without the query, still encoded */
	const char *query_string;
	struct kv_list query;
	struct kv_list cookies;
	const char *content_type;
	const char *remote_addr; /* the client: peer_addr, or the X-Forwarded-For client of a trusted proxy */
	const char *peer_addr;   /* REMOTE_ADDR: the address the web server saw */
	const char *origin;      /* Origin header or NULL */
	const char *user_agent;
	const char *accept_language;
	const char *authorization;
	const char *csrf_header;    /* X-CSRF-Token */
	const char *visitor_token;  /* X-Visitor-Token */
	const char *sec_fetch_site; /* Sec-Fetch-Site: "cross-site", "same-origin", ... or NULL */
	const char *if_none_match;  /* If-None-Match */
	bool https;
	unsigned char *body; /* NUL-terminated, body_len bytes */
	size_t body_len;
	json_object *json;    /* parsed JSON body or NULL (empty body) */
	struct kv_list form;  /* urlencoded body */
	struct mp_list parts; /* multipart body */

	/* Routing. */
	bool
	    from_poll_socket; /* came on the poll socket: only the visitor's own poll is served there (http/routes.h) */
	bool from_pageview_socket; /* came on the page views' socket: only a page view is served there (same) */
	const struct route *route;
	int64_t ids[REQ_MAX_PARAMS];        /* {id}-style path parameters, in order */
	const char *params[REQ_MAX_PARAMS]; /* every path parameter, decoded */
	size_t nparams;

	struct kefu_caller caller;
	struct actor actor; /* the caller as domain and store see it (auth_actor) */
	const char *lang;   /* the UI language picked for this request */

	/* Error detail for the error body (set with req_fail). */
	const char *err_field;
	const char *err_message;
	const struct fault_item *err_all; /* every field at fault ("fields" in the error body), err_nall of them */
	size_t err_nall;
	int retry_after; /* seconds, for 429 and 503 */

	/* The response. */
	int status;
	struct resp_header headers[RESP_MAX_HEADERS];
	size_t nheaders;
	const char *resp_type;
	const char *resp_body; /* arena or static memory */
	size_t resp_len;
	bool html_page;          /* add the console's frame and CSP headers */
	const char *cors_origin; /* echo as Access-Control-Allow-Origin (widget API) */
	const char *allow;       /* methods for Allow (405 and OPTIONS) */
};

/* Record why the request fails and return e, for `return req_fail(...)`.
 * field and message may be NULL (the default message for e is used). */
kefu_err req_fail(struct kefu_req *r, kefu_err e, const char *field, const char *message);
/* req_fail with a domain call's fault: `return req_fail_fault(r, e, &f)`. */
kefu_err req_fail_fault(struct kefu_req *r, kefu_err e, const struct fault *f);

/* The value of query parameter name, or NULL. */
const char *req_query(const struct kefu_req *r, const char *name);
/* Query parameter as an integer in [min, max]; def when absent. Invalid →
 * KEFU_E_INVALID_FIELD with the field set. */
kefu_err req_query_int(struct kefu_req *r, const char *name, int64_t min, int64_t max, int64_t def, int64_t *out);
/* A cookie's value, or NULL. */
const char *req_cookie(const struct kefu_req *r, const char *name);
/* A form field (urlencoded or a multipart field without a file), or NULL. */
const char *req_form(const struct kefu_req *r, const char *name);
/* The User-Agent as a visitor's rows keep it: at most 500 bytes of UTF-8, cut at a code point; NULL when none. */
const char *req_user_agent(struct kefu_req *r);
/* Percent-encode s for a query value (keeps unreserved characters and '/'). */
kefu_err req_url_encode(kefu_arena *a, const char *s, char **out);

#endif
