/* store-tenants: tenants (enterprises). */
#ifndef KEFU_STORE_TENANTS_H
#define KEFU_STORE_TENANTS_H

#include "store/db.h"

/* New tenant; KEFU_E_CONFLICT when the name is taken. */
kefu_err db_tenant_create(struct kefu_db *db, const char *name, int64_t *id);
/* The tenant called name; KEFU_E_NOT_FOUND if none. */
kefu_err db_tenant_by_name(struct kefu_db *db, kefu_arena *a, const char *name, int64_t *id);

#endif
