/* report-json: report results as the API's JSON, and any report's JSON flattened to CSV. */
#include "view/report-json.h"

#include <stdio.h>
#include <string.h>

static json_object *num(bool has, double v)
{
	return has ? json_object_new_double(v) : NULL;
}

static json_object *stat_json(const struct report_stat *s)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "avg", num(s->has, s->avg));
	json_object_object_add(o, "p50", num(s->has, s->p50));
	json_object_object_add(o, "p90", num(s->has, s->p90));
	return o;
}

static json_object *csat_json(const struct report_csat *c)
{
	json_object *o = json_object_new_object(), *d = json_object_new_object();
	json_object_object_add(o, "count", json_object_new_int64(c->count));
	json_object_object_add(o, "avg", num(c->has, c->avg));
	for (int i = 0; i < 5; i++) {
		char k[2] = {(char)('1' + i), '\0'};
		json_object_object_add(d, k, json_object_new_int64(c->dist[i]));
	}
	json_object_object_add(o, "distribution", d);
	return o;
}

static void add_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

json_object *report_summary_json(const struct report_summary *s)
{
	json_object *o = json_object_new_object(), *m = json_object_new_object();
	add_int(o, "conversations", s->conversations);
	add_int(o, "assigned", s->assigned);
	add_int(o, "missed", s->missed);
	add_int(o, "offline", s->offline);
	add_int(o, "out_of_hours", s->out_of_hours);
	add_int(o, "leave_messages", s->leave_messages);
	add_int(o, "transfers", s->transfers);
	add_int(m, "visitor", s->messages_visitor);
	add_int(m, "agent", s->messages_agent);
	json_object_object_add(o, "messages", m);
	json_object_object_add(o, "wait_seconds", stat_json(&s->wait));
	json_object_object_add(o, "first_response_seconds", stat_json(&s->first_response));
	json_object_object_add(o, "handle_seconds", stat_json(&s->handle));
	json_object_object_add(o, "wait_seconds_business", stat_json(&s->wait_business));
	json_object_object_add(o, "first_response_seconds_business", stat_json(&s->first_response_business));
	json_object_object_add(o, "handle_seconds_business", stat_json(&s->handle_business));
	json_object_object_add(o, "csat", csat_json(&s->csat));
	json_object *inv = json_object_new_object();
	add_int(inv, "sent", s->invitations.sent);
	add_int(inv, "accepted", s->invitations.accepted);
	add_int(inv, "dismissed", s->invitations.dismissed);
	add_int(inv, "proactive", s->invitations.proactive);
	add_int(inv, "by_agents", s->invitations.sent - s->invitations.proactive);
	json_object_object_add(o, "invitations", inv);
	return o;
}

json_object *report_agents_json(const struct report_agent *rows, size_t n)
{
	json_object *o = json_object_new_object(), *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		const struct report_agent *x = &rows[i];
		json_object *it = json_object_new_object(), *ag = json_object_new_object();
		add_int(ag, "id", x->id);
		json_object_object_add(ag, "name", json_object_new_string(x->name ? x->name : ""));
		json_object_object_add(it, "agent", ag);
		add_int(it, "conversations", x->conversations);
		json_object_object_add(it, "first_response_seconds", stat_json(&x->first_response));
		json_object_object_add(it, "handle_seconds", stat_json(&x->handle));
		json_object_object_add(it, "csat", csat_json(&x->csat));
		json_object_object_add(it, "online_seconds", json_object_new_double(x->online_seconds));
		json_object_object_add(it, "away_seconds", json_object_new_double(x->away_seconds));
		json_object_object_add(it, "first_response_seconds_business", stat_json(&x->first_response_business));
		json_object_object_add(it, "handle_seconds_business", stat_json(&x->handle_business));
		json_object_array_add(items, it);
	}
	json_object_object_add(o, "items", items);
	return o;
}

