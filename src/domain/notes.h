/* notes: internal notes on a conversation, written and read by staff only (never on the visitor's stream). */
#ifndef KEFU_DOMAIN_NOTES_H
#define KEFU_DOMAIN_NOTES_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/conversations.h"
#include "store/db.h"
#include "store/store-notes.h"

/* Longest note, in code points. */
#define NOTE_TEXT_MAX 2000

/*
 * A note by the agent who on a conversation they may see (conv_find:
 * NOT_FOUND otherwise; a closed one too, so a note can follow up in
 * history). text: 1..NOTE_TEXT_MAX code points, not only white space, else
 * KEFU_E_INVALID_FIELD. *out is the stored note (in a). The note is a row
 * of conversation_notes, apart from the event stream the widget reads.
 */
kefu_err note_post(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                   const char *text, struct note_row *out);

/* The notes of a conversation the actor may see, oldest first. */
kefu_err note_list(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                   struct note_row **rows, size_t *n);

#endif
