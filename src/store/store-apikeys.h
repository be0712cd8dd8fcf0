/* store-apikeys: API keys for scripts and the CRM, stored by hash. */
#ifndef KEFU_STORE_APIKEYS_H
#define KEFU_STORE_APIKEYS_H

#include <stdbool.h>

#include "store/db.h"

struct api_key_row {
	int64_t id, tenant_id;
	const char *name, *prefix, *created_at, *last_used_at;
	bool admin, crm;
};

kefu_err db_apikey_create(struct kefu_db *db, int64_t tenant_id, const char *name, const char *prefix,
                          const char *key_hash, bool admin, bool crm, int64_t *id);
/* The unrevoked key with this hash; KEFU_E_NOT_FOUND otherwise. */
kefu_err db_apikey_by_hash(struct kefu_db *db, kefu_arena *a, const char *key_hash, struct api_key_row *out);
/* The unrevoked keys as a table read only (store-rows.h: rows_table_get,
 * rows_table_list), its list newest first; created, renamed and revoked by
 * the functions here. */
extern const struct row_table db_apikeys;
/* Revoke; KEFU_E_NOT_FOUND when not the tenant's or already revoked. */
kefu_err db_apikey_revoke(struct kefu_db *db, int64_t tenant_id, int64_t id);
/* Rename an unrevoked key; KEFU_E_NOT_FOUND otherwise. */
kefu_err db_apikey_rename(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name);
/* How many unrevoked keys the tenant has (for the overview). */
kefu_err db_apikey_count(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *n);

#endif