json_object *report_points_json(const struct report_point *p, size_t n)
{
	json_object *o = json_object_new_object(), *pts = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *it = json_object_new_object();
		json_object_object_add(it, "t", json_object_new_string(p[i].text));
		json_object_object_add(it, "value", num(p[i].has, p[i].value));
		json_object_array_add(pts, it);
	}
	json_object_object_add(o, "points", pts);
	return o;
}

json_object *report_realtime_json(const struct report_realtime *r)
{
	json_object *o = json_object_new_object(), *ag = json_object_new_object(), *bg = json_object_new_array();
	add_int(o, "waiting", r->waiting);
	json_object_object_add(o, "longest_wait_seconds", num(r->has_longest, r->longest_wait_seconds));
	add_int(o, "live_conversations", r->live);
	add_int(ag, "online", r->agents_online);
	add_int(ag, "away", r->agents_away);
	add_int(ag, "offline", r->agents_offline);
	json_object_object_add(o, "agents", ag);
	for (size_t i = 0; i < r->ngroups; i++) {
		const struct report_group_live *g = &r->groups[i];
		json_object *it = json_object_new_object(), *gj = json_object_new_object();
		add_int(gj, "id", g->id);
		json_object_object_add(gj, "name", json_object_new_string(g->name ? g->name : ""));
		json_object_object_add(it, "group", gj);
		add_int(it, "waiting", g->waiting);
		add_int(it, "live", g->live);
		add_int(it, "agents_online", g->agents_online);
		json_object_array_add(bg, it);
	}
	json_object_object_add(o, "by_group", bg);
	return o;
}

/* ---- CSV ---- */

struct buf {
	kefu_arena *a;
	char *p;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = arena_calloc(b->a, cap, 1);
		if (b->len)
			memcpy(p, b->p, b->len);
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void cell_text(struct buf *b, const char *s)
{
	bool formula = s[0] != '\0' && strchr("=+-@", s[0]) != NULL;
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		puts_(b, formula ? "\"'" : "\"");
	for (const char *p = s; *p; p++)
		put(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
	if (quote)
		puts_(b, "\"");
}

/* One row's header (names) or values of object o's scalar members, nested ones by prefix_. */
static void flatten(struct buf *b, json_object *o, const char *prefix, bool header, bool *first)
{
	json_object_object_foreach(o, k, v)
	{
		if (v != NULL && json_object_is_type(v, json_type_array))
			continue;
		char name[256];
		snprintf(name, sizeof name, "%s%s%s", prefix, prefix[0] ? "_" : "", k);
		if (v != NULL && json_object_is_type(v, json_type_object)) {
			flatten(b, v, name, header, first);
			continue;
		}
		if (!*first)
			puts_(b, ",");
		*first = false;
		if (header)
			cell_text(b, name);
		else if (v == NULL)
			;
		else if (json_object_is_type(v, json_type_string))
			cell_text(b, json_object_get_string(v));
		else
			puts_(b, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	}
}

char *report_csv(kefu_arena *a, json_object *doc, const char *list, size_t *len)
{
	struct buf b = {.a = a};
	json_object *rows = NULL;
	bool first;
	if (list != NULL && json_object_object_get_ex(doc, list, &rows) && json_object_is_type(rows, json_type_array)) {
		size_t n = json_object_array_length(rows);
		if (n > 0) {
			first = true;
			flatten(&b, json_object_array_get_idx(rows, 0), "", true, &first);
			puts_(&b, "\r\n");
		}
		for (size_t i = 0; i < n; i++) {
			first = true;
			flatten(&b, json_object_array_get_idx(rows, i), "", false, &first);
			puts_(&b, "\r\n");
		}
	} else {
		first = true;
		flatten(&b, doc, "", true, &first);
		puts_(&b, "\r\n");
		first = true;
		flatten(&b, doc, "", false, &first);
		puts_(&b, "\r\n");
	}
	if (b.p == NULL)
		put(&b, "", 0);
	*len = b.len;
	return b.p;
}
