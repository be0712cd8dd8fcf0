/* org-read: the organisation's rows as handlers read them (users, departments, groups, API key counts), beside org.h's
 * JSON views. */
#ifndef KEFU_DOMAIN_ORG_READ_H
#define KEFU_DOMAIN_ORG_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-apikeys.h"
#include "store/store-departments.h"
#include "store/store-groups.h"
#include "store/store-users.h"

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_user_get (store/store-users.h). */
kefu_err org_user_row(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct user_row *out);

/* As db_user_list (store/store-users.h). */
kefu_err org_user_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct user_row **rows, size_t *n);

/* As db_user_set_lang (store/store-users.h). */
kefu_err org_user_set_lang(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *lang);

/* As db_user_counts (store/store-users.h). */
kefu_err org_user_counts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *admins, int64_t *agents,
                         int64_t *online);

/* As db_dept_list (store/store-departments.h). */
kefu_err org_dept_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct dept_row **rows, size_t *n);

/* As db_group_list (store/store-groups.h). */
kefu_err org_group_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct group_row **rows, size_t *n);

/* As db_apikey_count (store/store-apikeys.h). */
kefu_err org_key_count(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *n);

#endif
