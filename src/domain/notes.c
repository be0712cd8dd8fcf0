/* notes: internal notes on a conversation, written and read by staff only (never on the visitor's stream). */
#include "domain/notes.h"

#include <string.h>

#include "core/utf8.h"
#include "domain/conv-stream.h"
#include "view/conv-json.h"

kefu_err note_post(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                   const char *text, struct note_row *out)
{
	if (who->kind != CONV_AGENT)
		return KEFU_E_NOT_FOUND;
	size_t len = text ? strlen(text) : 0;
	if (len == 0 || strspn(text, " \t\r\n") == len || !utf8_valid(text, len) ||
	    utf8_length(text, len) > NOTE_TEXT_MAX)
		return KEFU_E_INVALID_FIELD;
	struct conversation_row c;
	int64_t id;
	kefu_err e = conv_find(db, a, who, conversation_id, &c);
	if (e == KEFU_OK)
		e = db_note_add(db, who->tenant_id, c.id, who->user_id, "note", text, &id);
	if (e == KEFU_OK)
		e = db_note_get(db, a, who->tenant_id, c.id, id, out);
	if (e == KEFU_OK) {
		/* Other staff with the conversation open see it at once; the note is
		 * stored whether or not telling them works. */
		json_object *ev = json_object_new_object();
		json_object_object_add(ev, "type", json_object_new_string("note"));
		json_object_object_add(ev, "note", conv_note_json(out));
		(void)conv_tell_staff(db, a, who->tenant_id, c.id, c.agent_user_id, ev);
		json_object_put(ev);
	}
	return e;
}

kefu_err note_list(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                   struct note_row **rows, size_t *n)
{
	if (who->kind != CONV_AGENT)
		return KEFU_E_NOT_FOUND;
	struct conversation_row c;
	kefu_err e = conv_find(db, a, who, conversation_id, &c);
	return e != KEFU_OK ? e : db_note_list(db, a, who->tenant_id, c.id, rows, n);
}
