/* store-groups: SQL for agent_groups, group_members and group_departments. */
#include "store/store-groups.h"

#include <stdbool.h>
#include <stdlib.h>

#include "core/ids.h"
#include "store/store-rows.h"

#define GROUP_FIELDS  id, tenant_id, name, service_hours, created_at, updated_at
#define GROUP_COLUMNS ROWS_SQL(GROUP_FIELDS)

static const struct row_spec spec = ROWS(struct group_row, GROUP_FIELDS);

kefu_err db_group_create(struct kefu_db *db, int64_t tenant_id, const char *name, const char *service_hours,
                         int64_t *id)
{
	return db_exec(db, NULL, id, "INSERT INTO agent_groups (tenant_id, name, service_hours) VALUES (?, ?, ?)",
	               "iss", tenant_id, name, service_hours);
}

kefu_err db_group_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct group_row **rows, size_t *n)
{
	return rows_list(db, a, &spec, (void **)rows, n,
	                 "SELECT " GROUP_COLUMNS " FROM agent_groups WHERE tenant_id = ? ORDER BY id", tenant_id);
}

kefu_err db_group_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct group_row *out)
{
	return rows_get(db, a, &spec, out, "SELECT " GROUP_COLUMNS " FROM agent_groups WHERE tenant_id = ? AND id = ?",
	                tenant_id, id);
}

kefu_err db_group_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name, const char *service_hours)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE agent_groups SET name = ?, service_hours = ? WHERE tenant_id = ? AND id = ?", "ssii",
	               name, service_hours, tenant_id, id);
}

kefu_err db_group_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	return db_exec_one(db, "DELETE FROM agent_groups WHERE tenant_id = ? AND id = ?", "ii", tenant_id, id);
}

const struct id_link db_group_members = {
    .get = "SELECT gm.user_id FROM group_members gm JOIN users u ON u.id = gm.user_id"
           " AND u.tenant_id = gm.tenant_id AND u.deleted_at IS NULL"
           " WHERE gm.tenant_id = ? AND gm.group_id = ? ORDER BY gm.position",
    .del = "DELETE FROM group_members WHERE tenant_id = ? AND group_id = ?",
    .ins = "INSERT INTO group_members (tenant_id, group_id, user_id, position) VALUES (?, ?, ?, ?)",
    .positions = true,
};

const struct id_link db_group_departments = {
    .get = "SELECT department_id FROM group_departments WHERE tenant_id = ? AND group_id = ? ORDER BY position",
    .del = "DELETE FROM group_departments WHERE tenant_id = ? AND group_id = ?",
    .ins = "INSERT INTO group_departments (tenant_id, group_id, department_id, position) VALUES (?, ?, ?, ?)",
    .positions = true,
};

kefu_err db_group_effective_members(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, int64_t **ids,
                                    size_t *n)
{
	/* k orders the explicit members (by position) before the department
	 * members (by user id); the recursive part walks sub-departments. */
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "WITH RECURSIVE tree (id) AS ("
	             " SELECT department_id FROM group_departments WHERE tenant_id = ? AND group_id = ?"
	             " UNION"
	             " SELECT c.id FROM departments c JOIN tree ON c.parent_id = tree.id WHERE c.tenant_id = ?)"
	             " SELECT user_id, k, pos FROM ("
	             " SELECT gm.user_id, 0 AS k, gm.position AS pos FROM group_members gm"
	             " JOIN users u ON u.id = gm.user_id AND u.tenant_id = gm.tenant_id AND u.deleted_at IS NULL"
	             " WHERE gm.tenant_id = ? AND gm.group_id = ?"
	             " UNION ALL"
	             " SELECT DISTINCT ud.user_id, 1, ud.user_id FROM user_departments ud"
	             " JOIN tree ON tree.id = ud.department_id"
	             " JOIN users u ON u.id = ud.user_id AND u.tenant_id = ud.tenant_id AND u.deleted_at IS NULL"
	             " WHERE ud.tenant_id = ?) m ORDER BY k, pos",
	             "iiiiii", tenant_id, id, tenant_id, tenant_id, id, tenant_id);
	if (e != KEFU_OK)
		return e;
	rows_ids(r, a, ids, n);
	*n = ids_dedupe(*ids, *n); /* a member may come both ways: the first counts */
	return KEFU_OK;
}

