/* store-cgroups: SQL for conversation groups (how the workbench groups an agent's conversations). */
#include "store/store-cgroups.h"

#define COLUMNS "id, name, priority, match_json, created_at"

static void read_row(const struct db_result *r, size_t i, struct cgroup_row *g)
{
	g->id = db_i64(r, i, 0);
	g->name = db_str(r, i, 1);
	g->priority = db_i64(r, i, 2);
	g->match = db_str(r, i, 3);
	g->created_at = db_str(r, i, 4);
}

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
	uint64_t n = 0;
	kefu_err e = db_exec(db, &n, NULL, "DELETE FROM conversation_groups WHERE tenant_id = ? AND id = ?", "ii",
	                     tenant_id, id);
	return e == KEFU_OK && n == 0 ? KEFU_E_NOT_FOUND : e;
}

kefu_err db_cgroup_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct cgroup_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT " COLUMNS " FROM conversation_groups WHERE tenant_id = ? AND id = ?",
	                      "ii", tenant_id, id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_row(r, 0, out);
	return KEFU_OK;
}

kefu_err db_cgroup_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct cgroup_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "SELECT " COLUMNS " FROM conversation_groups WHERE tenant_id = ? ORDER BY priority, id",
	             "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		read_row(r, i, &(*rows)[i]);
	return KEFU_OK;
}
