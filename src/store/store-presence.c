/* store-presence: SQL for agents' workbench heartbeats, the tenant's presence thresholds, and the sweep's candidates.
 */
#include "store/store-presence.h"

#include "store/store-conversations.h"

#include "store/store-rows.h"

static const struct row_spec due_spec = ROWS(struct presence_due, tenant_id, user_id, to);

static const struct row_spec conv_spec = ROWS(struct presence_conv, id, group_id);

static const struct row_spec load_spec = ROWS(struct agent_load_row, user_id, active);

kefu_err db_presence_beat(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool active,
                          const char **status, bool *auto_away)
{
	int64_t act = active;
	kefu_err e = db_exec(db, NULL, NULL,
	                     "INSERT INTO agent_presence (user_id, tenant_id) SELECT id, tenant_id FROM users"
	                     " WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL"
	                     " ON DUPLICATE KEY UPDATE last_poll_at = NOW(3),"
	                     " last_active_at = IF(? <> 0, NOW(3), last_active_at)",
	                     "iii", tenant_id, user_id, act);
	if (e != KEFU_OK)
		return e;
	struct db_result *r;
	e = db_query_one(db, a, &r,
	                 "SELECT u.status, p.auto_away FROM users u JOIN agent_presence p ON p.user_id = u.id"
	                 " WHERE u.tenant_id = ? AND u.id = ?",
	                 "ii", tenant_id, user_id);
	if (e != KEFU_OK)
		return e;
	*status = db_str(r, 0, 0);
	*auto_away = db_i64(r, 0, 1) != 0;
	return KEFU_OK;
}

kefu_err db_presence_set_auto_away(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool on)
{
	return db_exec(db, NULL, NULL, "UPDATE agent_presence SET auto_away = ? WHERE tenant_id = ? AND user_id = ?",
	               "iii", (int64_t)on, tenant_id, user_id);
}

kefu_err db_presence_settings(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *away_after_s,
                              int64_t *offline_after_s)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "SELECT away_after_s, offline_after_s FROM presence_settings WHERE tenant_id = ?", "i",
	             tenant_id);
	if (e != KEFU_OK)
		return e;
	*away_after_s = r->nrows ? db_i64(r, 0, 0) : 600;
	*offline_after_s = r->nrows ? db_i64(r, 0, 1) : 90;
	return KEFU_OK;
}

kefu_err db_presence_settings_put(struct kefu_db *db, int64_t tenant_id, int64_t away_after_s, int64_t offline_after_s)
{
	return db_exec(
	    db, NULL, NULL,
	    "INSERT INTO presence_settings (tenant_id, away_after_s, offline_after_s) VALUES (?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE away_after_s = VALUES(away_after_s), offline_after_s = VALUES(offline_after_s)",
	    "iii", tenant_id, away_after_s, offline_after_s);
}

/* Rows of (tenant_id, user_id, to) from sql, whose one parameter is the limit. */
static kefu_err read_due(struct kefu_db *db, kefu_arena *a, const char *sql, int limit, struct presence_due **rows,
                         size_t *n)
{
	return rows_query(db, a, &due_spec, (void **)rows, n, sql, "i", (int64_t)limit);
}

kefu_err db_presence_due(struct kefu_db *db, kefu_arena *a, int limit, struct presence_due **rows, size_t *n)
{
	return read_due(
	    db, a,
	    "SELECT p.tenant_id, p.user_id, IF(p.last_poll_at < NOW(3) - INTERVAL COALESCE(s.offline_after_s, 90) "
	    "SECOND,"
	    " 'offline', 'away') FROM agent_presence p JOIN users u ON u.id = p.user_id AND u.tenant_id = p.tenant_id"
	    " LEFT JOIN presence_settings s ON s.tenant_id = p.tenant_id"
	    " WHERE u.deleted_at IS NULL AND ((u.status IN ('online', 'away')"
	    " AND p.last_poll_at < NOW(3) - INTERVAL COALESCE(s.offline_after_s, 90) SECOND)"
	    " OR (u.status = 'online' AND COALESCE(s.away_after_s, 600) > 0"
	    " AND p.last_active_at < NOW(3) - INTERVAL COALESCE(s.away_after_s, 600) SECOND)) LIMIT ?",
	    limit, rows, n);
}

