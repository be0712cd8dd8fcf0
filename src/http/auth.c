/* auth: resolving credentials to a caller in the tenant they belong to. */
#include "http/auth.h"

#include <string.h>

#include "crypto/hash.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "domain/channels.h"
#include "store/store-apikeys.h"
#include "store/store-channels.h"
#include "store/store-sessions.h"
#include "store/store-visitors.h"
#include "view/i18n.h"

static kefu_err from_key(struct kefu_req *r, const char *key)
{
	char hash[65];
	crypto_sha256_hex(key, strlen(key), hash);
	struct api_key_row k;
	kefu_err e = db_apikey_by_hash(r->db, r->arena, hash, &k);
	if (e == KEFU_E_NOT_FOUND)
		return KEFU_E_UNAUTHENTICATED;
	if (e != KEFU_OK)
		return e;
	r->caller = (struct kefu_caller){
	    .kind = CALLER_KEY,
	    .tenant_id = k.tenant_id,
	    .api_key_id = k.id,
	    .admin = k.admin,
	    .crm = k.crm,
	    .name = k.name,
	};
	return KEFU_OK;
}

static kefu_err from_session(struct kefu_req *r, const char *token)
{
	char hash[65];
	crypto_sha256_hex(token, strlen(token), hash);
	struct session_user s;
	kefu_err e = db_session_get(r->db, r->arena, hash, r->app->conf.session_idle_s, &s);
	if (e == KEFU_E_NOT_FOUND)
		return KEFU_E_UNAUTHENTICATED;
	if (e != KEFU_OK)
		return e;
	r->caller = (struct kefu_caller){
	    .kind = CALLER_USER,
	    .tenant_id = s.tenant_id,
	    .user_id = s.user_id,
	    .admin = strcmp(s.role, "admin") == 0,
	    .name = s.name,
	    .role = s.role,
	    .lang = s.lang,
	    .csrf = s.csrf,
	};
	return KEFU_OK;
}

/* Bearer key first (scripts), then the session cookie (browsers). A bad key
 * is an error even where none is needed: a script must learn its key is wrong. */
static kefu_err identify(struct kefu_req *r)
{
	const char *authz = r->authorization;
	if (authz != NULL && strncasecmp(authz, "Bearer ", 7) == 0)
		return from_key(r, authz + 7);
	if (authz != NULL)
		return KEFU_E_UNAUTHENTICATED;
	const char *token = req_cookie(r, SESSION_COOKIE);
	if (token != NULL && *token) {
		kefu_err e = from_session(r, token);
		/* A stale cookie on a public route is simply no session. */
		return e == KEFU_E_UNAUTHENTICATED ? KEFU_OK : e;
	}
	return KEFU_OK;
}

static bool loopback(const char *addr)
{
	return addr != NULL && (strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0);
}

static kefu_err login_redirect(struct kefu_req *r)
{
	char *next;
	if (req_url_encode(r->arena, r->path, &next) != KEFU_OK)
		next = "";
	return resp_redirect(r, arena_printf(r->arena, "/login?next=%s", next));
}

static bool token_plausible(const struct kefu_req *r)
{
	const char *tok = r->visitor_token;
	return tok != NULL && *tok != '\0' && strlen(tok) <= 200;
}

kefu_err auth_visitor_token(struct kefu_req *r, char hash[65])
{
	if (!token_plausible(r))
		return KEFU_E_UNAUTHENTICATED;
	crypto_sha256_hex(r->visitor_token, strlen(r->visitor_token), hash);
	return KEFU_OK;
}

void auth_visitor_found(struct kefu_req *r, const struct visitor_auth *va)
{
	if (r->origin != NULL)
		r->cors_origin = r->origin;
	r->caller = (struct kefu_caller){
	    .kind = CALLER_VISITOR,
	    .tenant_id = va->v.tenant_id,
	    .visitor_id = va->v.id,
	    .channel_id = va->v.channel_id,
	    .name = va->v.name,
	    .visitor = va,
	};
}

/* The outcome e of r's token lookup (KEFU_E_NOT_FOUND: no such visitor, or
 * their channel was deleted): va the caller, or why not. The token names the
 * visitor, the visitor its channel and tenant. The channel's allowed origins
 * apply to every visitor call made from a browser page (see
 * api-widget-channels.c for why the Origin check is the API's half and
 * frame-ancestors the frame's). */
kefu_err auth_visitor_read(struct kefu_req *r, kefu_err e, const struct visitor_auth *va)
{
	if (e == KEFU_E_NOT_FOUND)
		return KEFU_E_UNAUTHENTICATED;
	if (e != KEFU_OK)
		return e;
	if (!channel_origin_ok(va->allowed_origins, r->app->conf.public_url, r->origin))
		return KEFU_E_ORIGIN;
	auth_visitor_found(r, va);
	return KEFU_OK;
}

bool auth_origin_open(const struct kefu_req *r)
{
	return channel_origin_ok(NULL, r->app->conf.public_url, r->origin);
}

kefu_err auth_visitor(struct kefu_req *r)
{
	char vhash[65];
	kefu_err e = auth_visitor_token(r, vhash);
	if (e != KEFU_OK)
		return e;
	struct visitor_auth *va = arena_alloc(r->arena, sizeof *va);
	return auth_visitor_read(r, db_visitor_auth(r->db, r->arena, vhash, va), va);
}

