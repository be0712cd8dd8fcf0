/* receipts: typing signals and read receipts as conversation events, and satisfaction ratings after close. */
#include "domain/receipts.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/store-events.h"
#include "store/store-ratings.h"
#include "store/store-receipts.h"
#include "view/json.h"

/* Whether who may act on c (conv_find's rule, for a row locked here). */
static bool may_act(const struct conv_actor *who, const struct conversation_row *c)
{
	if (who->kind == CONV_VISITOR)
		return c->visitor_id == who->visitor_id;
	return who->admin || c->agent_user_id == who->user_id;
}

/* Append ev to the conversation's stream, and to agent's (0: none). */
static kefu_err append(struct kefu_db *db, int64_t tenant_id, int64_t conv, json_object *ev, int64_t agent)
{
	kefu_err e = db_event_append(db, tenant_id, conv, ev, agent ? &agent : NULL, agent ? 1 : 0, NULL);
	json_object_put(ev);
	return e;
}

struct typing_tx {
	kefu_arena *a;
	const struct conv_actor *who;
	int64_t id;
	bool typing, sent;
};

static kefu_err typing_fn(struct kefu_db *db, void *p)
{
	struct typing_tx *t = p;
	struct conversation_row c;
	const char *sender = t->who->kind == CONV_VISITOR ? "visitor" : "agent";
	/* No row lock: a typing signal racing a close at worst lands just
	 * after the closed event, which clients ignore. */
	kefu_err e = db_conversation_get(db, t->a, t->who->tenant_id, t->id, false, &c);
	if (e == KEFU_OK && !may_act(t->who, &c))
		e = KEFU_E_NOT_FOUND;
	if (e != KEFU_OK)
		return e;
	if (strcmp(c.status, "closed") == 0)
		return KEFU_E_CONFLICT;
	bool recent = false;
	if (t->typing &&
	    (e = db_typing_recent(db, t->a, c.tenant_id, c.id, sender, TYPING_MIN_GAP_MS, &recent)) != KEFU_OK)
		return e;
	if (recent) {
		t->sent = false;
		return KEFU_OK;
	}
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "type", json_object_new_string("typing"));
	json_object_object_add(ev, "sender", json_object_new_string(sender));
	json_object_object_add(ev, "typing", json_object_new_boolean(t->typing));
	t->sent = true;
	/* The workbench follows its agent's stream; the widget the conversation's. */
	return append(db, c.tenant_id, c.id, ev, t->who->kind == CONV_VISITOR ? c.agent_user_id : 0);
}

kefu_err receipts_typing(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, bool typing,
                         bool *sent)
{
	struct typing_tx t = {.a = a, .who = who, .id = id, .typing = typing};
	kefu_err e = db_tx(db, typing_fn, &t);
	*sent = t.sent;
	return e;
}

struct read_tx {
	kefu_arena *a;
	int64_t tenant_id, id, seq;
	bool agent_side;
};

static kefu_err read_fn(struct kefu_db *db, void *p)
{
	struct read_tx *t = p;
	struct conversation_row c;
	kefu_err e = db_conversation_get(db, t->a, t->tenant_id, t->id, true, &c);
	if (e != KEFU_OK)
		return e;
	/* A position past the stream's head would mark messages not yet written
	 * as read (and a client may send any number): it is taken as the head. */
	int64_t head;
	if ((e = db_conversation_stream_head(db, t->a, t->tenant_id, t->id, &head)) != KEFU_OK)
		return e;
	int64_t seq = t->seq < head ? t->seq : head;
	int64_t old = t->agent_side ? c.agent_read_seq : c.visitor_read_seq;
	if (seq <= old)
		return KEFU_OK;
	if ((e = db_conversation_mark_read(db, t->tenant_id, t->id, t->agent_side, seq)) != KEFU_OK)
		return e;
	int64_t n = 0;
	/* The visitor reads the agent's (and system) messages; the agent the visitor's. */
	if (t->agent_side)
		e = db_messages_in_range(db, t->a, t->tenant_id, t->id, "visitor", old, seq, &n);
	else {
		int64_t m = 0;
		e = db_messages_in_range(db, t->a, t->tenant_id, t->id, "agent", old, seq, &n);
		if (e == KEFU_OK && n == 0)
			e = db_messages_in_range(db, t->a, t->tenant_id, t->id, "system", old, seq, &m);
		n += m;
	}
	if (e != KEFU_OK || n == 0)
		return e;
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "type", json_object_new_string("read"));
	json_object_object_add(ev, "reader", json_object_new_string(t->agent_side ? "agent" : "visitor"));
	json_object_object_add(ev, "read_seq", json_object_new_int64(seq)); /* "seq" is the event's own */
	return append(db, t->tenant_id, t->id, ev, t->agent_side ? 0 : c.agent_user_id);
}

kefu_err receipts_mark_read(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conversation_row *c,
                            bool agent_side, int64_t seq)
{
	struct read_tx t = {.a = a, .tenant_id = tenant_id, .id = c->id, .seq = seq, .agent_side = agent_side};
	return db_tx(db, read_fn, &t);
}

