/* store-notes: SQL for internal (staff-only) notes on conversations. */
#include "store/store-notes.h"

#include "store/store-rows.h"

/* The last message written no later than the note (created_at is DATETIME(3) on both). */
#define AFTER_MESSAGE                                                                                                  \
	"(SELECT MAX(m.id) FROM messages m WHERE m.tenant_id = n.tenant_id AND m.conversation_id = n.conversation_id"  \
	" AND m.created_at <= n.created_at)"

static const struct row_spec spec =
    ROWS(struct note_row, id, author_user_id, author_name, kind, text, created_at, after_message_id);

kefu_err db_note_add(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t author_user_id,
                     const char *kind, const char *text, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO conversation_notes (tenant_id, conversation_id, author_user_id, kind, text)"
	               " VALUES (?, ?, ?, ?, ?)",
	               "iinss", tenant_id, conversation_id, author_user_id, kind, text);
}

kefu_err db_note_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                      struct note_row **rows, size_t *n)
{
	return rows_query(db, a, &spec, (void **)rows, n,
	                  "SELECT n.id, n.author_user_id, u.name, n.kind, n.text, n.created_at, " AFTER_MESSAGE
	                  " FROM conversation_notes n"
	                  " LEFT JOIN users u ON u.id = n.author_user_id AND u.tenant_id = n.tenant_id"
	                  " WHERE n.tenant_id = ? AND n.conversation_id = ? ORDER BY n.id",
	                  "ii", tenant_id, conversation_id);
}

kefu_err db_note_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id, int64_t id,
                     struct note_row *out)
{
	return rows_query_one(db, a, &spec, out,
	                      "SELECT n.id, n.author_user_id, u.name, n.kind, n.text, n.created_at, " AFTER_MESSAGE
	                      " FROM conversation_notes n"
	                      " LEFT JOIN users u ON u.id = n.author_user_id AND u.tenant_id = n.tenant_id"
	                      " WHERE n.tenant_id = ? AND n.conversation_id = ? AND n.id = ?",
	                      "iii", tenant_id, conversation_id, id);
}
