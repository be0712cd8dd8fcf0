/* store-channels: SQL for the channels table. */
#include "store/store-channels.h"

#include <json-c/json.h>

#include "store/store-rows.h"

#define CHANNEL_COLUMNS                                                                                                \
	"id, tenant_id, `key`, name, allowed_origins, style, prechat_fields, created_at, updated_at, notify_email,"    \
	" tracking"

static const struct row_spec channel_spec = ROWS(struct channel_row, id, tenant_id, key, name, allowed_origins, style,
                                                 prechat_fields, created_at, updated_at, notify_email, tracking);

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
	return rows_query_one(db, a, &channel_spec, out,
	                      "SELECT " CHANNEL_COLUMNS
	                      " FROM channels WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	                      "ii", tenant_id, id);
}

kefu_err db_channel_by_key(struct kefu_db *db, kefu_arena *a, const char *key, struct channel_row *out)
{
	return rows_query_one(db, a, &channel_spec, out,
	                      "SELECT " CHANNEL_COLUMNS " FROM channels WHERE `key` = ? AND deleted_at IS NULL", "s",
	                      key);
}

kefu_err db_channel_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct channel_row **rows, size_t *n)
{
	return rows_query(db, a, &channel_spec, (void **)rows, n,
	                  "SELECT " CHANNEL_COLUMNS
	                  " FROM channels WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id",
	                  "i", tenant_id);
}

kefu_err db_channel_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name,
                           const char *allowed_origins, const char *style, const char *prechat_fields,
                           const char *notify_email)
{
	/* updated_at is set explicitly: an update that changes nothing still
	 * matches (affected rows count changed rows only). */
	return db_exec_one(
	    db,
	    "UPDATE channels SET name = ?, allowed_origins = ?, style = ?, prechat_fields = ?,"
	    " notify_email = ?, updated_at = NOW(3) WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	    "sssssii", name, allowed_origins, style, prechat_fields, notify_email, tenant_id, id);
}

kefu_err db_channel_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	return db_exec_one(
	    db, "UPDATE channels SET deleted_at = NOW(3) WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL", "ii",
	    tenant_id, id);
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
