/* store-quick-buttons: SQL for the quick_buttons table. */
#include "store/store-quick-buttons.h"

#include "store/store-rows.h"

#define FIELDS  id, name, icon, channel_ids, visible_roles, object, filter, template, created_at, updated_at
#define COLUMNS ROWS_SQL(FIELDS)

static const struct row_spec spec = ROWS(struct quick_button, FIELDS);

kefu_err db_quick_button_create(struct kefu_db *db, int64_t tenant_id, const struct quick_button *b, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO quick_buttons (tenant_id, name, icon, channel_ids, visible_roles, object, filter,"
	               " template) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	               "isssssss", tenant_id, b->name, b->icon, b->channel_ids, b->visible_roles, b->object, b->filter,
	               b->template);
}

kefu_err db_quick_button_update(struct kefu_db *db, int64_t tenant_id, const struct quick_button *b)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE quick_buttons SET name = ?, icon = ?, channel_ids = ?, visible_roles = ?, object = ?,"
	               " filter = ?, template = ? WHERE tenant_id = ? AND id = ?",
	               "sssssssii", b->name, b->icon, b->channel_ids, b->visible_roles, b->object, b->filter,
	               b->template, tenant_id, b->id);
}

kefu_err db_quick_button_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	return db_exec_one(db, "DELETE FROM quick_buttons WHERE tenant_id = ? AND id = ?", "ii", tenant_id, id);
}

kefu_err db_quick_button_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct quick_button *out)
{
	return rows_get(db, a, &spec, out, "SELECT " COLUMNS " FROM quick_buttons WHERE tenant_id = ? AND id = ?",
	                tenant_id, id);
}

kefu_err db_quick_button_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct quick_button **rows,
                              size_t *n)
{
	return rows_list(db, a, &spec, (void **)rows, n,
	                 "SELECT " COLUMNS " FROM quick_buttons WHERE tenant_id = ? ORDER BY id", tenant_id);
}
