/* store-notes: SQL for internal (staff-only) notes on conversations. */
#ifndef KEFU_STORE_NOTES_H
#define KEFU_STORE_NOTES_H

#include <stdint.h>

#include "store/db.h"

struct note_row {
	int64_t id, author_user_id;
	const char *author_name, *kind, *text, *created_at;
	/* The conversation's last message when the note was written (0: none):
	 * where the note sits among the messages, finer than created_at's seconds. */
	int64_t after_message_id;
};

kefu_err db_note_add(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t author_user_id,
                     const char *kind, const char *text, int64_t *id);
/* The conversation's notes, oldest first; *rows in a. */
kefu_err db_note_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                      struct note_row **rows, size_t *n);
/* One note of the conversation; KEFU_E_NOT_FOUND otherwise. */
kefu_err db_note_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id, int64_t id,
                     struct note_row *out);

#endif
