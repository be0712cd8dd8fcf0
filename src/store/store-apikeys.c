/* store-apikeys: SQL for the api_keys table. */
#include "store/store-apikeys.h"

#include "store/store-rows.h"

#define KEY_COLUMNS "id, tenant_id, name, prefix, scope_admin, scope_crm, created_at, last_used_at"

static const struct row_spec spec =
    ROWS(struct api_key_row, id, tenant_id, name, prefix, admin, crm, created_at, last_used_at);

kefu_err db_apikey_create(struct kefu_db *db, int64_t tenant_id, const char *name, const char *prefix,
                          const char *key_hash, bool admin, bool crm, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scope_admin, scope_crm)"
	               " VALUES (?, ?, ?, ?, ?, ?)",
	               "isssii", tenant_id, name, prefix, key_hash, (int64_t)admin, (int64_t)crm);
}

kefu_err db_apikey_by_hash(struct kefu_db *db, kefu_arena *a, const char *key_hash, struct api_key_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r, "SELECT " KEY_COLUMNS " FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", "s", key_hash);
	if (e == KEFU_OK)
		e = rows_one(r, &spec, out);
	if (e != KEFU_OK)
		return e;
	/* Coarse last-use stamp: one write per key per minute at most. */
	return db_exec(db, NULL, NULL,
	               "UPDATE api_keys SET last_used_at = NOW(3) WHERE id = ? AND tenant_id = ?"
	               " AND (last_used_at IS NULL OR last_used_at < NOW(3) - INTERVAL 1 MINUTE)",
	               "ii", out->id, out->tenant_id);
}

const struct row_table db_apikeys = {
    .spec = &spec,
    .get = "SELECT " KEY_COLUMNS " FROM api_keys WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL",
    .list = "SELECT " KEY_COLUMNS " FROM api_keys WHERE tenant_id = ? AND revoked_at IS NULL ORDER BY id DESC",
};

kefu_err db_apikey_revoke(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	return db_exec_one(
	    db, "UPDATE api_keys SET revoked_at = NOW(3) WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL", "ii",
	    tenant_id, id);
}

kefu_err db_apikey_rename(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name)
{
	/* Existence is checked by the caller with db_apikeys' get: affected rows
	 * count only changed rows, so a rename to the same name looks like a miss. */
	kefu_err e = db_exec(db, NULL, NULL,
	                     "UPDATE api_keys SET name = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL",
	                     "sii", name, tenant_id, id);
	return e;
}

kefu_err db_apikey_count(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *n)
{
	return db_query_i64(db, a, n, "SELECT COUNT(*) FROM api_keys WHERE tenant_id = ? AND revoked_at IS NULL", "i",
	                    tenant_id);
}
