/* store-tenants: SQL for the tenants table. */
#include "store/store-tenants.h"

kefu_err db_tenant_create(struct kefu_db *db, const char *name, int64_t *id)
{
	return db_exec(db, NULL, id, "INSERT INTO tenants (name) VALUES (?)", "s", name);
}

kefu_err db_tenant_by_name(struct kefu_db *db, kefu_arena *a, const char *name, int64_t *id)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT id FROM tenants WHERE name = ?", "s", name);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	*id = db_i64(r, 0, 0);
	return KEFU_OK;
}
