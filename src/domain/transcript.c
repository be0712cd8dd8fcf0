/* transcript: history views of past conversations and their transcripts (plain text, and the data of the HTML
 * template). */
#include "domain/transcript.h"

#include <string.h>

#include "view/conv-json.h"

/* "2026-11-24 08:00:00.123" → "2026-11-24 08:00:00 UTC". */
static const char *when(kefu_arena *a, const char *t)
{
	return t ? arena_printf(a, "%.19s UTC", t) : "";
}

static const char *who(kefu_arena *a, const struct transcript_line *m, const struct history_row *h,
                       const struct transcript_labels *l)
{
	if (strcmp(m->sender, "agent") == 0)
		return m->agent_name ? m->agent_name : l->agent;
	if (strcmp(m->sender, "system") == 0)
		return l->system;
	return h->visitor_name ? arena_printf(a, "%s (%s)", h->visitor_name, l->visitor) : l->visitor;
}

static const char *body(kefu_arena *a, const struct transcript_line *m, const struct transcript_labels *l)
{
	if (m->att_name)
		return arena_printf(a, "[%s: %s]", l->file, m->att_name);
	return m->text ? m->text : "";
}

kefu_err transcript_text(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct history_row *h,
                         const struct transcript_labels *l, const char **out, size_t *len)
{
	struct transcript_line *ms;
	size_t n;
	kefu_err e = db_history_messages(db, a, tenant_id, h->id, &ms, &n);
	if (e != KEFU_OK)
		return e;
	/* Lines first, then one copy: repeated appends would be quadratic. */
	const char **parts = arena_alloc(a, (n + 1) * sizeof *parts);
	size_t total = 0;
	parts[0] =
	    arena_printf(a, "%s #%lld\n%s: %s\n%s - %s\n\n", l->title, (long long)h->id, h->channel_name,
	                 h->visitor_name ? h->visitor_name : l->visitor, when(a, h->created_at), when(a, h->closed_at));
	/* An erased or purged message is left out: its row stays, blank. */
	for (size_t i = 0; i < n; i++)
		parts[i + 1] = ms[i].removed ? ""
		                             : arena_printf(a, "[%s] %s: %s\n", when(a, ms[i].created_at),
		                                            who(a, &ms[i], h, l), body(a, &ms[i], l));
	for (size_t i = 0; i <= n; i++)
		total += strlen(parts[i]);
	char *s = arena_alloc(a, total + 1), *p = s;
	for (size_t i = 0; i <= n; i++) {
		size_t k = strlen(parts[i]);
		memcpy(p, parts[i], k);
		p += k;
	}
	*p = '\0';
	*out = s;
	*len = total;
	return KEFU_OK;
}

kefu_err transcript_data(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct history_row *h,
                         const struct transcript_labels *l, json_object **data)
{
	struct transcript_line *ms;
	size_t n;
	kefu_err e = db_history_messages(db, a, tenant_id, h->id, &ms, &n);
	if (e != KEFU_OK)
		return e;
	json_object *d = json_object_new_object(), *lines = json_object_new_array();
	json_object_object_add(d, "conversation", history_json(h));
	json_object_object_add(d, "title",
	                       json_object_new_string(arena_printf(a, "%s #%lld", l->title, (long long)h->id)));
	json_object_object_add(d, "started", json_object_new_string(when(a, h->created_at)));
	json_object_object_add(d, "ended", json_object_new_string(when(a, h->closed_at)));
	for (size_t i = 0; i < n; i++) {
		if (ms[i].removed)
			continue;
		json_object *x = json_object_new_object();
		json_object_object_add(x, "sender", json_object_new_string(ms[i].sender));
		json_object_object_add(x, "css", json_object_new_string(arena_printf(a, "line %s", ms[i].sender)));
		json_object_object_add(x, "who", json_object_new_string(who(a, &ms[i], h, l)));
		json_object_object_add(x, "when", json_object_new_string(when(a, ms[i].created_at)));
		json_object_object_add(x, "text", json_object_new_string(body(a, &ms[i], l)));
		json_object_array_add(lines, x);
	}
	json_object_object_add(d, "lines", lines);
	*data = d;
	return KEFU_OK;
}

kefu_err history_agent_serves(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, int64_t visitor_id,
                              bool *yes)
{
	return db_history_agent_serves(db, a, tenant_id, user_id, visitor_id, yes);
}

kefu_err history_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct history_row *out)
{
	return db_history_get(db, a, tenant_id, id, out);
}

kefu_err history_search(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct history_filter *f,
                        struct history_row **rows, size_t *n)
{
	return db_history_search(db, a, tenant_id, f, rows, n);
}

kefu_err history_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t before,
                         int64_t limit, struct history_row **rows, size_t *n)
{
	return db_history_visitor(db, a, tenant_id, visitor_id, before, limit, rows, n);
}
