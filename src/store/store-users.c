/* store-users: SQL for the users and user_departments tables. */
#include "store/store-users.h"

#include "store/store-conversations.h"

#include "store/store-rows.h"

#include <string.h>

#define USER_FIELDS                                                                                                    \
	id, tenant_id, login, name, role, lang, external_id, status, created_at, updated_at, email, leave_digest
#define USER_COLUMNS ROWS_SQL(USER_FIELDS)

static const struct row_spec spec = ROWS(struct user_row, USER_FIELDS);

/* Logging in reads the hash, and nothing it does not need. */
static const struct row_spec login_spec = ROWS(struct user_row, id, tenant_id, login, name, role, lang, password_hash);

kefu_err db_user_create(struct kefu_db *db, int64_t tenant_id, const struct user_row *u, const char *password_hash,
                        int64_t *id)
{
	return db_exec(
	    db, NULL, id,
	    "INSERT INTO users (tenant_id, login, name, role, password_hash, external_id, email, leave_digest)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    "issssssi", tenant_id, u->login, u->name, u->role, password_hash, u->external_id, u->email,
	    (int64_t)u->leave_digest);
}

kefu_err db_user_by_login(struct kefu_db *db, kefu_arena *a, const char *login, struct user_row *out)
{
	return rows_query_one(db, a, &login_spec, out,
	                      "SELECT id, tenant_id, login, name, role, lang, password_hash FROM users"
	                      " WHERE login = ? AND deleted_at IS NULL",
	                      "s", login);
}

kefu_err db_user_set_password(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *password_hash)
{
	return db_exec(db, NULL, NULL, "UPDATE users SET password_hash = ? WHERE tenant_id = ? AND id = ?", "sii",
	               password_hash, tenant_id, id);
}

kefu_err db_user_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct user_row **rows, size_t *n)
{
	return rows_list(db, a, &spec, (void **)rows, n,
	                 "SELECT " USER_COLUMNS " FROM users WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id",
	                 tenant_id);
}

kefu_err db_user_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct user_row *out)
{
	return rows_get(db, a, &spec, out,
	                "SELECT " USER_COLUMNS " FROM users WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	                tenant_id, id);
}

kefu_err db_user_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *external_id,
                             struct user_row *out)
{
	return rows_query_one(db, a, &spec, out,
	                      "SELECT " USER_COLUMNS " FROM users WHERE tenant_id = ? AND external_id = ?"
	                      " AND deleted_at IS NULL",
	                      "is", tenant_id, external_id);
}

kefu_err db_user_update(struct kefu_db *db, int64_t tenant_id, const struct user_row *u)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE users SET login = ?, name = ?, role = ?, external_id = ?, email = ?, leave_digest = ?"
	               " WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	               "sssssiii", u->login, u->name, u->role, u->external_id, u->email, (int64_t)u->leave_digest,
	               tenant_id, u->id);
}

kefu_err db_user_set_lang(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *lang)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE users SET lang = ? WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL", "sii", lang,
	               tenant_id, id);
}

/* What a deleted user leaves behind, each taking (tenant_id, user_id). */
static const char *const user_links[] = {
    "DELETE FROM user_departments WHERE tenant_id = ? AND user_id = ?",
    "DELETE FROM group_members WHERE tenant_id = ? AND user_id = ?",
    "DELETE FROM sessions WHERE tenant_id = ? AND user_id = ?",
};

kefu_err db_user_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	kefu_err e =
	    db_exec_one(db,
	                "UPDATE users SET deleted_at = NOW(3),"
	                " status_changed_at = IF(status = 'offline', status_changed_at, NOW(3)), status = 'offline'"
	                " WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	                "ii", tenant_id, id);
	if (e == KEFU_OK)
		e = db_status_log(db, tenant_id, id);
	for (size_t i = 0; e == KEFU_OK && i < sizeof user_links / sizeof user_links[0]; i++)
		e = db_exec(db, NULL, NULL, user_links[i], "ii", tenant_id, id);
	return e;
}

kefu_err db_users_exist(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n, bool *all)
{
	return rows_all_exist(db, a, "SELECT 1 FROM users WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	                      tenant_id, ids, n, all);
}

kefu_err db_users_mail_targets(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                               struct user_row **rows, size_t *count)
{
	struct db_args *v = db_args_new(a);
	db_arg_i64(v, tenant_id);
	for (size_t i = 0; ids && i < n; i++)
		db_arg_i64(v, ids[i]);
	const char *sql = arena_printf(a,
	                               "SELECT " USER_COLUMNS " FROM users WHERE tenant_id = ? AND deleted_at IS NULL"
	                               " AND email IS NOT NULL AND email <> ''%s%s ORDER BY id",
	                               ids ? " AND id IN " : "", ids ? db_sql_list(a, "(", "?", ", ", n, ")") : "");
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r, sql, v);
	if (e != KEFU_OK)
		return e;
	return rows_all(r, a, &spec, (void **)rows, count);
}

const struct id_link db_user_departments = {
    .get = "SELECT department_id FROM user_departments WHERE tenant_id = ? AND user_id = ? ORDER BY department_id",
    .del = "DELETE FROM user_departments WHERE tenant_id = ? AND user_id = ?",
    .ins = "INSERT IGNORE INTO user_departments (tenant_id, user_id, department_id) VALUES (?, ?, ?)",
};

kefu_err db_user_counts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *admins, int64_t *agents,
                        int64_t *online)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT COALESCE(SUM(role = 'admin'), 0), COALESCE(SUM(role = 'agent'), 0),"
	             " COALESCE(SUM(status = 'online'), 0) FROM users WHERE tenant_id = ? AND deleted_at IS NULL",
	             "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	*admins = db_i64(r, 0, 0);
	*agents = db_i64(r, 0, 1);
	*online = db_i64(r, 0, 2);
	return KEFU_OK;
}
