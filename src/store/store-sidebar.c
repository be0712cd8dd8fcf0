/* store-sidebar: SQL for the sidebar_settings table. */
#include "store/store-sidebar.h"

kefu_err db_sidebar_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char **config)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT config FROM sidebar_settings WHERE tenant_id = ?", "i", tenant_id);
	if (e == KEFU_OK)
		*config = r->nrows ? db_str(r, 0, 0) : NULL;
	return e;
}

kefu_err db_sidebar_put(struct kefu_db *db, int64_t tenant_id, const char *config)
{
	return db_exec(db, NULL, NULL,
	               "INSERT INTO sidebar_settings (tenant_id, config) VALUES (?, ?)"
	               " ON DUPLICATE KEY UPDATE config = VALUES(config)",
	               "is", tenant_id, config);
}
