/* transcript: history views of past conversations and their transcripts (plain text, and the data of the HTML
 * template). */
#ifndef KEFU_DOMAIN_TRANSCRIPT_H
#define KEFU_DOMAIN_TRANSCRIPT_H

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-history.h"

/* Labels a transcript needs, already translated (static or arena text). */
struct transcript_labels {
	const char *title, *visitor, *system, *agent, *file;
};

/*
 * The conversation's transcript as UTF-8 text ("[time] who: text", one
 * message a line, attachments as "[file: name]"), into a (*out, *len); or
 * as the data of templates/transcript.xhtml (*data, new object). The text
 * is plain: nothing in it is interpreted, so it needs no escaping; the
 * HTML comes only from the template engine, which escapes every value.
 */
kefu_err transcript_text(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct history_row *h,
                         const struct transcript_labels *l, const char **out, size_t *len);
kefu_err transcript_data(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct history_row *h,
                         const struct transcript_labels *l, json_object **data);

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_history_agent_serves (store/store-history.h). */
kefu_err history_agent_serves(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, int64_t visitor_id,
                              bool *yes);

/* As db_history_get (store/store-history.h). */
kefu_err history_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct history_row *out);

/* As db_history_search (store/store-history.h). */
kefu_err history_search(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct history_filter *f,
                        struct history_row **rows, size_t *n);

/* As db_history_visitor (store/store-history.h). */
kefu_err history_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t before,
                         int64_t limit, struct history_row **rows, size_t *n);

#endif
