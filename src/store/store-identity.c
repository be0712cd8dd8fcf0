/* store-identity: SQL for identity_settings, identity_keys, identity_jtis and the visitors' identity columns. */
#include "store/store-identity.h"

#include "store/store-rows.h"

#define DEFAULT_MATCH   "[\"full_name\",\"phone\"]"
#define DEFAULT_CONTACT "[\"phone\"]"

static const struct row_spec settings_spec =
    ROWS(struct identity_settings_row, enabled, match_fields, auto_link, contact_fields, require_v2);

kefu_err db_identity_settings_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                                  struct identity_settings_row *out)
{
	kefu_err e = rows_query_one(db, a, &settings_spec, out,
	                            "SELECT enabled, match_fields, auto_link, contact_fields, require_v2"
	                            " FROM identity_settings WHERE tenant_id = ? AND channel_id = ?",
	                            "ii", tenant_id, channel_id);
	if (e == KEFU_E_NOT_FOUND) {
		*out = (struct identity_settings_row){.match_fields = DEFAULT_MATCH, .contact_fields = DEFAULT_CONTACT};
		return KEFU_OK;
	}
	if (e == KEFU_OK)
		out->exists = true;
	return e;
}

kefu_err db_identity_settings_put(struct kefu_db *db, int64_t tenant_id, int64_t channel_id,
                                  const struct identity_settings_row *s)
{
	return db_exec(db, NULL, NULL,
	               "INSERT INTO identity_settings (channel_id, tenant_id, enabled, match_fields, auto_link,"
	               " contact_fields, require_v2) VALUES (?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
	               " enabled = VALUES(enabled), match_fields = VALUES(match_fields), auto_link = VALUES(auto_link),"
	               " contact_fields = VALUES(contact_fields), require_v2 = VALUES(require_v2)",
	               "iiisisi", channel_id, tenant_id, (int64_t)s->enabled, s->match_fields, (int64_t)s->auto_link,
	               s->contact_fields, (int64_t)s->require_v2);
}

#define KEY_FIELDS  id, generation, kid, secret, created_at, retired_at
#define KEY_COLUMNS ROWS_SQL(KEY_FIELDS)

static const struct row_spec key_spec = ROWS(struct identity_key_row, KEY_FIELDS);

kefu_err db_identity_key_live(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                              struct identity_key_row *out)
{
	return rows_query_one(db, a, &key_spec, out,
	                      "SELECT " KEY_COLUMNS " FROM identity_keys WHERE tenant_id = ? AND channel_id = ?"
	                      " AND retired_at IS NULL ORDER BY generation DESC LIMIT 1",
	                      "ii", tenant_id, channel_id);
}

kefu_err db_identity_key_show_once(struct kefu_db *db, int64_t tenant_id, int64_t key_id, int64_t user_id)
{
	return db_exec(db, NULL, NULL, "UPDATE identity_keys SET show_once_to = ? WHERE tenant_id = ? AND id = ?",
	               "iii", user_id, tenant_id, key_id);
}

kefu_err db_identity_key_take_once(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                                   int64_t user_id, struct identity_key_row *out)
{
	kefu_err e =
	    rows_query_one(db, a, &key_spec, out,
	                   "SELECT " KEY_COLUMNS " FROM identity_keys WHERE tenant_id = ? AND channel_id = ?"
	                   " AND retired_at IS NULL AND show_once_to = ? AND created_at > NOW(3) - INTERVAL 10 MINUTE"
	                   " FOR UPDATE",
	                   "iii", tenant_id, channel_id, user_id);
	if (e != KEFU_OK)
		return e;
	return db_exec(db, NULL, NULL, "UPDATE identity_keys SET show_once_to = NULL WHERE tenant_id = ? AND id = ?",
	               "ii", tenant_id, out->id);
}

kefu_err db_identity_key_add(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                             const char *secret, struct identity_key_row *out)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT COALESCE(MAX(generation), 0) FROM identity_keys WHERE tenant_id = ? AND channel_id = ?"
	             " FOR UPDATE",
	             "ii", tenant_id, channel_id);
	if (e != KEFU_OK)
		return e;
	int64_t gen = db_i64(r, 0, 0) + 1;
	const char *kid = arena_printf(a, "k%lld", (long long)gen);
	e = db_exec(db, NULL, NULL,
	            "UPDATE identity_keys SET retired_at = NOW(3) WHERE tenant_id = ? AND channel_id = ? AND "
	            "retired_at IS NULL",
	            "ii", tenant_id, channel_id);
	if (e == KEFU_OK)
		e = db_exec(
		    db, NULL, NULL,
		    "INSERT INTO identity_keys (tenant_id, channel_id, generation, kid, secret) VALUES (?, ?, ?, ?, ?)",
		    "iiiss", tenant_id, channel_id, gen, kid, secret);
	if (e == KEFU_E_CONFLICT)
		return KEFU_E_RETRY;
	if (e != KEFU_OK)
		return e;
	e = db_query(db, a, &r,
	             "SELECT " KEY_COLUMNS " FROM identity_keys WHERE tenant_id = ? AND channel_id = ? AND kid = ?",
	             "iis", tenant_id, channel_id, kid);
	return e != KEFU_OK ? e : rows_one(r, &key_spec, out);
}

kefu_err db_identity_jti_use(struct kefu_db *db, int64_t channel_id, const char *jti_hash, int64_t expires_in)
{
	kefu_err e = db_exec(db, NULL, NULL, "DELETE FROM identity_jtis WHERE expires_at < NOW() LIMIT 50", "");
	if (e == KEFU_OK)
		e = db_exec(db, NULL, NULL,
		            "INSERT INTO identity_jtis (channel_id, jti_hash, expires_at)"
		            " VALUES (?, ?, NOW() + INTERVAL ? SECOND)",
		            "isi", channel_id, jti_hash, expires_in);
	return e;
}

kefu_err db_visitor_set_identity(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, const char *name,
                                 const char *roles, int64_t contact_id, int64_t account_id)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE visitors SET identified = 1, name = ?, roles = ?, contact_id = ?, account_id = ?"
	               " WHERE tenant_id = ? AND id = ?",
	               "ssnnii", name, roles, contact_id, account_id, tenant_id, visitor_id);
}

kefu_err db_visitor_set_link(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int64_t contact_id,
                             int64_t account_id)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE visitors SET contact_id = ?, account_id = ? WHERE tenant_id = ? AND id = ?", "nnii",
	               contact_id, account_id, tenant_id, visitor_id);
}
