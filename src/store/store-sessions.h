/* store-sessions: console and workbench sessions, stored by token hash. */
#ifndef KEFU_STORE_SESSIONS_H
#define KEFU_STORE_SESSIONS_H

#include "store/db.h"

/* What a live session says about its user. Strings live in the arena. */
struct session_user {
	int64_t tenant_id, user_id;
	const char *name, *role, *lang, *csrf;
	int64_t idle_seconds; /* since the session was last used */
};

/* Store a session for token_hash (hex SHA-256) that dies after max_s seconds. */
kefu_err db_session_create(struct kefu_db *db, const char *token_hash, int64_t tenant_id, int64_t user_id,
                           const char *csrf, int max_s);
/* The live session for token_hash whose idle time is below idle_s; touches
 * last_used_at (at most once a minute, to keep reads cheap). KEFU_E_NOT_FOUND
 * if none (expired, idle, logged out, user deleted). */
kefu_err db_session_get(struct kefu_db *db, kefu_arena *a, const char *token_hash, int idle_s,
                        struct session_user *out);
kefu_err db_session_delete(struct kefu_db *db, const char *token_hash);
/* End every session of a user (password change, deletion). */
kefu_err db_session_delete_user(struct kefu_db *db, int64_t tenant_id, int64_t user_id);

#endif
