/* store-departments: SQL for the departments table. */
#include "store/store-departments.h"

#include "store/store-rows.h"

#define DEPT_COLUMNS "d.id, d.tenant_id, d.parent_id, d.name, d.external_id, d.created_at, d.updated_at"

static const struct row_spec spec =
    ROWS(struct dept_row, id, tenant_id, parent_id, name, external_id, created_at, updated_at, members);

kefu_err db_dept_create(struct kefu_db *db, int64_t tenant_id, const char *name, int64_t parent_id,
                        const char *external_id, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO departments (tenant_id, name, parent_id, external_id) VALUES (?, ?, ?, ?)", "isns",
	               tenant_id, name, parent_id, external_id);
}

kefu_err db_dept_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct dept_row **rows, size_t *n)
{
	return rows_list(db, a, &spec, (void **)rows, n,
	                 "SELECT " DEPT_COLUMNS ", (SELECT COUNT(*) FROM user_departments ud"
	                 " JOIN users u ON u.id = ud.user_id AND u.deleted_at IS NULL"
	                 " WHERE ud.tenant_id = d.tenant_id AND ud.department_id = d.id)"
	                 " FROM departments d WHERE d.tenant_id = ? ORDER BY d.name, d.id",
	                 tenant_id);
}

kefu_err db_dept_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct dept_row *out)
{
	return rows_get(db, a, &spec, out,
	                "SELECT " DEPT_COLUMNS " FROM departments d WHERE d.tenant_id = ? AND d.id = ?", tenant_id, id);
}

kefu_err db_dept_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *external_id,
                             struct dept_row *out)
{
	struct db_result *r = NULL;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " DEPT_COLUMNS " FROM departments d WHERE d.tenant_id = ? AND d.external_id = ?",
	                      "is", tenant_id, external_id);
	return e != KEFU_OK ? e : rows_one(r, &spec, out);
}

kefu_err db_dept_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name, int64_t parent_id,
                        const char *external_id)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE departments SET name = ?, parent_id = ?, external_id = ? WHERE tenant_id = ? AND id = ?",
	               "snsii", name, parent_id, external_id, tenant_id, id);
}

kefu_err db_dept_delete(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id)
{
	int64_t children = 0;
	kefu_err e =
	    db_query_i64(db, a, &children, "SELECT COUNT(*) FROM departments WHERE tenant_id = ? AND parent_id = ?",
	                 "ii", tenant_id, id);
	if (e != KEFU_OK)
		return e;
	if (children > 0)
		return KEFU_E_CONFLICT;
	return db_exec_one(db, "DELETE FROM departments WHERE tenant_id = ? AND id = ?", "ii", tenant_id, id);
}

kefu_err db_dept_parent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, int64_t *parent)
{
	return db_query_i64(db, a, parent, "SELECT parent_id FROM departments WHERE tenant_id = ? AND id = ?", "ii",
	                    tenant_id, id);
}

kefu_err db_depts_exist(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n, bool *all)
{
	return rows_all_exist(db, a, "SELECT 1 FROM departments WHERE tenant_id = ? AND id = ?", tenant_id, ids, n,
	                      all);
}

const struct id_link db_dept_members = {
    .get = "SELECT ud.user_id FROM user_departments ud JOIN users u ON u.id = ud.user_id"
           " AND u.tenant_id = ud.tenant_id AND u.deleted_at IS NULL"
           " WHERE ud.tenant_id = ? AND ud.department_id = ? ORDER BY ud.user_id",
};
