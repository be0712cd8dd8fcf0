/* store-apikeys: SQL for the api_keys table. */
#include "store/store-apikeys.h"

#define KEY_COLUMNS "id, tenant_id, name, prefix, scope_admin, scope_crm, created_at, last_used_at"

static void read_row(const struct db_result *r, size_t i, struct api_key_row *k)
{
	k->id = db_i64(r, i, 0);
	k->tenant_id = db_i64(r, i, 1);
	k->name = db_str(r, i, 2);
	k->prefix = db_str(r, i, 3);
	k->admin = db_i64(r, i, 4) != 0;
	k->crm = db_i64(r, i, 5) != 0;
	k->created_at = db_str(r, i, 6);
	k->last_used_at = db_str(r, i, 7);
}

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
	kefu_err e = db_query(db, a, &r, "SELECT " KEY_COLUMNS " FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
	                      "s", key_hash);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_row(r, 0, out);
	/* Coarse last-use stamp: one write per key per minute at most. */
	return db_exec(db, NULL, NULL,
	               "UPDATE api_keys SET last_used_at = NOW(3) WHERE id = ? AND tenant_id = ?"
	               " AND (last_used_at IS NULL OR last_used_at < NOW(3) - INTERVAL 1 MINUTE)",
	               "ii", out->id, out->tenant_id);
}

kefu_err db_apikey_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct api_key_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " KEY_COLUMNS " FROM api_keys WHERE tenant_id = ? AND revoked_at IS NULL ORDER BY id DESC",
	                      "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		read_row(r, i, &(*rows)[i]);
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err db_apikey_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct api_key_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " KEY_COLUMNS " FROM api_keys WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL",
	                      "ii", tenant_id, id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_row(r, 0, out);
	return KEFU_OK;
}

kefu_err db_apikey_revoke(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	uint64_t n = 0;
	kefu_err e = db_exec(db, &n, NULL,
	                     "UPDATE api_keys SET revoked_at = NOW(3) WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL",
	                     "ii", tenant_id, id);
	if (e == KEFU_OK && n == 0)
		e = KEFU_E_NOT_FOUND;
	return e;
}

kefu_err db_apikey_rename(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name)
{
	/* Existence is checked by the caller with db_apikey_get: affected rows
	 * count only changed rows, so a rename to the same name looks like a miss. */
	kefu_err e = db_exec(db, NULL, NULL,
	                     "UPDATE api_keys SET name = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL", "sii",
	                     name, tenant_id, id);
	return e;
}

kefu_err db_apikey_count(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT COUNT(*) FROM api_keys WHERE tenant_id = ? AND revoked_at IS NULL", "i",
	                      tenant_id);
	if (e == KEFU_OK)
		*n = db_i64(r, 0, 0);
	return e;
}
