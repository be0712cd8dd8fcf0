/* store-tenants: SQL for the tenants table. */
#include "store/store-tenants.h"

kefu_err db_tenant_create(struct kefu_db *db, const char *name, int64_t *id)
{
	return db_exec(db, NULL, id, "INSERT INTO tenants (name) VALUES (?)", "s", name);
}

kefu_err db_tenant_by_name(struct kefu_db *db, kefu_arena *a, const char *name, int64_t *id)
{
	return db_query_i64(db, a, id, "SELECT id FROM tenants WHERE name = ?", "s", name);
}
