/* store-quick-buttons: SQL for the quick_buttons table. */
#include "store/store-quick-buttons.h"

#include "store/store-rows.h"

#define FIELDS  id, name, icon, channel_ids, visible_roles, object, filter, template, created_at, updated_at
#define COLUMNS ROWS_SQL(FIELDS)

static const struct row_spec spec = ROWS(struct quick_button, FIELDS);

static const struct row_spec write_spec =
    ROWS(struct quick_button, name, icon, channel_ids, visible_roles, object, filter, template);

const struct row_table db_quick_buttons = {
    .spec = &spec,
    .write = &write_spec,
    .get = "SELECT " COLUMNS " FROM quick_buttons WHERE tenant_id = ? AND id = ?",
    .list = "SELECT " COLUMNS " FROM quick_buttons WHERE tenant_id = ? ORDER BY id",
    .ins = "INSERT INTO quick_buttons (tenant_id, name, icon, channel_ids, visible_roles, object, filter, template)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    .upd = "UPDATE quick_buttons SET name = ?, icon = ?, channel_ids = ?, visible_roles = ?, object = ?, filter = ?,"
           " template = ? WHERE tenant_id = ? AND id = ?",
    .del = "DELETE FROM quick_buttons WHERE tenant_id = ? AND id = ?",
};
