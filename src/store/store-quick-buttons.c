/* store-quick-buttons: SQL for the quick_buttons table. */
#include "store/store-quick-buttons.h"

#define COLUMNS "id, name, icon, channel_ids, visible_roles, object, filter, template, created_at, updated_at"

static void read_row(const struct db_result *r, size_t i, struct quick_button *b)
{
	b->id = db_i64(r, i, 0);
	b->name = db_str(r, i, 1);
	b->icon = db_str(r, i, 2);
	b->channel_ids = db_str(r, i, 3);
	b->visible_roles = db_str(r, i, 4);
	b->object = db_str(r, i, 5);
	b->filter = db_str(r, i, 6);
	b->template = db_str(r, i, 7);
	b->created_at = db_str(r, i, 8);
	b->updated_at = db_str(r, i, 9);
}

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
	               "sssssssii", b->name, b->icon, b->channel_ids, b->visible_roles, b->object, b->filter, b->template,
	               tenant_id, b->id);
}

kefu_err db_quick_button_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	uint64_t n = 0;
	kefu_err e = db_exec(db, &n, NULL, "DELETE FROM quick_buttons WHERE tenant_id = ? AND id = ?", "ii", tenant_id, id);
	return e == KEFU_OK && n == 0 ? KEFU_E_NOT_FOUND : e;
}

kefu_err db_quick_button_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct quick_button *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT " COLUMNS " FROM quick_buttons WHERE tenant_id = ? AND id = ?", "ii",
	                      tenant_id, id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_row(r, 0, out);
	return KEFU_OK;
}

kefu_err db_quick_button_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct quick_button **rows,
                              size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT " COLUMNS " FROM quick_buttons WHERE tenant_id = ? ORDER BY id", "i",
	                      tenant_id);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		read_row(r, i, &(*rows)[i]);
	return KEFU_OK;
}
