/* store-sidebar: SQL for sidebar_settings, which CRM objects and fields the workbench side panel shows. */
#ifndef KEFU_STORE_SIDEBAR_H
#define KEFU_STORE_SIDEBAR_H

#include "store/db.h"

/* The tenant's stored configuration (JSON text, in a), or NULL when it never set one. */
kefu_err db_sidebar_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char **config);
/* Replace the tenant's configuration with config (validated JSON text). */
kefu_err db_sidebar_put(struct kefu_db *db, int64_t tenant_id, const char *config);

#endif