struct rate_tx {
	kefu_arena *a;
	const struct conv_actor *who;
	int64_t id;
	int score;
	const char *comment;
};

static kefu_err rate_fn(struct kefu_db *db, void *p)
{
	struct rate_tx *t = p;
	struct conversation_row c;
	kefu_err e = db_conversation_get(db, t->a, t->who->tenant_id, t->id, true, &c);
	if (e == KEFU_OK && !may_act(t->who, &c))
		e = KEFU_E_NOT_FOUND;
	if (e != KEFU_OK)
		return e;
	if (strcmp(c.status, "closed") != 0)
		return KEFU_E_CONFLICT;
	if ((e = db_rating_create(db, c.tenant_id, c.id, c.agent_user_id, t->score, t->comment)) != KEFU_OK)
		return e; /* a second rating hits the primary key: KEFU_E_CONFLICT */
	json_object *ev = json_object_new_object(), *rj = json_object_new_object();
	json_object_object_add(rj, "score", json_object_new_int(t->score));
	json_object_object_add(rj, "comment", t->comment ? json_object_new_string(t->comment) : NULL);
	json_object_object_add(ev, "type", json_object_new_string("rating"));
	json_object_object_add(ev, "rating", rj);
	return append(db, c.tenant_id, c.id, ev, c.agent_user_id);
}

kefu_err receipts_rate(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, int score,
                       const char *comment)
{
	struct rate_tx t = {.a = a, .who = who, .id = id, .score = score, .comment = comment};
	return db_tx(db, rate_fn, &t);
}

int receipts_day_bound(kefu_arena *a, const char *day, bool end, const char **out)
{
	*out = NULL;
	if (day == NULL || *day == '\0')
		return 0;
	int y, m, d;
	char tail;
	if (strlen(day) != 10 || sscanf(day, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + (end ? 1 : 0), .tm_hour = 12};
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%d 00:00:00", &tm);
	*out = arena_strdup(a, buf);
	return 0;
}

static json_object *stat_json(const struct rating_stat *s, bool agent)
{
	json_object *o = json_object_new_object();
	if (agent) {
		json_object_object_add(o, "agent", json_named(s->key, s->label));
	} else {
		json_object_object_add(o, "day", json_object_new_string(s->label));
	}
	json_object_object_add(o, "count", json_object_new_int64(s->count));
	json_object_object_add(o, "average", json_object_new_double(s->average));
	return o;
}

kefu_err receipts_report(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *from, const char *to,
                         json_object **out)
{
	struct rating_stat *ba, *bd;
	size_t na = 0, nd = 0;
	kefu_err e = db_rating_by_agent(db, a, tenant_id, from, to, &ba, &na);
	if (e == KEFU_OK)
		e = db_rating_by_day(db, a, tenant_id, from, to, &bd, &nd);
	if (e != KEFU_OK)
		return e;
	json_object *o = json_object_new_object(), *agents = json_object_new_array(), *daysj = json_object_new_array();
	int64_t count = 0;
	double sum = 0;
	for (size_t i = 0; i < na; i++) {
		json_object_array_add(agents, stat_json(&ba[i], true));
		count += ba[i].count;
		sum += ba[i].average * (double)ba[i].count;
	}
	for (size_t i = 0; i < nd; i++)
		json_object_array_add(daysj, stat_json(&bd[i], false));
	json_object *all = json_object_new_object();
	json_object_object_add(all, "count", json_object_new_int64(count));
	/* Two decimals, like the per-line averages. */
	json_object_object_add(all, "average",
	                       count ? json_object_new_double((double)(int64_t)(sum / (double)count * 100 + 0.5) / 100)
	                             : NULL);
	json_object_object_add(o, "overall", all);
	json_object_object_add(o, "by_agent", agents);
	json_object_object_add(o, "by_day", daysj);
	*out = o;
	return KEFU_OK;
}

kefu_err receipts_read_by(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, int64_t seq)
{
	struct conversation_row c;
	kefu_err e = conv_find(db, a, who, id, &c);
	if (e != KEFU_OK)
		return e;
	return receipts_mark_read(db, a, who->tenant_id, &c, who->kind == CONV_AGENT,
	                          seq); /* + read event (receipts) */
}

kefu_err receipts_rating_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                             struct rating_row *out)
{
	return db_rating_get(db, a, tenant_id, conversation_id, out);
}

/* A UTC instant as DATETIME text. */
static const char *utc_text(kefu_arena *a, time_t t)
{
	struct tm tm;
	char buf[32];
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
	return arena_strdup(a, buf);
}

kefu_err receipts_comments(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, time_t start, time_t end,
                           const struct rating_filter *f, int limit, struct rating_comment **rows, size_t *n)
{
	return db_rating_comments(db, a, tenant_id, utc_text(a, start), utc_text(a, end), f, limit, rows, n);
}
