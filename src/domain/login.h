/* login: checking a password, throttling failures, and opening or ending a session. */
#ifndef KEFU_LOGIN_H
#define KEFU_LOGIN_H

#include "core/conf.h"
#include "store/db.h"

/* Failures allowed per login and per address in one window. */
#define LOGIN_WINDOW_S      900
#define LOGIN_MAX_PER_LOGIN 10
#define LOGIN_MAX_PER_ADDR  50

struct login_result {
	int64_t tenant_id, user_id;
	const char *name, *role, *lang;
	const char *token; /* the session token for the cookie (never stored) */
	const char *csrf;
};

/*
 * Check login and password and open a session. Every failure reason answers
 * the same KEFU_E_UNAUTHENTICATED after the same work (an unknown login is
 * verified against a dummy hash), so the answer tells nothing about which
 * logins exist. Too many recent failures for the login or the address:
 * KEFU_E_RATE_LIMITED with *retry_after set. Strings live in arena a.
 */
kefu_err login_attempt(struct kefu_db *db, kefu_arena *a, const struct kefu_conf *conf, const char *login,
                       const char *password, const char *addr, struct login_result *out, int *retry_after);

/* End the session whose cookie token is given (NULL: nothing to do). */
kefu_err login_end(struct kefu_db *db, const char *token);

#endif
