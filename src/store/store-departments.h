/* store-departments: the tenant's department tree and its members. */
#ifndef KEFU_STORE_DEPARTMENTS_H
#define KEFU_STORE_DEPARTMENTS_H

#include <stdbool.h>

#include "store/db.h"

struct dept_row {
	int64_t id, tenant_id;
	int64_t parent_id; /* 0 for a top-level department */
	const char *name, *external_id, *created_at, *updated_at;
	int64_t members; /* live users directly in it (list only) */
};

/* KEFU_E_CONFLICT when external_id is taken in the tenant. */
kefu_err db_dept_create(struct kefu_db *db, int64_t tenant_id, const char *name, int64_t parent_id,
                        const char *external_id, int64_t *id);
/* All departments of the tenant ordered by name, then id; *rows in arena a. */
kefu_err db_dept_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct dept_row **rows, size_t *n);
/* KEFU_E_NOT_FOUND when not the tenant's. */
kefu_err db_dept_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct dept_row *out);
kefu_err db_dept_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *external_id,
                             struct dept_row *out);
/* Set every column (parent_id 0: top level; external_id NULL clears). */
kefu_err db_dept_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name, int64_t parent_id,
                        const char *external_id);
/* KEFU_E_CONFLICT when it has sub-departments; memberships and group links go with it. */
kefu_err db_dept_delete(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id);
/* The parent of id (0 at the top); KEFU_E_NOT_FOUND when not the tenant's. */
kefu_err db_dept_parent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, int64_t *parent);
/* Whether every id is a department of the tenant. */
kefu_err db_depts_exist(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n, bool *all);
/* The live users directly in the department, by user id (read only:
 * store-rows.h, rows_link_get). */
extern const struct id_link db_dept_members;

#endif
