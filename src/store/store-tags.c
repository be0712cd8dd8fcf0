/* store-tags: SQL for the tenant's tag vocabulary and the tags on conversations. */
#include "store/store-tags.h"

#include "store/store-rows.h"

#define COLUMNS "t.id, t.name, t.color, t.created_at"

static const struct row_spec spec = ROWS(struct tag_row, id, name, color, created_at, conversations);

static const struct row_spec write_spec = ROWS(struct tag_row, name, color);

const struct row_table db_tags = {
    .spec = &spec,
    .write = &write_spec,
    .get = "SELECT " COLUMNS " FROM tags t WHERE t.tenant_id = ? AND t.id = ?",
    .list = "SELECT " COLUMNS ", (SELECT COUNT(*) FROM conversation_tags ct"
            " WHERE ct.tenant_id = t.tenant_id AND ct.tag_id = t.id)"
            " FROM tags t WHERE t.tenant_id = ? ORDER BY t.name, t.id",
    .ins = "INSERT INTO tags (tenant_id, name, color) VALUES (?, ?, ?)",
    .upd = "UPDATE tags SET name = ?, color = ? WHERE tenant_id = ? AND id = ?",
    .del = "DELETE FROM tags WHERE tenant_id = ? AND id = ?",
};

kefu_err db_tag_by_name(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *name, struct tag_row *out)
{
	return rows_query_one(db, a, &spec, out, "SELECT " COLUMNS " FROM tags t WHERE t.tenant_id = ? AND t.name = ?",
	                      "is", tenant_id, name);
}

kefu_err db_tag_ensure(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *name, struct tag_row *out,
                       bool *created)
{
	/* INSERT IGNORE then read: two agents adding the same new tag at once
	 * both end up with the one row the unique key lets through. */
	uint64_t n = 0;
	kefu_err e =
	    db_exec(db, &n, NULL, "INSERT IGNORE INTO tags (tenant_id, name) VALUES (?, ?)", "is", tenant_id, name);
	if (e != KEFU_OK)
		return e;
	*created = n > 0;
	return db_tag_by_name(db, a, tenant_id, name, out);
}

kefu_err db_conversation_tag_add(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t tag_id,
                                 int64_t user_id, bool *added)
{
	return db_exec_hit(db, added,
	                   "INSERT IGNORE INTO conversation_tags (tenant_id, conversation_id, tag_id, added_by)"
	                   " VALUES (?, ?, ?, ?)",
	                   "iiin", tenant_id, conversation_id, tag_id, user_id);
}

kefu_err db_conversation_tag_remove(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t tag_id,
                                    bool *removed)
{
	return db_exec_hit(db, removed,
	                   "DELETE FROM conversation_tags WHERE tenant_id = ? AND conversation_id = ? AND tag_id = ?",
	                   "iii", tenant_id, conversation_id, tag_id);
}

kefu_err db_conversation_tags(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                              struct tag_row **rows, size_t *n)
{
	return rows_query(db, a, &spec, (void **)rows, n,
	                  "SELECT " COLUMNS " FROM conversation_tags ct"
	                  " JOIN tags t ON t.id = ct.tag_id AND t.tenant_id = ct.tenant_id"
	                  " WHERE ct.tenant_id = ? AND ct.conversation_id = ? ORDER BY t.name, t.id",
	                  "ii", tenant_id, conversation_id);
}

kefu_err db_conversations_tags(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                               struct tag_row **rows, int64_t **conv_ids, size_t *nrows)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT " COLUMNS ", 0, ct.conversation_id FROM conversation_tags ct"
	             " JOIN JSON_TABLE(?, '$[*]' COLUMNS (cid BIGINT PATH '$')) j ON ct.conversation_id = j.cid"
	             " JOIN tags t ON t.id = ct.tag_id AND t.tenant_id = ct.tenant_id"
	             " WHERE ct.tenant_id = ? ORDER BY ct.conversation_id, t.name, t.id",
	             "si", db_ids_json(a, ids, n), tenant_id);
	if (e != KEFU_OK)
		return e;
	rows_ids_at(r, a, 5, conv_ids, nrows);
	return rows_all(r, a, &spec, (void **)rows, nrows);
}
