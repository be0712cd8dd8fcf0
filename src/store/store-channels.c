/* store-channels: SQL for the channels table. */
#include "store/store-channels.h"

#include <json-c/json.h>

#define CHANNEL_COLUMNS                                                                                                \
	"id, tenant_id, `key`, name, allowed_origins, style, prechat_fields, created_at, updated_at, notify_email,"    \
	" tracking"

static void read_row(const struct db_result *r, size_t i, struct channel_row *c)
{
	c->id = db_i64(r, i, 0);
	c->tenant_id = db_i64(r, i, 1);
	c->key = db_str(r, i, 2);
	c->name = db_str(r, i, 3);
	c->allowed_origins = db_str(r, i, 4);
	c->style = db_str(r, i, 5);
	c->prechat_fields = db_str(r, i, 6);
	c->created_at = db_str(r, i, 7);
	c->updated_at = db_str(r, i, 8);
	c->notify_email = db_str(r, i, 9);
	c->tracking = db_i64(r, i, 10) != 0;
}

static kefu_err one(const struct db_result *r, struct channel_row *out)
{
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_row(r, 0, out);
	return KEFU_OK;
}

kefu_err db_channel_create(struct kefu_db *db, int64_t tenant_id, const char *key, const char *name,
                           const char *allowed_origins, const char *style, const char *prechat_fields,
                           const char *notify_email, int64_t *id)
{
	return db_exec(
	    db, NULL, id,
	    "INSERT INTO channels (tenant_id, `key`, name, allowed_origins, style, prechat_fields, notify_email)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)",
	    "issssss", tenant_id, key, name, allowed_origins, style, prechat_fields, notify_email);
}

kefu_err db_channel_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct channel_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r, "SELECT " CHANNEL_COLUMNS " FROM channels WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	    "ii", tenant_id, id);
	return e != KEFU_OK ? e : one(r, out);
}

kefu_err db_channel_by_key(struct kefu_db *db, kefu_arena *a, const char *key, struct channel_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r, "SELECT " CHANNEL_COLUMNS " FROM channels WHERE `key` = ? AND deleted_at IS NULL", "s", key);
	return e != KEFU_OK ? e : one(r, out);
}

kefu_err db_channel_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct channel_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT " CHANNEL_COLUMNS " FROM channels WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id",
	             "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		read_row(r, i, &(*rows)[i]);
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err db_channel_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name,
                           const char *allowed_origins, const char *style, const char *prechat_fields,
                           const char *notify_email)
{
	uint64_t n = 0;
	/* updated_at is set explicitly: an update that changes nothing still
	 * matches (affected rows count changed rows only). */
	kefu_err e =
	    db_exec(db, &n, NULL,
	            "UPDATE channels SET name = ?, allowed_origins = ?, style = ?, prechat_fields = ?,"
	            " notify_email = ?, updated_at = NOW(3) WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	            "sssssii", name, allowed_origins, style, prechat_fields, notify_email, tenant_id, id);
	if (e == KEFU_OK && n == 0)
		e = KEFU_E_NOT_FOUND;
	return e;
}

kefu_err db_channel_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	uint64_t n = 0;
	kefu_err e =
	    db_exec(db, &n, NULL,
	            "UPDATE channels SET deleted_at = NOW(3) WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	            "ii", tenant_id, id);
	if (e == KEFU_OK && n == 0)
		e = KEFU_E_NOT_FOUND;
	return e;
}

kefu_err db_channel_tenant_online(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, bool *online)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT EXISTS (SELECT 1 FROM users WHERE tenant_id = ? AND status = 'online'"
	                      " AND deleted_at IS NULL)",
	                      "i", tenant_id);
	if (e == KEFU_OK)
		*online = db_i64(r, 0, 0) != 0;
	return e;
}

kefu_err db_channel_set_tracking(struct kefu_db *db, int64_t tenant_id, int64_t id, bool tracking)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE channels SET tracking = ? WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL", "iii",
	               (int64_t)tracking, tenant_id, id);
}
