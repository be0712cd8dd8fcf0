/* store-users: SQL for the users table. */
#include "store/store-users.h"

kefu_err db_user_create(struct kefu_db *db, int64_t tenant_id, const char *login, const char *name,
                        const char *role, const char *password_hash, const char *external_id, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO users (tenant_id, login, name, role, password_hash, external_id)"
	               " VALUES (?, ?, ?, ?, ?, ?)",
	               "isssss", tenant_id, login, name, role, password_hash, external_id);
}

kefu_err db_user_by_login(struct kefu_db *db, kefu_arena *a, const char *login, struct user_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT id, tenant_id, login, name, role, lang, password_hash FROM users"
	                      " WHERE login = ? AND deleted_at IS NULL",
	                      "s", login);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	*out = (struct user_row){
	    .id = db_i64(r, 0, 0),
	    .tenant_id = db_i64(r, 0, 1),
	    .login = db_str(r, 0, 2),
	    .name = db_str(r, 0, 3),
	    .role = db_str(r, 0, 4),
	    .lang = db_str(r, 0, 5),
	    .password_hash = db_str(r, 0, 6),
	};
	return KEFU_OK;
}

kefu_err db_user_set_password(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *password_hash)
{
	return db_exec(db, NULL, NULL, "UPDATE users SET password_hash = ? WHERE tenant_id = ? AND id = ?", "sii",
	               password_hash, tenant_id, id);
}
