/* store-users: admins and agents of a tenant. */
#ifndef KEFU_STORE_USERS_H
#define KEFU_STORE_USERS_H

#include "store/db.h"

struct user_row {
	int64_t id, tenant_id;
	const char *login, *name, *role, *lang, *external_id, *status;
	const char *password_hash; /* only filled by db_user_by_login */
	const char *created_at;
};

/* New user; password_hash may be NULL (cannot log in until set).
 * KEFU_E_CONFLICT when the login (global) or external_id (per tenant) exists. */
kefu_err db_user_create(struct kefu_db *db, int64_t tenant_id, const char *login, const char *name,
                        const char *role, const char *password_hash, const char *external_id, int64_t *id);
/* The live user with this login in any tenant, with its password hash, for
 * logging in. KEFU_E_NOT_FOUND if none. */
kefu_err db_user_by_login(struct kefu_db *db, kefu_arena *a, const char *login, struct user_row *out);
/* Replace a stored hash (rehash on login after a parameter change). */
kefu_err db_user_set_password(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *password_hash);

#endif