void auth_visitors(struct kefu_req *const *rs, size_t n, kefu_err *errs)
{
	if (n == 0)
		return;
	kefu_arena *a = rs[0]->arena;
	const char **hash = arena_calloc(a, n, sizeof *hash);
	kefu_arena **to = arena_calloc(a, n, sizeof *to);
	struct visitor_auth **out = arena_calloc(a, n, sizeof *out);
	bool *found = arena_calloc(a, n, sizeof *found);
	size_t *at = arena_calloc(a, n, sizeof *at), m = 0;
	for (size_t i = 0; i < n; i++) {
		char *h = arena_alloc(rs[i]->arena, 65);
		errs[i] = auth_visitor_token(rs[i], h);
		if (errs[i] != KEFU_OK)
			continue;
		hash[m] = h;
		to[m] = rs[i]->arena;
		out[m] = arena_alloc(rs[i]->arena, sizeof **out);
		at[m++] = i;
	}
	if (m == 0)
		return;
	kefu_err e = db_visitors_auth(rs[0]->db, a, hash, m, to, out, found);
	for (size_t j = 0; j < m; j++)
		errs[at[j]] = auth_visitor_read(rs[at[j]],
		                                e != KEFU_OK ? e
		                                : found[j]   ? KEFU_OK
		                                             : KEFU_E_NOT_FOUND,
		                                out[j]);
}

kefu_err auth_resolve(struct kefu_req *r)
{
	const struct route *rt = r->route;
	kefu_err e = rt->auth == AUTH_VISITOR || rt->auth == AUTH_VISITOR_TOKEN ? KEFU_OK : identify(r);
	const struct kefu_caller *c = &r->caller;
	r->actor = (struct actor){
	    .tenant_id = c->tenant_id,
	    .user_id = c->kind == CALLER_USER ? c->user_id : 0,
	    .api_key_id = c->kind == CALLER_KEY ? c->api_key_id : 0,
	    .admin = c->admin,
	    .crm = c->crm,
	};
	r->lang = i18n_pick(r->app->i18n, c->lang, r->accept_language);
	if (e != KEFU_OK && !(e == KEFU_E_UNAUTHENTICATED && (rt->auth == AUTH_NONE || rt->auth == AUTH_PAGE)))
		return e;
	switch (rt->auth) {
	case AUTH_NONE:
	case AUTH_PAGE: return KEFU_OK;
	case AUTH_STAFF: return c->kind == CALLER_USER ? KEFU_OK : KEFU_E_UNAUTHENTICATED;
	case AUTH_ADMIN:
		if (c->kind == CALLER_NONE)
			return KEFU_E_UNAUTHENTICATED;
		return c->admin ? KEFU_OK : KEFU_E_FORBIDDEN;
	case AUTH_CRM:
		if (c->kind == CALLER_NONE)
			return KEFU_E_UNAUTHENTICATED;
		return c->kind == CALLER_KEY && c->crm ? KEFU_OK : KEFU_E_FORBIDDEN;
	case AUTH_CRM_ADMIN:
		if (c->kind == CALLER_NONE)
			return KEFU_E_UNAUTHENTICATED;
		return c->admin || (c->kind == CALLER_KEY && c->crm) ? KEFU_OK : KEFU_E_FORBIDDEN;
	case AUTH_PAGE_STAFF:
	case AUTH_PAGE_ADMIN:
		if (c->kind != CALLER_USER)
			return login_redirect(r);
		return rt->auth == AUTH_PAGE_STAFF || c->admin ? KEFU_OK : KEFU_E_FORBIDDEN;
	case AUTH_METRICS:
		if (loopback(r->remote_addr) && c->kind != CALLER_KEY)
			return KEFU_OK;
		return c->kind == CALLER_KEY && c->admin ? KEFU_OK : KEFU_E_FORBIDDEN;
	case AUTH_VISITOR: return auth_visitor(r);
	case AUTH_VISITOR_TOKEN: /* the handler hashes and looks it up */
		return token_plausible(r) ? KEFU_OK : KEFU_E_UNAUTHENTICATED;
	}
	return KEFU_E_INTERNAL;
}

kefu_err auth_check_login_origin(struct kefu_req *r)
{
	if (r->sec_fetch_site != NULL && strcmp(r->sec_fetch_site, "cross-site") == 0)
		return req_fail(r, KEFU_E_FORBIDDEN, NULL, "Log in from this site's own login page.");
	/* No allowed origins besides the product's own: "null" (a sandboxed or
	 * privacy-stripped origin) is refused too. */
	if (!channel_origin_ok(NULL, r->app->conf.public_url, r->origin))
		return req_fail(r, KEFU_E_FORBIDDEN, NULL, "Log in from this site's own login page.");
	return KEFU_OK;
}

kefu_err auth_check_csrf(struct kefu_req *r)
{
	const char *m = r->method;
	if (!strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS"))
		return KEFU_OK;
	const char *sent = r->csrf_header ? r->csrf_header : req_form(r, "csrf_token");
	const char *want = r->caller.csrf;
	if (sent == NULL || want == NULL || strlen(sent) != strlen(want) || !crypto_equal(sent, want, strlen(want)))
		return KEFU_E_CSRF;
	return KEFU_OK;
}

const char *auth_session_cookie(struct kefu_req *r, const char *token, int max_age)
{
	return arena_printf(r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", SESSION_COOKIE, token,
	                    max_age, r->https || r->app->conf.secure_cookies ? "; Secure" : "");
}
