/* store-cgroups: SQL for conversation groups (how the workbench groups an agent's conversations). */
#include "store/store-cgroups.h"

#include "store/store-rows.h"

#define COLUMNS "id, name, priority, match_json, created_at"

static const struct row_spec spec = ROWS(struct cgroup_row, id, name, priority, match, created_at);

kefu_err db_cgroup_create(struct kefu_db *db, int64_t tenant_id, const struct cgroup_row *g, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO conversation_groups (tenant_id, name, priority, match_json) VALUES (?, ?, ?, ?)",
	               "isis", tenant_id, g->name, g->priority, g->match);
}

kefu_err db_cgroup_update(struct kefu_db *db, int64_t tenant_id, const struct cgroup_row *g)
{
	return db_exec(
	    db, NULL, NULL,
	    "UPDATE conversation_groups SET name = ?, priority = ?, match_json = ? WHERE tenant_id = ? AND id = ?",
	    "sisii", g->name, g->priority, g->match, tenant_id, g->id);
}

kefu_err db_cgroup_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	return db_exec_one(db, "DELETE FROM conversation_groups WHERE tenant_id = ? AND id = ?", "ii", tenant_id, id);
}

kefu_err db_cgroup_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct cgroup_row *out)
{
	return rows_get(db, a, &spec, out, "SELECT " COLUMNS " FROM conversation_groups WHERE tenant_id = ? AND id = ?",
	                tenant_id, id);
}

kefu_err db_cgroup_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct cgroup_row **rows, size_t *n)
{
	return rows_list(db, a, &spec, (void **)rows, n,
	                 "SELECT " COLUMNS " FROM conversation_groups WHERE tenant_id = ? ORDER BY priority, id",
	                 tenant_id);
}
