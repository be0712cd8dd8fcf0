/* store-users: admins and agents of a tenant. */
#ifndef KEFU_STORE_USERS_H
#define KEFU_STORE_USERS_H

#include <stdbool.h>

#include "store/db.h"

struct user_row {
	int64_t id, tenant_id;
	const char *login, *name, *role, *lang, *external_id, *status;
	const char *email;         /* NULL: none (not filled by db_user_by_login) */
	bool leave_digest;         /* wants the daily mail of open left messages */
	const char *password_hash; /* only filled by db_user_by_login */
	const char *created_at, *updated_at;
};

/* New user from u's login, name, role, external_id, email (NULL: none) and
 * leave_digest; password_hash may be NULL (cannot log in until set).
 * KEFU_E_CONFLICT when the login (global, among live users) or external_id
 * (per tenant, among live users) exists. */
kefu_err db_user_create(struct kefu_db *db, int64_t tenant_id, const struct user_row *u, const char *password_hash,
                        int64_t *id);
/* The live user with this login in any tenant, with its password hash, for
 * logging in. KEFU_E_NOT_FOUND if none. */
kefu_err db_user_by_login(struct kefu_db *db, kefu_arena *a, const char *login, struct user_row *out);
/* Replace a stored hash (rehash on login after a parameter change). */
kefu_err db_user_set_password(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *password_hash);

/* The tenant's live users ordered by id; *rows in arena a. */
kefu_err db_user_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct user_row **rows, size_t *n);
/* One live user of the tenant; KEFU_E_NOT_FOUND otherwise (deleted or another tenant's). */
kefu_err db_user_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct user_row *out);
/* The live user with this external_id; KEFU_E_NOT_FOUND if none. */
kefu_err db_user_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *external_id,
                             struct user_row *out);
/* Set login, name, role, external_id (NULL clears it), email (NULL clears
 * it; the caller checked its shape, view/mail.h mail_addr_ok) and
 * leave_digest of live user u->id, in one statement. KEFU_E_CONFLICT on a
 * taken login or external_id. */
kefu_err db_user_update(struct kefu_db *db, int64_t tenant_id, const struct user_row *u);
/* The user's UI language (NULL: follow the browser). */
kefu_err db_user_set_lang(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *lang);
/* The tenant's live users with an e-mail address, among ids[0..n) (ids
 * NULL: all of them; n > 0 otherwise), ordered by id; *rows in a. */
kefu_err db_users_mail_targets(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                               struct user_row **rows, size_t *count);
/* Soft delete: the row stays (history, audit), login and external_id become
 * free, memberships and sessions end. KEFU_E_NOT_FOUND if not a live user. */
kefu_err db_user_delete(struct kefu_db *db, int64_t tenant_id, int64_t id);
/* Whether every id is a live user of the tenant (duplicates allowed). */
kefu_err db_users_exist(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n, bool *all);

/* The departments a user belongs to, by department id (store-rows.h:
 * rows_link_get, rows_link_set; the ids must be the tenant's: checked by
 * the caller). */
extern const struct id_link db_user_departments;
/* How many live users of each role the tenant has (for the overview). */
kefu_err db_user_counts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *admins, int64_t *agents,
                        int64_t *online);

#endif
