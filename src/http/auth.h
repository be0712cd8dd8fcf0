/* auth: who is calling (session cookie, API key, visitor token) and whether the route lets them. */
#ifndef KEFU_AUTH_H
#define KEFU_AUTH_H

#include <stddef.h>

#include "core/err.h"
#include "http/request.h"

#define SESSION_COOKIE "kefu_session"

/* Fill r->caller and r->lang for r->route. KEFU_E_UNAUTHENTICATED (401) when
 * the route needs credentials that are missing or wrong, KEFU_E_FORBIDDEN
 * when they do not allow the route. An HTML page that needs a session
 * answers a redirect to /login instead: then r->status is set and the
 * handler must not run. */
kefu_err auth_resolve(struct kefu_req *r);

/* AUTH_VISITOR's check: the X-Visitor-Token's visitor, on a live channel
 * that allows the request's Origin, becomes r->caller. */
kefu_err auth_visitor(struct kefu_req *r);

/* auth_visitor for n requests in one read of the database (rs[0]->db):
 * errs[i] is rs[i]'s outcome. For requests gathered on one thread (the
 * long-poll tailer's deferred polls, longpoll_defer). */
void auth_visitors(struct kefu_req *const *rs, size_t n, kefu_err *errs);

/* For AUTH_VISITOR_TOKEN routes, whose handler looks the token up with the
 * write it makes (conv_post_text_by_token): KEFU_E_UNAUTHENTICATED without a
 * plausible token, else its hash (64 hex digits) in hash. Once the handler has
 * found the visitor (allowed origin included), auth_visitor_found makes it
 * r->caller, as auth_visitor does. A request the handler refuses before its
 * write goes through auth_visitor first, so a bad token still answers 401. */
struct visitor_auth;
kefu_err auth_visitor_token(struct kefu_req *r, char hash[65]);
void auth_visitor_found(struct kefu_req *r, const struct visitor_auth *va);
/* A handler that read its caller with its own statement (the page view's
 * pageview_by_token): e the lookup's outcome (KEFU_E_NOT_FOUND: no such
 * visitor), *va the visitor; as auth_visitor from there on: the origin
 * checked, r->caller set. */
kefu_err auth_visitor_read(struct kefu_req *r, kefu_err e, const struct visitor_auth *va);
/* Whether r's Origin is acceptable whatever its channel lists (none sent, or the product's own). */
bool auth_origin_open(const struct kefu_req *r);

/* For a session caller on a state-changing method: the X-CSRF-Token header
 * (or the form field csrf_token) must equal the session's token. */
kefu_err auth_check_csrf(struct kefu_req *r);

/* Logging in (the API's and the HTML form's): a request another site's page
 * made (Origin not public_url's, or Sec-Fetch-Site: cross-site) is
 * KEFU_E_FORBIDDEN, so no page can log a browser in to an account of its
 * choosing. Requests without either header (scripts) pass. */
kefu_err auth_check_login_origin(struct kefu_req *r);

/* The cookie header value for a new session token (HttpOnly, SameSite=Lax,
 * Secure over HTTPS). max_age 0 clears it. */
const char *auth_session_cookie(struct kefu_req *r, const char *token, int max_age);

#endif