/* A JSON array of integers (NULL: none), parsed by hand, into a. */
static void int_array(kefu_arena *a, const char *p, int64_t **ids, size_t *n)
{
	size_t cap = 1;
	for (const char *q = p; q && *q; q++)
		cap += *q == ',';
	*n = 0;
	*ids = arena_calloc(a, cap + 1, sizeof **ids);
	while (p && *p) {
		if (*p >= '0' && *p <= '9') {
			char *end;
			(*ids)[(*n)++] = strtoll(p, &end, 10);
			p = end;
		} else {
			p++;
		}
	}
}

kefu_err db_group_for_assign(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct group_row *out,
                             int64_t **ids, size_t *n, bool *complete, int64_t **admins, size_t *nadmins,
                             const char **tenant_zone, int64_t rule_id, const char **rule_doc)
{
	/* Without departments the members are the explicit ones, so the
	 * recursive walk (the costliest read of a decision) is not needed. The
	 * tenant's admins and time zone come along: they watch every queue, and a decision
	 * that queues or serves a conversation tells them, inside the rule's
	 * lock, where one more round trip is what the next decision waits for. */
#define GROUP_FOR_ASSIGN                                                                                               \
	"SELECT " GROUP_COLUMNS ","                                                                                    \
	" EXISTS (SELECT 1 FROM group_departments d WHERE d.tenant_id = g.tenant_id"                                   \
	" AND d.group_id = g.id),"                                                                                     \
	" (SELECT JSON_ARRAYAGG(gm.user_id ORDER BY gm.position) FROM group_members gm"                                \
	" JOIN users u ON u.id = gm.user_id AND u.tenant_id = gm.tenant_id AND u.deleted_at IS NULL"                   \
	" WHERE gm.tenant_id = g.tenant_id AND gm.group_id = g.id),"                                                   \
	" (SELECT JSON_ARRAYAGG(ad.id ORDER BY ad.id) FROM users ad WHERE ad.tenant_id = g.tenant_id"                  \
	" AND ad.deleted_at IS NULL AND ad.role = 'admin'),"                                                           \
	" (SELECT t.timezone FROM tenants t WHERE t.id = g.tenant_id)"
	struct db_result *r;
	kefu_err e =
	    rule_doc == NULL
	        ? db_query(db, a, &r, GROUP_FOR_ASSIGN " FROM agent_groups g WHERE g.tenant_id = ? AND g.id = ?", "ii",
	                   tenant_id, id)
	        : db_query(db, a, &r,
	                   GROUP_FOR_ASSIGN ", (SELECT r.doc FROM rules r WHERE r.tenant_id = g.tenant_id AND r.id = ?)"
	                                    " FROM agent_groups g WHERE g.tenant_id = ? AND g.id = ?",
	                   "iii", rule_id, tenant_id, id);
#undef GROUP_FOR_ASSIGN
	if (e != KEFU_OK)
		return e;
	if ((e = rows_one(r, &spec, out)) != KEFU_OK)
		return e;
	*complete = db_i64(r, 0, 6) == 0;
	int_array(a, db_str(r, 0, 8), admins, nadmins);
	*tenant_zone = db_str(r, 0, 9) != NULL ? db_str(r, 0, 9) : "UTC";
	if (rule_doc != NULL)
		*rule_doc = db_str(r, 0, 10);
	*n = 0;
	*ids = NULL;
	if (*complete)
		int_array(a, db_str(r, 0, 7), ids, n);
	return KEFU_OK;
}
