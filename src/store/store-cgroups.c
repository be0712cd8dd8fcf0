/* store-cgroups: SQL for conversation groups (how the workbench groups an agent's conversations). */
#include "store/store-cgroups.h"

#include "store/store-rows.h"

#define COLUMNS "id, name, priority, match_json, created_at"

static const struct row_spec spec = ROWS(struct cgroup_row, id, name, priority, match, created_at);

static const struct row_spec write_spec = ROWS(struct cgroup_row, name, priority, match);

const struct row_table db_cgroups = {
    .spec = &spec,
    .write = &write_spec,
    .get = "SELECT " COLUMNS " FROM conversation_groups WHERE tenant_id = ? AND id = ?",
    .list = "SELECT " COLUMNS " FROM conversation_groups WHERE tenant_id = ? ORDER BY priority, id",
    .ins = "INSERT INTO conversation_groups (tenant_id, name, priority, match_json) VALUES (?, ?, ?, ?)",
    .upd = "UPDATE conversation_groups SET name = ?, priority = ?, match_json = ? WHERE tenant_id = ? AND id = ?",
    .del = "DELETE FROM conversation_groups WHERE tenant_id = ? AND id = ?",
};
