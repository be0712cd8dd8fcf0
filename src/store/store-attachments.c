/* store-attachments: SQL for the attachments table. */
#include "store/store-attachments.h"

#include "store/store-rows.h"

#define ATT_COLUMNS "id, tenant_id, conversation_id, size, name, mime, sha256, access_token, created_at"

static const struct row_spec spec =
    ROWS(struct attachment_row, id, tenant_id, conversation_id, size, name, mime, sha256, access_token, created_at);

/* The spec's columns, then with_data the bytes (column 9) and their length. */
static kefu_err one(const struct db_result *r, bool with_data, struct attachment_row *out)
{
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	rows_read(r, 0, &spec, out);
	if (with_data) {
		out->data = (const unsigned char *)db_str(r, 0, 9);
		out->size = (int64_t)db_len(r, 0, 9);
	}
	return KEFU_OK;
}

kefu_err db_attachment_insert(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, const char *name,
                              const char *mime, const char *sha256, const char *access_token, const void *data,
                              size_t size, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO attachments (tenant_id, conversation_id, name, mime, size, sha256, access_token,"
	               " data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	               "iississb", tenant_id, conversation_id, name, mime, (int64_t)size, sha256, access_token, data,
	               size);
}

kefu_err db_attachment_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool with_data,
                           struct attachment_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      with_data ? "SELECT " ATT_COLUMNS ", data FROM attachments WHERE tenant_id = ? AND id = ?"
	                                  " AND removed_at IS NULL"
	                                : "SELECT " ATT_COLUMNS " FROM attachments WHERE tenant_id = ? AND id = ?"
	                                  " AND removed_at IS NULL",
	                      "ii", tenant_id, id);
	return e != KEFU_OK ? e : one(r, with_data, out);
}

kefu_err db_attachment_by_id(struct kefu_db *db, kefu_arena *a, int64_t id, struct attachment_row *out)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "SELECT " ATT_COLUMNS " FROM attachments WHERE id = ? AND removed_at IS NULL", "i", id);
	return e != KEFU_OK ? e : one(r, false, out);
}
