/* page-login: the HTML login form, logging out, and the console's language switch. */
#include <string.h>

#include "domain/login.h"
#include "domain/org-read.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

/* Only a local path: "/x", never "//host" or "/\host" (browsers read both as
 * another origin), no control characters. Anything else goes to the console. */
static const char *safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/console";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return "/console";
	return next;
}

static kefu_err show(struct kefu_req *r, int status, const char *login, const char *error_key)
{
	json_object *d = json_object_new_object();
	const char *next = req_form(r, "next") ? req_form(r, "next") : req_query(r, "next");
	const char *to = safe_next(next);
	json_object_object_add(d, "next", json_object_new_string(to));
	/* Say where this sign-in leads (admins and agents share the form): the
	 * workbench or the console when asked for, else kefu as a whole. */
	const char *heading = "login.heading";
	if (next == NULL)
		heading = "login.heading";
	else if (strncmp(to, "/workbench", 10) == 0 && (to[10] == '\0' || to[10] == '?' || to[10] == '/'))
		heading = "login.heading_workbench";
	else if (strncmp(to, "/console", 8) == 0 && (to[8] == '\0' || to[8] == '?' || to[8] == '/'))
		heading = "login.heading_console";
	json_object_object_add(d, "heading", json_object_new_string(page_t(r, heading)));
	json_object_object_add(d, "login", login ? json_object_new_string(login) : NULL);
	json_object_object_add(d, "error", error_key ? json_object_new_string(page_t(r, error_key)) : NULL);
	json_object_object_add(d, "expired", json_object_new_boolean(req_query(r, "expired") != NULL));
	kefu_err e = resp_html(r, status, "login", d);
	return e;
}

static kefu_err form(struct kefu_req *r)
{
	if (r->caller.kind == CALLER_USER)
		return resp_redirect(r, safe_next(req_query(r, "next")));
	return show(r, 200, NULL, NULL);
}

static kefu_err submit(struct kefu_req *r)
{
	kefu_err e = auth_check_login_origin(r);
	if (e != KEFU_OK)
		return page_fail(r, e);
	const char *login = page_field(r, "login"), *password = req_form(r, "password");
	if (login == NULL || password == NULL || *password == '\0' || strlen(login) > 100 || strlen(password) > 1024)
		return show(r, 200, login, "login.failed");
	struct login_result res;
	e = login_attempt(r->db, r->arena, &r->app->conf, login, password, r->remote_addr, &res, &r->retry_after);
	if (e == KEFU_E_UNAUTHENTICATED)
		return show(r, 401, login, "login.failed");
	if (e == KEFU_E_RATE_LIMITED) {
		resp_header(r, "Retry-After", arena_printf(r->arena, "%d", r->retry_after > 0 ? r->retry_after : 1));
		return show(r, 429, login, "login.locked");
	}
	if (e != KEFU_OK)
		return e;
	resp_header(r, "Set-Cookie", auth_session_cookie(r, res.token, r->app->conf.session_max_s));
	return resp_redirect(r, safe_next(req_form(r, "next")));
}

static kefu_err logout(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	kefu_err e = login_end(r->db, req_cookie(r, SESSION_COOKIE));
	if (e != KEFU_OK)
		return e;
	resp_header(r, "Set-Cookie", auth_session_cookie(r, "", 0));
	return resp_redirect(r, "/login");
}

static kefu_err set_lang(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	const char *lang = req_form(r, "lang");
	if (lang == NULL || (strcmp(lang, "en") != 0 && strcmp(lang, "zh-CN") != 0))
		return req_fail(r, KEFU_E_INVALID_FIELD, "lang", NULL);
	kefu_err e = org_user_set_lang(r->db, r->caller.tenant_id, r->caller.user_id, lang);
	return e != KEFU_OK ? e : resp_redirect(r, safe_next(req_form(r, "next")));
}

const struct route page_login_routes[] = {
    {"GET", "/login", form, AUTH_PAGE, BODY_NONE},
    {"POST", "/login", submit, AUTH_PAGE, BODY_FORM},
    {"POST", "/logout", logout, AUTH_PAGE_STAFF, BODY_FORM},
    {"POST", "/console/lang", set_lang, AUTH_PAGE_STAFF, BODY_FORM},
    ROUTES_END,
};
