/* store-notes: SQL for internal (staff-only) notes on conversations. */
#include "store/store-notes.h"

kefu_err db_note_add(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t author_user_id,
                     const char *kind, const char *text, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO conversation_notes (tenant_id, conversation_id, author_user_id, kind, text)"
	               " VALUES (?, ?, ?, ?, ?)",
	               "iiIss", tenant_id, conversation_id, author_user_id ? &author_user_id : NULL, kind, text);
}

kefu_err db_note_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                      struct note_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT n.id, n.author_user_id, u.name, n.kind, n.text, n.created_at FROM conversation_notes n"
	             " LEFT JOIN users u ON u.id = n.author_user_id AND u.tenant_id = n.tenant_id"
	             " WHERE n.tenant_id = ? AND n.conversation_id = ? ORDER BY n.id",
	             "ii", tenant_id, conversation_id);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++) {
		struct note_row *x = &(*rows)[i];
		x->id = db_i64(r, i, 0);
		x->author_user_id = db_null(r, i, 1) ? 0 : db_i64(r, i, 1);
		x->author_name = db_str(r, i, 2);
		x->kind = db_str(r, i, 3);
		x->text = db_str(r, i, 4);
		x->created_at = db_str(r, i, 5);
	}
	return KEFU_OK;
}
