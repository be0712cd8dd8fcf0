/* login: password check with uniform failure, throttling, and session creation. */
#include "domain/login.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "store/store-ratelimit.h"
#include "store/store-sessions.h"
#include "store/store-users.h"

static char *dummy_hash;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	dummy_hash = password_hash("kefu-dummy-password");
}

/*
 * Throttling holds under concurrency: an attempt reserves its place in the
 * login's bucket, then the address's, before the password is checked (one
 * atomic statement each, store-ratelimit.h), so of N simultaneous wrong
 * passwords at most LOGIN_MAX_PER_LOGIN are ever checked. A success gives
 * its reservations back: the buckets count failures. An attempt the login's
 * bucket refuses is not counted against the address, so a flood on one
 * login does not lock out everyone else behind the same address.
 */
kefu_err login_attempt(struct kefu_db *db, kefu_arena *a, const struct kefu_conf *conf, const char *login,
                       const char *password, const char *addr, struct login_result *out, int *retry_after)
{
	const char *by_login = arena_printf(a, "login:%s", login);
	const char *by_addr = arena_printf(a, "addr:%s", addr ? addr : "-");
	bool ok;
	kefu_err e = db_ratelimit_take(db, a, by_login, LOGIN_WINDOW_S, LOGIN_MAX_PER_LOGIN, &ok, retry_after);
	if (e != KEFU_OK)
		return e;
	if (!ok)
		return KEFU_E_RATE_LIMITED;
	e = db_ratelimit_take(db, a, by_addr, LOGIN_WINDOW_S, LOGIN_MAX_PER_ADDR, &ok, retry_after);
	if (e == KEFU_OK && !ok) {
		e = db_ratelimit_release(db, by_login, LOGIN_WINDOW_S);
		if (e == KEFU_OK)
			e = KEFU_E_RATE_LIMITED;
	}
	if (e != KEFU_OK)
		return e;

	struct user_row u;
	e = db_user_by_login(db, a, login, &u);
	if (e != KEFU_OK && e != KEFU_E_NOT_FOUND)
		return e;
	pthread_once(&dummy_once, make_dummy);
	bool found = e == KEFU_OK && u.password_hash != NULL;
	ok = password_verify(password, found ? u.password_hash : dummy_hash) && found;
	if (!ok)
		return KEFU_E_UNAUTHENTICATED; /* the reservations stay: they are the failure's count */
	e = db_ratelimit_release(db, by_login, LOGIN_WINDOW_S);
	if (e == KEFU_OK)
		e = db_ratelimit_release(db, by_addr, LOGIN_WINDOW_S);
	if (e != KEFU_OK)
		return e;
	if (password_needs_rehash(u.password_hash)) {
		char *fresh = password_hash(password);
		e = db_user_set_password(db, u.tenant_id, u.id, fresh);
		free(fresh);
		if (e != KEFU_OK)
			return e;
	}

	char *token = crypto_token(32), *csrf = crypto_token(32);
	char hash[65];
	crypto_sha256_hex(token, strlen(token), hash);
	e = db_session_create(db, hash, u.tenant_id, u.id, csrf, conf->session_max_s);
	*out = (struct login_result){
	    .tenant_id = u.tenant_id,
	    .user_id = u.id,
	    .name = u.name,
	    .role = u.role,
	    .lang = u.lang,
	    .token = arena_strdup(a, token),
	    .csrf = arena_strdup(a, csrf),
	};
	free(token);
	free(csrf);
	return e;
}

kefu_err login_end(struct kefu_db *db, const char *token)
{
	if (token == NULL || *token == '\0')
		return KEFU_OK;
	char hash[65];
	crypto_sha256_hex(token, strlen(token), hash);
	return db_session_delete(db, hash);
}
