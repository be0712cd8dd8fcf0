/* store-sessions: SQL for the sessions table. */
#include "store/store-sessions.h"

#include "store/store-rows.h"

kefu_err db_session_create(struct kefu_db *db, const char *token_hash, int64_t tenant_id, int64_t user_id,
                           const char *csrf, int max_s)
{
	/* Expired sessions are swept here, where sessions are made, not on every read. */
	kefu_err e = db_exec(db, NULL, NULL, "DELETE FROM sessions WHERE expires_at < NOW(3) LIMIT 100", "");
	if (e != KEFU_OK)
		return e;
	return db_exec(db, NULL, NULL,
	               "INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, expires_at)"
	               " VALUES (?, ?, ?, ?, NOW(3) + INTERVAL ? SECOND)",
	               "siisi", token_hash, tenant_id, user_id, csrf, (int64_t)max_s);
}

static const struct row_spec spec = ROWS(struct session_user, tenant_id, user_id, name, role, lang, csrf, idle_seconds);

kefu_err db_session_get(struct kefu_db *db, kefu_arena *a, const char *token_hash, int idle_s, struct session_user *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT s.tenant_id, s.user_id, u.name, u.role, u.lang, s.csrf_token,"
	                      " TIMESTAMPDIFF(SECOND, s.last_used_at, NOW(3))"
	                      " FROM sessions s JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id"
	                      " WHERE s.token_hash = ? AND s.expires_at > NOW(3) AND u.deleted_at IS NULL"
	                      " AND s.last_used_at > NOW(3) - INTERVAL ? SECOND",
	                      "si", token_hash, (int64_t)idle_s);
	if (e == KEFU_OK)
		e = rows_one(r, &spec, out);
	if (e != KEFU_OK)
		return e;
	if (out->idle_seconds >= 60)
		e = db_exec(db, NULL, NULL, "UPDATE sessions SET last_used_at = NOW(3) WHERE token_hash = ?", "s",
		            token_hash);
	return e;
}

kefu_err db_session_delete(struct kefu_db *db, const char *token_hash)
{
	return db_exec(db, NULL, NULL, "DELETE FROM sessions WHERE token_hash = ?", "s", token_hash);
}

kefu_err db_session_delete_user(struct kefu_db *db, int64_t tenant_id, int64_t user_id)
{
	return db_exec(db, NULL, NULL, "DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?", "ii", tenant_id,
	               user_id);
}