kefu_err db_presence_stranded(struct kefu_db *db, kefu_arena *a, int limit, struct presence_due **rows, size_t *n)
{
	return read_due(
	    db, a,
	    "SELECT DISTINCT u.tenant_id, u.id, 'offline' FROM users u"
	    " JOIN conversations c ON c.tenant_id = u.tenant_id AND c.agent_user_id = u.id AND c.status = 'assigned'"
	    " LEFT JOIN agent_presence p ON p.user_id = u.id AND p.tenant_id = u.tenant_id"
	    " LEFT JOIN presence_settings s ON s.tenant_id = u.tenant_id"
	    " WHERE u.status = 'offline' AND u.deleted_at IS NULL"
	    " AND COALESCE(p.last_poll_at, u.status_changed_at) < NOW(3) - INTERVAL COALESCE(s.offline_after_s, 90) "
	    "SECOND"
	    " LIMIT ?",
	    limit, rows, n);
}

kefu_err db_presence_take_offline(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool *done)
{
	uint64_t n = 0;
	kefu_err e =
	    db_exec(db, &n, NULL,
	            "UPDATE users u JOIN agent_presence p ON p.user_id = u.id AND p.tenant_id = u.tenant_id"
	            " LEFT JOIN presence_settings s ON s.tenant_id = u.tenant_id"
	            " SET u.status = 'offline', u.status_changed_at = NOW(3)"
	            " WHERE u.tenant_id = ? AND u.id = ? AND u.deleted_at IS NULL AND u.status IN ('online', 'away')"
	            " AND p.last_poll_at < NOW(3) - INTERVAL COALESCE(s.offline_after_s, 90) SECOND",
	            "ii", tenant_id, user_id);
	*done = e == KEFU_OK && n >= 1;
	return *done ? db_status_log(db, tenant_id, user_id) : e;
}

kefu_err db_presence_take_away(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool *done)
{
	uint64_t n = 0;
	kefu_err e = db_exec(db, &n, NULL,
	                     "UPDATE users u JOIN agent_presence p ON p.user_id = u.id AND p.tenant_id = u.tenant_id"
	                     " LEFT JOIN presence_settings s ON s.tenant_id = u.tenant_id"
	                     " SET u.status = 'away', u.status_changed_at = NOW(3), p.auto_away = 1"
	                     " WHERE u.tenant_id = ? AND u.id = ? AND u.deleted_at IS NULL AND u.status = 'online'"
	                     " AND COALESCE(s.away_after_s, 600) > 0"
	                     " AND p.last_active_at < NOW(3) - INTERVAL COALESCE(s.away_after_s, 600) SECOND",
	                     "ii", tenant_id, user_id);
	*done = e == KEFU_OK && n >= 1;
	return *done ? db_status_log(db, tenant_id, user_id) : e;
}

kefu_err db_presence_live(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id,
                          struct presence_conv **rows, size_t *n)
{
	return rows_query(db, a, &conv_spec, (void **)rows, n,
	                  "SELECT id, group_id FROM conversations WHERE tenant_id = ? AND agent_user_id = ?"
	                  " AND status = 'assigned' ORDER BY id",
	                  "ii", tenant_id, user_id);
}

kefu_err db_presence_long_wait(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *long_wait_s)
{
	return db_query_i64_or(db, a, long_wait_s, PRESENCE_LONG_WAIT_DEFAULT,
	                       "SELECT long_wait_s FROM presence_settings WHERE tenant_id = ?", "i", tenant_id);
}

kefu_err db_presence_long_wait_put(struct kefu_db *db, int64_t tenant_id, int64_t long_wait_s)
{
	return db_exec(db, NULL, NULL,
	               "INSERT INTO presence_settings (tenant_id, long_wait_s) VALUES (?, ?)"
	               " ON DUPLICATE KEY UPDATE long_wait_s = VALUES(long_wait_s)",
	               "ii", tenant_id, long_wait_s);
}

kefu_err db_agent_prefs(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool *alert_sound)
{
	int64_t on;
	kefu_err e =
	    db_query_i64_or(db, a, &on, 1, "SELECT alert_sound FROM agent_prefs WHERE tenant_id = ? AND user_id = ?",
	                    "ii", tenant_id, user_id);
	if (e == KEFU_OK)
		*alert_sound = on != 0;
	return e;
}

kefu_err db_agent_prefs_put(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool alert_sound)
{
	return db_exec(db, NULL, NULL,
	               "INSERT INTO agent_prefs (user_id, tenant_id, alert_sound) SELECT id, tenant_id, ? FROM users"
	               " WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL"
	               " ON DUPLICATE KEY UPDATE alert_sound = VALUES(alert_sound)",
	               "iii", (int64_t)alert_sound, tenant_id, user_id);
}

kefu_err db_agent_loads(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct agent_load_row **rows, size_t *n)
{
	return rows_query(
	    db, a, &load_spec, (void **)rows, n,
	    "SELECT agent_user_id, COUNT(*) FROM conversations WHERE tenant_id = ? AND status = 'assigned'"
	    " AND agent_user_id IS NOT NULL GROUP BY agent_user_id ORDER BY agent_user_id",
	    "i", tenant_id);
}
