/* assign: the assignment engine: rule and group selection, in-group choice, capacity, queues and their drain, in one
 * transaction per decision. */
/*
 * Why this is correct with many processes on many hosts: every decision
 * under a rule (a new conversation, a drain, a take, a transfer, a close,
 * an agent's status change) runs inside one MariaDB transaction that first
 * takes the rule's assign_state row lock, and reads everything it decides on
 * with locking reads (newest committed values, not the snapshot). Decisions
 * under one rule therefore happen one after another, each seeing the last
 * one's result; agent_load.live only changes under the lock, through the one
 * guarded UPDATE (db_assign_book: live < max), so the maximum cannot be
 * passed; a conversation is assigned only while its row is locked and its
 * status checked, so it gets one agent; queue entries are appended under the
 * lock (id order = arrival order) and served in id order; and every path that
 * frees room (close, transfer away, agent online, maximum raised) drains the
 * rule's queues in the same transaction, so nothing waits while someone
 * eligible has room (service hours opening are caught by the timer).
 *
 * LOCK ORDER (every path; a deadlock is still possible only where a caller's
 * own code took a queued conversation row first, and db_tx retries it whole):
 *   1. the conversation row the request is about (the caller's
 *      db_conversation_get(..., for_update) or its fresh INSERT);
 *   2. assign_state rows: one rule, or all the tenant's by ascending rule id
 *      (status changes);
 *   3. queue_entries of a (rule, group) FOR UPDATE, a page of the head at
 *      a time, each with its conversation when the drain may serve (one
 *      statement, in queue order); the page alone, for its positions,
 *      when nobody can be served;
 *   4. users rows (shared) and agent_load rows (exclusive) by ascending user
 *      id; rr_cursors row of the group;
 *   5. stream_seqs (db_event_append), last.
 */
#include "domain/assign.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/conditions.h"
#include "domain/conv-stream.h"
#include "domain/org.h"
#include "domain/rules.h"
#include "domain/service-hours.h"
#include "domain/strategy.h"
#include "domain/webhooks.h"
#include "store/store-assign.h"
#include "store/store-crm.h"
#include "store/store-events.h"
#include "store/store-groups.h"
#include "store/store-presence.h"
#include "store/store-queue.h"
#include "store/store-rules.h"
#include "store/store-visitors.h"
#include "view/conv-json.h"
#include "view/i18n.h"

/* The rule used when no rule lists the channel (documented in docs/assignment.md):
 * every staff member of the tenant, fewest live first, a maximum high enough
 * never to queue, and the built-in offline text. */
#define DEFAULT_MAX 1000

static void default_rule(struct rule *r, int64_t tenant_id)
{
	*r = (struct rule){0};
	r->tenant_id = tenant_id;
	r->name = "";
	r->max_concurrent = DEFAULT_MAX;
	r->strategy = STRAT_LOAD;
	r->welcome = r->promo = r->choice_prompt = "";
	r->all_busy.text = r->all_offline.text = r->out_of_hours.text = "";
}

/* The rule by id (0 or since deleted → the default). */
static kefu_err load_rule(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, struct rule *r)
{
	default_rule(r, tenant_id);
	if (rule_id == 0)
		return KEFU_OK;
	struct rule_row row;
	kefu_err e = db_rule_get(db, a, tenant_id, rule_id, &row);
	if (e == KEFU_E_NOT_FOUND)
		return KEFU_OK;
	if (e != KEFU_OK)
		return e;
	return rule_from_text(a, row.id, tenant_id, row.doc, r);
}

static kefu_err rule_for_channel(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                                 struct rule *r)
{
	struct rule_row row;
	kefu_err e = db_rule_for_channel(db, a, tenant_id, channel_id, &row);
	if (e == KEFU_E_NOT_FOUND) {
		default_rule(r, tenant_id);
		return KEFU_OK;
	}
	if (e != KEFU_OK)
		return e;
	return rule_from_text(a, row.id, tenant_id, row.doc, r);
}

/* A group as the decision needs it: members in member order, open now, today's date there. */
struct group_ctx {
	int64_t id; /* 0: the tenant's default pool */
	const char *name;
	int64_t *members;
	size_t n;
	bool open;
	bool gone; /* deleted since: whoever waits there is told nobody will come */
	char day[11];
	/* The tenant's admins, read with the group (have_admins) so that the
	 * queue's watchers cost no read inside the rule's lock. */
	int64_t *admins;
	size_t nadmins;
	bool have_admins;
};

/* zone: the tenant's time zone when the caller has read it already, else
 * NULL. rule_doc (may be NULL): the document of rule rule_id read with the
 * group (NULL: no such rule, or the group was not read). */
static kefu_err load_group_rule(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t group_id,
                                const char *zone, struct group_ctx *g, int64_t rule_id, const char **rule_doc)
{
	if (rule_doc != NULL)
		*rule_doc = NULL;
	*g = (struct group_ctx){.id = group_id, .name = "", .open = true};
	const char *tz = zone != NULL ? zone : "UTC";
	kefu_err e;
	struct service_hours *hp = NULL, h;
	if (group_id == 0) {
		e = db_assign_staff(db, a, tenant_id, &g->members, &g->n);
	} else {
		struct group_row row;
		bool complete;
		const char *tenant_zone;
		e = db_group_for_assign(db, a, tenant_id, group_id, &row, &g->members, &g->n, &complete, &g->admins,
		                        &g->nadmins, &tenant_zone, rule_id, rule_doc);
		if (e == KEFU_OK && zone == NULL) /* read with the group: no read of its own */
			tz = zone = tenant_zone;
		if (e == KEFU_E_NOT_FOUND) {
			g->gone = true; /* a deleted group has no members: offline */
			return KEFU_OK;
		}
		if (e != KEFU_OK)
			return e;
		g->name = row.name;
		g->have_admins = true;
		if (row.service_hours != NULL && org_hours_parse_text(a, row.service_hours, &h) == KEFU_OK)
			hp = &h;
		if (!complete)
			e = db_group_effective_members(db, a, tenant_id, group_id, &g->members, &g->n);
	}
	if (e != KEFU_OK)
		return e;
	/* The tenant's zone only when the group's hours do not name one. */
	if (zone == NULL && (hp == NULL || hp->timezone == NULL || hp->timezone[0] == '\0') &&
	    (e = db_rule_tenant_zone(db, a, tenant_id, &tz)) != KEFU_OK)
		return e;
	struct local_time lt;
	tz_local(hours_zone(hp, tz), time(NULL), &lt);
	g->open = hours_open_at(hp, &lt);
	memcpy(g->day, lt.date, sizeof g->day);
	return KEFU_OK;
}

static kefu_err load_group(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t group_id, const char *zone,
                           struct group_ctx *g)
{
	return load_group_rule(db, a, tenant_id, group_id, zone, g, 0, NULL);
}

/* The members' state under the rule, as strategy candidates. */
struct cands {
	struct candidate *c;
	struct member_state *m;
	size_t n;
};

static void cands_with_pending(const struct rule *r, const struct group_ctx *g, struct cands *cs);

static kefu_err load_cands(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct rule *r,
                           const struct group_ctx *g, struct cands *out)
{
	out->n = g->n;
	kefu_err e = db_assign_members(db, a, tenant_id, r->id, g->members, g->n, &out->m);
	if (e != KEFU_OK)
		return e;
	out->c = arena_calloc(a, g->n + 1, sizeof *out->c);
	for (size_t i = 0; i < g->n; i++) {
		const struct member_state *m = &out->m[i];
		out->c[i] = (struct candidate){
		    .user_id = m->user_id,
		    .online = m->online && m->name != NULL,
		    .live = m->live,
		    .max = r->max_concurrent,
		    .assigned_today = m->day != NULL && strcmp(m->day, g->day) == 0 ? m->assigned_today : 0,
		    /* Without a rule the stand-in's order holds: fewest live, then lowest id. */
		    .last_assigned_ms = r->id == 0 ? 0 : m->last_ms,
		};
	}
	cands_with_pending(r, g, out);
	return KEFU_OK;
}

/* Wall-clock milliseconds: compared with the last assignment times the
 * database keeps (the idle strategy), so not a monotonic clock. */
static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static json_object *status_event(const char *status)
{
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "type", json_object_new_string("status"));
	json_object_object_add(ev, "status", json_object_new_string(status));
	return ev;
}

/*
 * A close's events, written together when it ends. One event at a time is
 * three statements (the streams' numbers, the event, the agents' pointers),
 * all inside the rule's lock; a close that serves the head of the queue
 * writes its own event, the served conversation's and the head's new
 * positions: collected, they are three statements in all (the streams
 * claimed in one go, in the lock order, still last); the events and the
 * pointers are late writes (db_exec_late) that go with the COMMIT. Only a close collects
 * (assign_events_begin .. assign_events_end around its transaction's work,
 * on the calling thread); elsewhere each event is written as it comes.
 */
struct pending_event {
	int64_t conv;
	const char *type, *body;
	const int64_t *users;
	size_t nusers;
};

struct event_sink {
	kefu_arena *a;
	int64_t tenant_id;
	struct pending_event *v;
	size_t n, cap;
};

static _Thread_local struct event_sink *collecting;

static void sink_add(struct event_sink *s, int64_t conv, json_object *ev, const int64_t *users, size_t n)
{
	s->v = arena_grow(s->a, s->v, &s->cap, s->n, sizeof *s->v);
	json_object *type = NULL;
	json_object_object_get_ex(ev, "type", &type);
	int64_t *u = arena_calloc(s->a, n + 1, sizeof *u);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (users[i] > 0 && (k == 0 || u[k - 1] != users[i]))
			u[k++] = users[i]; /* ascending and distinct, as every caller passes them */
	s->v[s->n++] = (struct pending_event){
	    .conv = conv,
	    .type = arena_strdup(s->a, type ? json_object_get_string(type) : "event"),
	    .body = arena_strdup(
	        s->a, json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)),
	    .users = u,
	    .nusers = k};
}

/* The collected queued event at idx gets its place. */
static void sink_set_place(struct event_sink *s, size_t idx, int64_t pos)
{
	json_object *ev = status_event("queued");
	json_object_object_add(ev, "queue_position", json_object_new_int64(pos));
	s->v[idx].body = arena_strdup(
	    s->a, json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(ev);
}

static int cmp_claim(const void *x, const void *y)
{
	const struct stream_claim *a = x, *b = y;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return (a->stream_id > b->stream_id) - (a->stream_id < b->stream_id);
}

static struct stream_claim *claim_of(struct stream_claim *cl, size_t n, char kind, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (cl[i].kind == kind && cl[i].stream_id == id)
			return &cl[i];
	return NULL;
}

/* Write the collected events in their order: each stream's numbers follow it. */
static kefu_err sink_flush(struct kefu_db *db, struct event_sink *s)
{
	if (s->n == 0)
		return KEFU_OK;
	size_t max = s->n;
	for (size_t i = 0; i < s->n; i++)
		max += s->v[i].nusers;
	struct stream_claim *cl = arena_calloc(s->a, max, sizeof *cl);
	size_t nc = 0, nu = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct pending_event *p = &s->v[i];
		for (size_t k = 0; k <= p->nusers; k++) {
			char kind = k == 0 ? 'c' : 'u';
			int64_t id = k == 0 ? p->conv : p->users[k - 1];
			struct stream_claim *c = claim_of(cl, nc, kind, id);
			if (c == NULL)
				cl[nc++] =
				    (struct stream_claim){.kind = kind, .stream_id = id, .tenant_id = s->tenant_id};
			(c != NULL ? c : &cl[nc - 1])->count++;
		}
		nu += p->nusers;
	}
	qsort(cl, nc, sizeof *cl, cmp_claim); /* the lock order */
	kefu_err e = db_streams_claim(db, s->a, cl, nc);
	if (e != KEFU_OK)
		return e;
	struct event_row *ev = arena_calloc(s->a, s->n, sizeof *ev);
	struct user_event_row *ue = arena_calloc(s->a, nu + 1, sizeof *ue);
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct pending_event *p = &s->v[i];
		int64_t seq = claim_of(cl, nc, 'c', p->conv)->first++;
		ev[i] = (struct event_row){.tenant_id = s->tenant_id,
		                           .conversation_id = p->conv,
		                           .seq = seq,
		                           .type = p->type,
		                           .body = p->body};
		for (size_t j = 0; j < p->nusers; j++)
			ue[k++] = (struct user_event_row){.tenant_id = s->tenant_id,
			                                  .user_id = p->users[j],
			                                  .seq = claim_of(cl, nc, 'u', p->users[j])->first++,
			                                  .conversation_id = p->conv,
			                                  .event_seq = seq};
	}
	if ((e = db_events_insert(db, s->a, ev, s->n)) != KEFU_OK)
		return e;
	return k > 0 ? db_user_events_insert(db, s->a, ue, k) : KEFU_OK;
}

void assign_events_begin(kefu_arena *a, int64_t tenant_id)
{
	struct event_sink *s = arena_calloc(a, 1, sizeof *s);
	s->a = a;
	s->tenant_id = tenant_id;
	collecting = s;
}

kefu_err assign_events_end(struct kefu_db *db, bool write)
{
	struct event_sink *s = collecting;
	collecting = NULL;
	return s != NULL && write ? sink_flush(db, s) : KEFU_OK;
}

static kefu_err append(struct kefu_db *db, int64_t tenant_id, int64_t conv, json_object *ev, const int64_t *users,
                       size_t n)
{
	kefu_err e = KEFU_OK;
	if (collecting != NULL && collecting->tenant_id == tenant_id)
		sink_add(collecting, conv, ev, users, n);
	else
		e = db_event_append(db, tenant_id, conv, ev, users, n, NULL);
	json_object_put(ev);
	return e;
}

kefu_err assign_event(struct kefu_db *db, int64_t tenant_id, int64_t conv, json_object *ev, const int64_t *users,
                      size_t n)
{
	return append(db, tenant_id, conv, json_object_get(ev), users, n);
}

static int cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* Where id stands in ids[0..n), or n: the short lists of a batch's rules. */
static size_t id_at(const int64_t *ids, size_t n, int64_t id)
{
	size_t k = 0;
	while (k < n && ids[k] != id)
		k++;
	return k;
}

/*
 * Who watches the queue of group g: its members and the tenant's admins (an
 * admin sees every queue), with up to two more users (0: none), ascending
 * and distinct as db_event_append wants them. A queue's join and leave
 * events go to all of them, so every workbench's queue panel follows it from
 * the agent stream; a position change (every entry behind the one that
 * left) goes to the visitor only, as the leave already told the watchers.
 */
static kefu_err watchers(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct group_ctx *g,
                         int64_t extra1, int64_t extra2, int64_t **ids, size_t *n)
{
	int64_t *adm = g->admins;
	size_t nadm = g->nadmins;
	kefu_err e;
	if (!g->have_admins && (e = db_assign_admins(db, a, tenant_id, &adm, &nadm)) != KEFU_OK)
		return e;
	size_t cap = g->n + nadm + 2, k = 0;
	int64_t *all = arena_calloc(a, cap, sizeof *all);
	for (size_t i = 0; i < g->n; i++)
		all[k++] = g->members[i];
	for (size_t i = 0; i < nadm; i++)
		all[k++] = adm[i];
	if (extra1 != 0)
		all[k++] = extra1;
	if (extra2 != 0)
		all[k++] = extra2;
	qsort(all, k, sizeof *all, cmp_id);
	size_t m = 0;
	for (size_t i = 0; i < k; i++)
		if (m == 0 || all[m - 1] != all[i])
			all[m++] = all[i];
	*ids = all;
	*n = m;
	return KEFU_OK;
}

kefu_err assign_queue_watchers(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t group_id, int64_t extra,
                               int64_t **ids, size_t *n)
{
	struct group_ctx g;
	kefu_err e = load_group(db, a, tenant_id, group_id, "UTC", &g);
	return e != KEFU_OK ? e : watchers(db, a, tenant_id, &g, extra, 0, ids, n);
}

/*
 * Give conversation conv to candidate i of the group: the guarded booking
 * (the one capacity check), the conversation row, the round-robin cursor
 * and the event. status_word is "assigned" or "transferred"; from_user (0:
 * none) also hears about it. *booked false: at the maximum, nothing done.
 * hooks false: the caller knows the tenant has no enabled webhook (no
 * conversation.assigned outbox row, and no read of the conversation for it).
 */
/*
 * Gives written together. One give is a booking, the conversation's
 * UPDATE (and the round-robin cursor): two statements inside the rule's
 * lock, per conversation. A drain that serves several heads and a batch of
 * starts that assigns several collect them (gives_begin .. gives_end around
 * the work, on the calling thread) and write them at the end: one booking
 * per rule for all its agents (still guarded by the maximum: a booking
 * that would pass it fails the transaction, as a single give's does), one
 * UPDATE of all the conversations, each cursor once. The decisions are
 * made on the candidates read under the rule's lock and kept in step, so
 * the in-memory check (live < max) is the one the statement repeats.
 * The rooms a close batch frees wait in the same sink (frees_add) and go
 * with the rule's booking: one UPDATE of agent_load per rule for what the
 * batch freed and gave, instead of one for each; until then the candidates
 * read under the rule count them out (cands_with_pending), as the
 * statement will.
 */
struct pending_give {
	int64_t conv, user, rule_id, group_id, max, today;
	const char *day;
	bool loaded, hooks, rr;
};

/* Rooms freed: agent user's live under rule_id goes down by k (not below 0). */
struct pending_free {
	int64_t rule_id, user, k;
};

struct give_sink {
	kefu_arena *a;
	int64_t tenant_id;
	struct pending_give *v;
	size_t n, cap;
	struct pending_free *f;
	size_t nf, fcap;
};

static _Thread_local struct give_sink *giving;

/* Candidates read while gives under the same rule wait to be written (a
 * batch of starts into two groups that share an agent): what the database
 * does not show yet is counted in, so that the decisions, and the booking's
 * guard at the end, see the same load. */
static void cands_with_pending(const struct rule *r, const struct group_ctx *g, struct cands *cs)
{
	if (giving == NULL)
		return;
	/* The frees first, as the booking's statement applies them. */
	for (size_t k = 0; k < giving->nf; k++) {
		const struct pending_free *f = &giving->f[k];
		if (f->rule_id != r->id)
			continue;
		for (size_t i = 0; i < cs->n; i++)
			if (cs->c[i].user_id == f->user)
				cs->c[i].live = cs->c[i].live > f->k ? cs->c[i].live - f->k : 0;
	}
	for (size_t k = 0; k < giving->n; k++) {
		const struct pending_give *p = &giving->v[k];
		if (p->rule_id != r->id)
			continue;
		for (size_t i = 0; i < cs->n; i++)
			if (cs->c[i].user_id == p->user) {
				cs->c[i].live++;
				cs->c[i].assigned_today =
				    strcmp(p->day, g->day) == 0 ? p->today : cs->c[i].assigned_today;
				cs->c[i].last_assigned_ms = wall_ms();
			}
	}
}

/* Start collecting unless someone up the stack is: true when this caller must end it. */
static bool gives_begin(kefu_arena *a, int64_t tenant_id)
{
	if (giving != NULL)
		return false;
	giving = arena_calloc(a, 1, sizeof *giving);
	giving->a = a;
	giving->tenant_id = tenant_id;
	return true;
}

static kefu_err gives_flush(struct kefu_db *db, struct give_sink *s)
{
	kefu_err e = KEFU_OK;
	if (s->n == 0 && s->nf == 0)
		return KEFU_OK;
	struct agent_set *set = arena_calloc(s->a, s->n + 1, sizeof *set);
	for (size_t i = 0; i < s->n; i++)
		set[i] = (struct agent_set){s->v[i].conv, s->v[i].user, s->v[i].rule_id, s->v[i].group_id};
	/* One booking in all (one rule and day, the usual case): the gives'
	 * conversations are written with it, in its statement. */
	bool one = s->n > 0;
	for (size_t i = 1; i < s->n && one; i++)
		one = s->v[i].rule_id == s->v[0].rule_id && strcmp(s->v[i].day, s->v[0].day) == 0;
	for (size_t j = 0; j < s->nf && one; j++)
		one = s->f[j].rule_id == s->v[0].rule_id;
	bool *done = arena_calloc(s->a, s->n + 1, sizeof *done), *freed = arena_calloc(s->a, s->nf + 1, sizeof *freed);
	struct booking *b = arena_calloc(s->a, s->n + s->nf + 1, sizeof *b);
	int64_t *fresh = arena_calloc(s->a, s->n + 1, sizeof *fresh);
	/* One booking per (rule, day), its agents ascending (the lock order),
	 * the rule's freed rooms with its first; a rule that only freed has
	 * one of its own. */
	for (size_t i = 0; i < s->n + s->nf && e == KEFU_OK; i++) {
		if (i < s->n ? done[i] : freed[i - s->n])
			continue;
		const struct pending_give *p0 = i < s->n ? &s->v[i] : NULL;
		int64_t rule_id = p0 != NULL ? p0->rule_id : s->f[i - s->n].rule_id;
		size_t nb = 0, nf = 0;
		for (size_t j = i; j < s->n; j++) {
			const struct pending_give *p = &s->v[j];
			if (done[j] || p->rule_id != p0->rule_id || strcmp(p->day, p0->day) != 0)
				continue;
			done[j] = true;
			size_t k = 0;
			while (k < nb && b[k].user_id != p->user)
				k++;
			if (k == nb) {
				b[nb++] = (struct booking){.user_id = p->user};
				if (!p->loaded)
					fresh[nf++] = p->user;
			}
			b[k].k++;
			b[k].today = p->today; /* the last one's count is the day's */
		}
		for (size_t j = 0; j < s->nf; j++) {
			const struct pending_free *f = &s->f[j];
			if (freed[j] || f->rule_id != rule_id)
				continue;
			freed[j] = true;
			size_t k = 0;
			while (k < nb && b[k].user_id != f->user)
				k++;
			if (k == nb)
				b[nb++] = (struct booking){.user_id = f->user};
			b[k].freed += f->k;
		}
		qsort(b, nb, sizeof *b, cmp_id); /* user_id first: ascending by user */
		qsort(fresh, nf, sizeof *fresh, cmp_id);
		bool booked;
		if ((e = db_assign_load_rows(db, s->a, s->tenant_id, rule_id, fresh, nf)) == KEFU_OK &&
		    (e = db_assign_book_many(db, s->a, s->tenant_id, rule_id, p0 != NULL ? p0->max : 0,
		                             p0 != NULL ? p0->day : NULL, b, nb, set, one ? s->n : 0, &booked)) ==
		        KEFU_OK &&
		    !booked)
			e = KEFU_E_INTERNAL; /* load rows disagree with what we read: never assign past the maximum */
	}
	if (e != KEFU_OK || s->n == 0)
		return e;
	if (!one && (e = db_assign_set_agents(db, s->a, s->tenant_id, set, s->n)) != KEFU_OK)
		return e;
	for (size_t i = 0; i < s->n; i++) {
		const struct pending_give *p = &s->v[i];
		if (p->hooks && (e = webhook_conversation(db, NULL, s->tenant_id, "conversation.assigned", p->conv,
		                                          NULL)) != KEFU_OK)
			return e; /* webhooks: same tx */
		bool last = true; /* the group's cursor: where its last give went */
		for (size_t j = i + 1; j < s->n && last; j++)
			last = !(s->v[j].rr && s->v[j].group_id == p->group_id);
		if (p->rr && last && (e = db_rr_set(db, s->tenant_id, p->group_id, p->user)) != KEFU_OK)
			return e;
	}
	return KEFU_OK;
}

/* End what gives_begin began (own: its answer): written when write. */
static kefu_err gives_end(struct kefu_db *db, bool own, bool write)
{
	if (!own)
		return KEFU_OK;
	struct give_sink *s = giving;
	giving = NULL;
	return write ? gives_flush(db, s) : KEFU_OK;
}

static void gives_add(struct give_sink *s, struct pending_give p)
{
	s->v = arena_grow(s->a, s->v, &s->cap, s->n, sizeof *s->v);
	s->v[s->n++] = p;
}

static void frees_add(struct give_sink *s, struct pending_free f)
{
	s->f = arena_grow(s->a, s->f, &s->fcap, s->nf, sizeof *s->f);
	s->f[s->nf++] = f;
}

static kefu_err give(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct rule *r,
                     const struct group_ctx *g, struct cands *cs, size_t i, int64_t conv, const char *status_word,
                     const char *via, int64_t from_user, const struct group_ctx *left, bool hooks, bool *booked)
{
	struct candidate *c = &cs->c[i];
	kefu_err e;
	bool rr = g->id != 0 && r->strategy == STRAT_ROUND_ROBIN;
	if (giving != NULL && giving->tenant_id == tenant_id) {
		*booked = c->live < r->max_concurrent; /* what the booking's guard repeats */
		if (!*booked)
			return KEFU_OK;
	} else {
		e = db_assign_book(db, tenant_id, r->id, c->user_id, r->max_concurrent, g->day, booked);
		if (e != KEFU_OK || !*booked)
			return e;
	}
	c->live++;
	c->assigned_today++;
	c->last_assigned_ms = wall_ms();
	if (giving != NULL && giving->tenant_id == tenant_id) {
		gives_add(giving, (struct pending_give){.conv = conv,
		                                        .user = c->user_id,
		                                        .rule_id = r->id,
		                                        .group_id = g->id,
		                                        .max = r->max_concurrent,
		                                        .today = c->assigned_today,
		                                        .day = arena_strdup(giving->a, g->day),
		                                        .loaded = cs->m[i].loaded,
		                                        .hooks = hooks,
		                                        .rr = rr});
		cs->m[i].loaded = true; /* made by the flush, once */
	} else {
		if ((e = db_assign_set_agent(db, tenant_id, conv, c->user_id, r->id, g->id)) != KEFU_OK)
			return e;
		if (hooks &&
		    (e = webhook_conversation(db, NULL, tenant_id, "conversation.assigned", conv, NULL)) != KEFU_OK)
			return e; /* webhooks: same tx */
		if (rr && (e = db_rr_set(db, tenant_id, g->id, c->user_id)) != KEFU_OK)
			return e;
	}
	json_object *ev = status_event(status_word);
	json_object_object_add(ev, "agent", conv_agent_json(c->user_id, cs->m[i].name));
	/* How it came: "new", "queue" (drained), "take", "transfer"; checkers rely on it for FIFO. */
	json_object_object_add(ev, "via", json_object_new_string(via));
	if (g->id != 0 && strcmp(status_word, "transferred") == 0) {
		json_object *gj = json_object_new_object();
		json_object_object_add(gj, "id", json_object_new_int64(g->id));
		json_object_object_add(gj, "name", json_object_new_string(g->name));
		json_object_object_add(ev, "group", gj);
	}
	if (left != NULL) { /* it leaves left's queue: its watchers hear it too */
		int64_t *ids;
		size_t n;
		if ((e = watchers(db, a, tenant_id, left, c->user_id, from_user, &ids, &n)) != KEFU_OK) {
			json_object_put(ev);
			return e;
		}
		return append(db, tenant_id, conv, ev, ids, n);
	}
	int64_t users[2] = {from_user < c->user_id ? from_user : c->user_id,
	                    from_user < c->user_id ? c->user_id : from_user};
	if (from_user == 0 || from_user == c->user_id)
		return append(db, tenant_id, conv, ev, &c->user_id, 1);
	return append(db, tenant_id, conv, ev, users, 2);
}

/* The CRM owner the owner strategies look for (0: none). */
static int64_t crm_owner(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct rule *r,
                         const struct visitor_row *v)
{
	int64_t rec = r->strategy == STRAT_ACCOUNT_OWNER   ? v->account_id
	              : r->strategy == STRAT_CONTACT_OWNER ? v->contact_id
	                                                   : 0;
	struct crm_record cr;
	if (rec == 0 || db_crm_record_get(db, a, tenant_id, rec, &cr) != KEFU_OK)
		return 0;
	return cr.owner_user_id;
}

/* How many queue entries a drain reads at once: the head of the queue, where
 * it serves, and whose positions it sends at once. */
#define HEAD_PAGE 10

static int cmp_entry_conv(const void *x, const void *y)
{
	const struct queue_entry *a = x, *b = y;
	return (a->conversation_id > b->conversation_id) - (a->conversation_id < b->conversation_id);
}

/*
 * Send each entry its new place (q[i].position): store it and append a
 * "queued" event with queue_position to each conversation, in a fixed
 * number of statements whatever n is. The rule lock is held; queue rows
 * are written before the streams (the lock order above). Reorders q.
 */
static kefu_err send_positions(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct queue_entry *q, size_t n)
{
	if (n == 0)
		return KEFU_OK;
	kefu_err e = db_queue_set_positions(db, a, tenant_id, q, n);
	if (e != KEFU_OK)
		return e;
	if (collecting != NULL && collecting->tenant_id == tenant_id) {
		for (size_t i = 0; i < n && e == KEFU_OK; i++) {
			json_object *o = status_event("queued");
			json_object_object_add(o, "queue_position", json_object_new_int64(q[i].position));
			e = append(db, tenant_id, q[i].conversation_id, o, NULL, 0);
		}
		return e;
	}
	/* Streams are claimed in ascending conversation id (db_streams_claim). */
	qsort(q, n, sizeof *q, cmp_entry_conv);
	struct stream_claim *cl = arena_calloc(a, n, sizeof *cl);
	for (size_t i = 0; i < n; i++)
		cl[i] = (struct stream_claim){
		    .kind = 'c', .stream_id = q[i].conversation_id, .tenant_id = tenant_id, .count = 1};
	if ((e = db_streams_claim(db, a, cl, n)) != KEFU_OK)
		return e;
	struct event_row *ev = arena_calloc(a, n, sizeof *ev);
	for (size_t i = 0; i < n; i++) {
		json_object *o = status_event("queued");
		json_object_object_add(o, "queue_position", json_object_new_int64(q[i].position));
		ev[i] = (struct event_row){
		    .tenant_id = tenant_id,
		    .conversation_id = q[i].conversation_id,
		    .seq = cl[i].first,
		    .type = "status",
		    .body = arena_strdup(
		        a, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE))};
		json_object_put(o);
	}
	return db_events_insert(db, a, ev, n);
}

/* A deleted group's queue: nobody will ever serve it; whoever waits there is
 * told so. The rule lock is held. */
static kefu_err drain_gone(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct rule *r,
                           const struct group_ctx *g)
{
	for (;;) {
		struct queue_entry *q;
		size_t nq;
		kefu_err e = db_queue_head(db, a, tenant_id, r->id, g->id, 0, 100, &q, &nq);
		if (e != KEFU_OK || nq == 0)
			return e;
		for (size_t k = 0; k < nq; k++) {
			struct conversation_row c = {0};
			e = db_conversation_get(db, a, tenant_id, q[k].conversation_id, true, &c);
			if (e != KEFU_OK && e != KEFU_E_NOT_FOUND)
				return e;
			bool waiting = e == KEFU_OK && strcmp(c.status, "queued") == 0;
			if ((e = db_queue_remove(db, tenant_id, q[k].conversation_id)) != KEFU_OK)
				return e;
			if (waiting &&
			    ((e = db_conversation_set_unassigned(db, tenant_id, c.id, "offline")) != KEFU_OK ||
			     (e = append(db, tenant_id, c.id, status_event("offline"), NULL, 0)) != KEFU_OK))
				return e;
		}
	}
}

/*
 * Serve the (rule, group) queue in order while someone has room. The rule
 * lock is held. cs may be NULL (loaded here) or the candidates the caller
 * already has (kept in step). The queue is read a page at a time from its
 * head and only while someone can be served, so a drain costs what it
 * serves, not the queue's length; the entries it read and did not serve
 * are sent their new positions at once. Everyone further back hears of
 * theirs from the periodic update (assign_tick), at most about a second
 * later: sending every waiter its position on every drain cost O(N) writes
 * per drain, O(N^2) to serve a queue of N. moved: an entry left the queue
 * (taken, closed, transferred away), so the head's positions changed even
 * if nobody can be served.
 */
static kefu_err drain_group_m(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct rule *r,
                              const struct group_ctx *g, struct cands *cs, int64_t *rr_last, bool moved, bool hooks)
{
	if (g->gone)
		return drain_gone(db, a, tenant_id, r, g);
	kefu_err e;
	struct cands local;
	bool nobody = !g->open;
	if (!nobody) {
		if (cs == NULL) {
			if ((e = load_cands(db, a, tenant_id, r, g, &local)) != KEFU_OK)
				return e;
			cs = &local;
		}
		/* Nobody available: nothing in the queue can be served (an entry
		 * waiting for its owner needs that owner available too). */
		nobody = true;
		for (size_t i = 0; i < cs->n && nobody; i++)
			nobody = !candidate_available(&cs->c[i]);
	}
	if (nobody && !moved)
		return KEFU_OK;
	int64_t rr = 0;
	if (!nobody && rr_last == NULL) {
		if (g->id != 0 && r->strategy == STRAT_ROUND_ROBIN &&
		    (e = db_rr_get(db, a, tenant_id, g->id, &rr)) != KEFU_OK)
			return e;
		/* A give to the group that waits to be written moved the cursor
		 * already (a close batch's second drain of one queue). */
		for (size_t k = 0; giving != NULL && k < giving->n; k++)
			if (giving->v[k].rr && giving->v[k].group_id == g->id)
				rr = giving->v[k].user;
		rr_last = &rr;
	}
	struct queue_entry *send = NULL;
	size_t nsend = 0;
	int64_t pos = 0, after = 0;
	/* The heads it serves are given together (gives_begin), their events
	 * with them (written last, the lock order). */
	bool own_events = collecting == NULL || collecting->tenant_id != tenant_id;
	if (own_events)
		assign_events_begin(a, tenant_id);
	bool own_gives = gives_begin(a, tenant_id);
	e = KEFU_OK;
	for (;;) {
		struct queue_entry *q;
		size_t nq;
		/* Where someone may be served, the page's conversations are locked
		 * and their status read with it (one round trip less; the ones not
		 * served are locked too); else the page alone, for its positions. */
		const char **qstatus = NULL;
		if ((e = nobody ? db_queue_head(db, a, tenant_id, r->id, g->id, after, HEAD_PAGE, &q, &nq)
		                : db_queue_head_lock(db, a, tenant_id, r->id, g->id, after, HEAD_PAGE, &q, &qstatus,
		                                     &nq)) != KEFU_OK)
			break;
		struct queue_entry *more = arena_calloc(a, nsend + nq + 1, sizeof *more);
		if (nsend > 0)
			memcpy(more, send, nsend * sizeof *send);
		send = more;
		/* Who the page's entries go to, decided on a copy of the
		 * candidates; an entry whose conversation moved on without us (a
		 * stale one: read with the page, locked) is passed over and
		 * leaves the queue. With nobody available nothing is served (and
		 * the page was read alone). */
		int *pick = arena_calloc(a, nq + 1, sizeof *pick);
		bool *stale = arena_calloc(a, nq + 1, sizeof *stale);
		for (size_t k = 0; qstatus != NULL && k < nq; k++)
			stale[k] = qstatus[k] == NULL || strcmp(qstatus[k], "queued") != 0;
		struct candidate *sim = nobody ? NULL : arena_calloc(a, cs->n + 1, sizeof *sim);
		bool none = nobody;
		int64_t rr_sim = rr_last != NULL ? *rr_last : 0;
		if (sim != NULL)
			memcpy(sim, cs->c, cs->n * sizeof *sim);
		for (size_t k = 0; k < nq; k++) {
			pick[k] = -1;
			if (stale[k] || none)
				continue;
			bool wait = false;
			pick[k] = strategy_pick(r->strategy, sim, cs->n, rr_sim, q[k].owner_user_id,
			                        q[k].owner_user_id != 0 && r->owner_fallback_queue, &wait);
			if (pick[k] < 0) {
				none = !wait; /* nobody available: later entries cannot be served either */
				continue;
			}
			sim[pick[k]].live++;
			sim[pick[k]].assigned_today++;
			sim[pick[k]].last_assigned_ms = wall_ms();
			rr_sim = sim[pick[k]].user_id;
		}
		bool none_after = none;
		/* The entries served and the stale ones leave the queue together. */
		int64_t *gone = arena_calloc(a, nq + 1, sizeof *gone);
		size_t ngone = 0;
		for (size_t k = 0; k < nq; k++)
			if (stale[k] || pick[k] >= 0)
				gone[ngone++] = q[k].conversation_id;
		if ((e = db_queue_remove_many(db, a, tenant_id, gone, ngone)) != KEFU_OK)
			break;
		for (size_t k = 0; k < nq && e == KEFU_OK; k++) {
			after = q[k].id;
			if (stale[k])
				continue;
			if (pick[k] >= 0) {
				bool booked;
				int64_t conv = q[k].conversation_id;
				if ((e = give(db, a, tenant_id, r, g, cs, (size_t)pick[k], conv, "assigned", "queue", 0,
				              g, hooks, &booked)) != KEFU_OK)
					break;
				if (!booked) { /* the copy and the candidates disagree: never assign past the maximum */
					e = KEFU_E_INTERNAL;
					break;
				}
				*rr_last = cs->c[pick[k]].user_id;
				continue;
			}
			pos++;
			if (q[k].position != pos) {
				send[nsend] = q[k];
				send[nsend++].position = pos;
			}
		}
		nobody = none_after;
		/* Past the page only while someone may still be served. */
		if (e != KEFU_OK || nobody || nq < HEAD_PAGE)
			break;
	}
	kefu_err end = gives_end(db, own_gives, e == KEFU_OK);
	if (e == KEFU_OK)
		e = end;
	if (e == KEFU_OK)
		e = send_positions(db, a, tenant_id, send, nsend);
	if (own_events) {
		end = assign_events_end(db, e == KEFU_OK);
		if (e == KEFU_OK)
			e = end;
	}
	return e;
}

static kefu_err drain_group(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct rule *r,
                            const struct group_ctx *g, struct cands *cs, int64_t *rr_last)
{
	return drain_group_m(db, a, tenant_id, r, g, cs, rr_last, false, true);
}

/*
 * Whether the rule's queues held anyone when this process last took its
 * lock: a hint, never an input of a decision. A close reads its rule and
 * group ahead of the lock (read_ahead) only when the hint says someone
 * waits: then the drain inside needs them, and reading them outside spares
 * the lock two round trips; where nobody waits (the usual case) it reads
 * nothing it would not use. A wrong hint costs only where the reads happen.
 */
#define HINT_SLOTS 256
static _Atomic uint64_t queued_hints[HINT_SLOTS];

static uint64_t hint_key(int64_t tenant_id, int64_t rule_id)
{
	return ((uint64_t)tenant_id * 1000003u + (uint64_t)rule_id) << 1;
}

static void hint_set(int64_t tenant_id, int64_t rule_id, bool queued)
{
	uint64_t k = hint_key(tenant_id, rule_id);
	atomic_store_explicit(&queued_hints[(k >> 1) % HINT_SLOTS], k | (queued ? 1u : 0u), memory_order_relaxed);
}

static bool hint_queued(int64_t tenant_id, int64_t rule_id)
{
	uint64_t k = hint_key(tenant_id, rule_id);
	uint64_t v = atomic_load_explicit(&queued_hints[(k >> 1) % HINT_SLOTS], memory_order_relaxed);
	return v == (k | 1u);
}

/* A rule and group read before the rule's lock was taken (what needs no
 * lock: the rule's document, the group's members and hours), for a drain
 * under it. */
struct read_ahead {
	struct rule r;
	struct group_ctx g;
};

/* The rule and group of a queue (rule_id, group_id): from what was read ahead
 * of the lock when it is there, else read now. */
static kefu_err queue_rule_group(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id,
                                 int64_t group_id, const struct read_ahead *ahead, size_t nahead, struct rule *r,
                                 struct group_ctx *g)
{
	for (size_t k = 0; k < nahead; k++)
		if (ahead[k].r.id == rule_id && ahead[k].g.id == group_id) {
			*r = ahead[k].r;
			*g = ahead[k].g;
			return KEFU_OK;
		}
	kefu_err e = load_rule(db, a, tenant_id, rule_id, r);
	return e != KEFU_OK ? e : load_group(db, a, tenant_id, group_id, NULL, g);
}

/* Drain every non-empty queue of the rule (rule_id -1: of every rule; the
 * caller holds those rules' locks); moved: see drain_group_m. ahead[0..nahead):
 * rules and groups read already. */
static kefu_err drain_rule_m(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, bool moved,
                             bool hooks, const struct read_ahead *ahead, size_t nahead, int64_t only_group)
{
	struct queue_key one = {rule_id, only_group}, *keys = &one;
	size_t n = 1;
	kefu_err e = KEFU_OK;
	if (only_group < 0 || rule_id < 0) /* the lock did not say which queue: look */
		e = db_queue_keys(db, a, tenant_id, rule_id, &keys, &n);
	for (size_t i = 0; e == KEFU_OK && i < n; i++) {
		struct rule r;
		struct group_ctx g;
		e = queue_rule_group(db, a, tenant_id, keys[i].rule_id, keys[i].group_id, ahead, nahead, &r, &g);
		if (e == KEFU_OK)
			e = drain_group_m(db, a, tenant_id, &r, &g, NULL, NULL, moved, hooks);
	}
	return e;
}

static kefu_err drain_rule(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id)
{
	return drain_rule_m(db, a, tenant_id, rule_id, false, true, NULL, 0, -1);
}

static void put_json(void *p)
{
	json_object_put(p);
}

/* The facts conditions read: the visitor (identity record fields, claimed
 * attributes, registration data), the pre-chat answers, the CRM account. */
static void build_facts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct visitor_row *v,
                        const char *prechat, struct cond_facts *f)
{
	json_object *vis = json_object_new_object();
	if (v->attributes != NULL) {
		json_object *attrs = json_tokener_parse(v->attributes);
		if (json_object_is_type(attrs, json_type_object)) {
			json_object_object_foreach(attrs, k, val) json_object_object_add(vis, k, json_object_get(val));
		}
		json_object_put(attrs);
	}
	int64_t rec;
	struct crm_record cr;
	if (db_crm_visitor_record(db, a, tenant_id, v->id, &rec) == KEFU_OK &&
	    db_crm_record_get(db, a, tenant_id, rec, &cr) == KEFU_OK && cr.fields != NULL) {
		/* The verified identity's fields win over claimed attributes of the same name. */
		json_object *fields = json_tokener_parse(cr.fields);
		if (json_object_is_type(fields, json_type_object)) {
			json_object_object_foreach(fields, k, val) json_object_object_add(vis, k, json_object_get(val));
		}
		json_object_put(fields);
	}
	if (v->name != NULL)
		json_object_object_add(vis, "name", json_object_new_string(v->name));
	if (v->page_url != NULL)
		json_object_object_add(vis, "page_url", json_object_new_string(v->page_url));
	if (v->locale != NULL)
		json_object_object_add(vis, "locale", json_object_new_string(v->locale));
	json_object_object_add(vis, "identified", json_object_new_boolean(v->identified));
	f->visitor = vis;
	arena_defer(a, put_json, vis);
	f->prechat = prechat ? json_tokener_parse(prechat) : NULL;
	if (f->prechat)
		arena_defer(a, put_json, f->prechat);
	f->account = NULL;
	if (v->account_id != 0 && db_crm_record_get(db, a, tenant_id, v->account_id, &cr) == KEFU_OK && cr.fields) {
		f->account = json_tokener_parse(cr.fields);
		if (f->account)
			arena_defer(a, put_json, f->account);
	}
}

static bool in_list(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* What the rule demands of a start: identity, and a choice among its groups. */
static kefu_err start_checks(const struct rule *r, const struct visitor_row *v, int64_t group_id, const char **bad)
{
	*bad = NULL;
	if (r->require_identity && !v->identified)
		return KEFU_E_IDENTITY_REQUIRED;
	if (r->visitor_choice && !in_list(r->choice_group_ids, r->nchoices, group_id)) {
		*bad = "group_id";
		return KEFU_E_INVALID_FIELD;
	}
	return KEFU_OK;
}

static kefu_err system_text(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conv, const char *text)
{
	if (text == NULL || text[0] == '\0')
		return KEFU_OK;
	return conv_tx_message(db, a, tenant_id, conv, 0, "system", 0, "text", text, 0, NULL);
}

kefu_err assign_route(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                      const struct visitor_row *v, const char *prechat, int64_t choice_group_id,
                      struct assign_route *out)
{
	return assign_route_like(db, a, tenant_id, channel_id, v, prechat, choice_group_id, NULL, out);
}

kefu_err assign_route_like(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                           const struct visitor_row *v, const char *prechat, int64_t choice_group_id,
                           const struct assign_route *same, struct assign_route *out)
{
	*out = (struct assign_route){0};
	struct rule *r = &out->rule;
	kefu_err e;
	if (same != NULL) { /* the channel's rule as the batch's earlier start read it */
		*r = same->rule;
		out->zone = same->zone;
	} else {
		struct rule_row row;
		if ((e = db_rule_for_start(db, a, tenant_id, channel_id, &row, &out->zone)) != KEFU_OK)
			return e;
		if (row.id == 0)
			default_rule(r, tenant_id);
		else if ((e = rule_from_text(a, row.id, tenant_id, row.doc, r)) != KEFU_OK)
			return e;
	}
	if ((out->refused = start_checks(r, v, choice_group_id, &out->bad)) != KEFU_OK)
		return KEFU_OK;
	if (r->visitor_choice) {
		out->group_id = choice_group_id;
	} else if (r->id != 0) {
		out->group_id = r->fallback_group_id;
		struct cond_facts f = {0};
		if (r->nroutes > 0)
			build_facts(db, a, tenant_id, v, prechat, &f);
		for (size_t i = 0; i < r->nroutes; i++)
			if (cond_match(r->routes[i].match, &f)) {
				out->group_id = r->routes[i].group_id;
				break;
			}
	}
	return KEFU_OK;
}

/* Texts a batch of starts writes after its events (deferred), so that each
 * conversation's stream keeps the single start's order: status, then text. */
struct later_text {
	int64_t conv;
	const char *text;
};

/* A queued start of a batch whose entry is written with the others of its
 * queue (db_queue_add_many), its event's place filled in then. */
struct later_queue {
	int64_t rule_id, group_id, owner;
	struct conversation_row *c;
	size_t event; /* its queued event in the collected ones */
};

struct later {
	struct later_text *v;
	size_t n;
	struct later_queue *q;
	size_t nq;
};

static kefu_err text_now_or_later(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conv, const char *text,
                                  struct later *later)
{
	if (later == NULL || text == NULL || text[0] == '\0')
		return system_text(db, a, tenant_id, conv, text);
	later->v[later->n++] = (struct later_text){conv, text};
	return KEFU_OK;
}

/*
 * The decision for a new conversation c under rule r in group g (the rule's
 * lock held, cs read under it and kept in step): assign, queue or refuse
 * (offline, out of hours). later: NULL writes the rule's texts at once, else
 * they are kept there for after the events (a batch of starts).
 */
static kefu_err decide(struct kefu_db *db, kefu_arena *a, const struct kefu_i18n *i18n, const char *lang,
                       struct conversation_row *c, const struct rule *rp, const struct group_ctx *gp, struct cands *csp,
                       int64_t rr, int64_t owner, bool webhooks, struct later *later)
{
	int64_t tenant_id = c->tenant_id;
	const struct rule r = *rp;
	const struct group_ctx g = *gp;
	struct cands cs = *csp;
	kefu_err e;
	int pick;
	bool wait;
	enum verdict vd =
	    strategy_verdict(g.open, r.strategy, cs.c, cs.n, rr, owner, r.owner_fallback_queue, &pick, &wait);
	if (vd == VERDICT_ASSIGN) {
		/* FIFO holds: the drain above served everyone it could, so whoever
		 * still waits waits for a particular owner, not for this agent.
		 * give() writes the rule and group with the agent. */
		bool booked;
		if ((e = give(db, a, tenant_id, &r, &g, csp, (size_t)pick, c->id, "assigned", "new", 0, NULL, webhooks,
		              &booked)) != KEFU_OK)
			return e;
		if (!booked)
			return KEFU_E_INTERNAL;
		c->status = "assigned";
		c->agent_user_id = cs.c[pick].user_id;
		c->agent_name = cs.m[pick].name;
		return KEFU_OK;
	}
	if (vd == VERDICT_QUEUE) {
		/* Its place: behind everyone there now (counted under the rule lock). */
		int64_t pos = 0;
		bool deferred =
		    later != NULL && later->q != NULL && collecting != NULL && collecting->tenant_id == tenant_id;
		if (deferred) /* written with the batch's others; the event gets its place then */
			later->q[later->nq++] = (struct later_queue){r.id, g.id, wait ? owner : 0, c, collecting->n};
		else if ((e = db_queue_add(db, a, tenant_id, r.id, g.id, c->id, wait ? owner : 0, &pos)) != KEFU_OK)
			return e;
		c->queue_position = pos;
		json_object *ev = status_event("queued");
		json_object_object_add(ev, "queue_position", json_object_new_int64(pos));
		int64_t *ids;
		size_t n;
		if ((e = watchers(db, a, tenant_id, &g, 0, 0, &ids, &n)) != KEFU_OK) {
			json_object_put(ev);
			return e;
		}
		if ((e = append(db, tenant_id, c->id, ev, ids, n)) != KEFU_OK)
			return e;
		return r.all_busy.enabled ? text_now_or_later(db, a, tenant_id, c->id, r.all_busy.text, later)
		                          : KEFU_OK;
	}
	bool hours = vd == VERDICT_OUT_OF_HOURS;
	const char *st = hours ? "out_of_hours" : "offline";
	c->status = st;
	if ((e = db_conversation_set_unassigned(db, tenant_id, c->id, st)) != KEFU_OK ||
	    (e = append(db, tenant_id, c->id, status_event(st), NULL, 0)) != KEFU_OK)
		return e;
	if (r.id == 0)
		return text_now_or_later(db, a, tenant_id, c->id, i18n_get(i18n, lang, "conv.all_offline"), later);
	const struct rule_message *m = hours ? &r.out_of_hours : &r.all_offline;
	return m->enabled ? text_now_or_later(db, a, tenant_id, c->id, m->text, later) : KEFU_OK;
}

kefu_err assign_new(struct kefu_db *db, kefu_arena *a, const struct kefu_i18n *i18n, const char *lang,
                    struct conversation_row *c, const struct visitor_row *v, bool webhooks,
                    const struct assign_route *route)
{
	/* c is locked by its INSERT (which wrote the route's rule and group) and
	 * v was read by the caller: no second read of either. */
	int64_t tenant_id = c->tenant_id;
	struct rule r = route->rule;
	const char *zone = route->zone;
	kefu_err e;
	int64_t group_id = route->group_id;
	c->rule_id = r.id;
	c->group_id = group_id;
	/* Welcome and promo first: they touch only this new conversation's stream. */
	if ((e = system_text(db, a, tenant_id, c->id, r.welcome)) != KEFU_OK ||
	    (e = system_text(db, a, tenant_id, c->id, r.promo)) != KEFU_OK)
		return e;
	int64_t owner = crm_owner(db, a, tenant_id, &r, v);

	/* Membership and hours need no lock (an admin's edit racing a decision
	 * may go either way); the decision's inputs below are read under it. */
	struct group_ctx g;
	struct cands cs;
	int64_t rr = 0;
	if ((e = load_group(db, a, tenant_id, group_id, zone, &g)) != KEFU_OK)
		return e;
	bool queued;
	if ((e = db_assign_lock_rule_state(db, tenant_id, r.id, &queued, NULL, NULL)) != KEFU_OK ||
	    (e = load_cands(db, a, tenant_id, &r, &g, &cs)) != KEFU_OK)
		return e;
	if (g.id != 0 && r.strategy == STRAT_ROUND_ROBIN && (e = db_rr_get(db, a, tenant_id, g.id, &rr)) != KEFU_OK)
		return e;
	/* Whoever waits already goes first (it should be empty unless room
	 * appeared without a drain, e.g. service hours just opened). */
	if (queued && (e = drain_group_m(db, a, tenant_id, &r, &g, &cs, &rr, false, webhooks)) != KEFU_OK)
		return e;

	/* An answer to an agent's invitation goes to that agent when available,
	 * member of the group or not (docs/visitor-insight.md); else the rule decides. */
	if (c->invited_by != 0 && g.open) {
		struct group_ctx one = g;
		one.members = &c->invited_by;
		one.n = 1;
		struct cands ic;
		bool booked = false;
		if ((e = load_cands(db, a, tenant_id, &r, &one, &ic)) != KEFU_OK)
			return e;
		if (ic.m[0].name != NULL && candidate_available(&ic.c[0]) &&
		    (e = give(db, a, tenant_id, &r, &one, &ic, 0, c->id, "assigned", "invitation", 0, NULL, webhooks,
		              &booked)) != KEFU_OK)
			return e;
		if (booked) {
			c->status = "assigned";
			c->agent_user_id = ic.c[0].user_id;
			c->agent_name = ic.m[0].name;
			return KEFU_OK;
		}
	}
	e = decide(db, a, i18n, lang, c, &r, &g, &cs, rr, owner, webhooks, NULL);
	hint_set(tenant_id, r.id, queued || (e == KEFU_OK && strcmp(c->status, "queued") == 0));
	return e;
}

static bool same_zone(const char *x, const char *y)
{
	return x == y || (x != NULL && y != NULL && strcmp(x, y) == 0);
}

/* Decisions of one batch under one rule and group: read once, kept in step. */
struct batch_group {
	int64_t rule_id;
	struct group_ctx *g;
	struct cands cs;
	int64_t rr;
};

kefu_err assign_new_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct assign_start *s, size_t n)
{
	return assign_batch(db, a, tenant_id, NULL, 0, NULL, NULL, s, n);
}

/* A (rule, group) whose queue lost an entry to a close: the head's
 * positions move up. */
struct moved_key {
	int64_t rule_id, group_id;
};

static kefu_err close_parts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conversation_row *before,
                            size_t n, const int64_t *rules, size_t nrules, const bool *queued, const int64_t *only,
                            bool hooks, const struct read_ahead *ahead, size_t nahead);

kefu_err assign_on_close_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id,
                              const struct conversation_row *before, size_t n)
{
	return assign_batch(db, a, tenant_id, before, n, NULL, NULL, NULL, 0);
}

/* Add id to ids[0..*n) unless it is there. */
static void add_id(int64_t *ids, size_t *n, int64_t id)
{
	if (id_at(ids, *n, id) == *n)
		ids[(*n)++] = id;
}

kefu_err assign_batch(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conversation_row *before,
                      size_t nc, kefu_err (*closed)(struct kefu_db *db, void *ctx), void *ctx, struct assign_start *s,
                      size_t n)
{
	kefu_err e;
	/* Every rule the batch decides under: the starts' and the closes'. */
	int64_t *rules = arena_calloc(a, n + nc + 1, sizeof *rules);
	bool *queued = arena_calloc(a, n + nc + 1, sizeof *queued);
	int64_t *only = arena_calloc(a, n + nc + 1, sizeof *only); /* the rule's one queue's group, or -1 */
	size_t nrules = 0;

	/* The starts' part outside the locks, as a single start does: welcome
	 * and promo (each conversation's own stream), the CRM owner, the group
	 * and its members (once per group). */
	struct group_ctx *gs = arena_calloc(a, n + 1, sizeof *gs);
	int64_t *owner = arena_calloc(a, n + 1, sizeof *owner);
	size_t nhello = 0;
	struct message_row *hello = arena_calloc(a, 2 * n + 1, sizeof *hello);
	for (size_t i = 0; i < n; i++) {
		struct conversation_row *c = s[i].c;
		const struct rule *r = &s[i].route->rule;
		c->rule_id = r->id;
		c->group_id = s[i].route->group_id;
		const char *texts[2] = {r->welcome, r->promo};
		for (size_t t = 0; t < 2; t++)
			if (texts[t] != NULL && texts[t][0] != '\0')
				hello[nhello++] = (struct message_row){.tenant_id = tenant_id,
				                                       .conversation_id = c->id,
				                                       .sender = "system",
				                                       .kind = "text",
				                                       .text = texts[t]};
		owner[i] = crm_owner(db, a, tenant_id, r, s[i].v);
		size_t j = 0;
		while (j < i && !(s[j].route->group_id == c->group_id && same_zone(s[j].route->zone, s[i].route->zone)))
			j++;
		if (j < i)
			gs[i] = gs[j];
		else if ((e = load_group(db, a, tenant_id, c->group_id, s[i].route->zone, &gs[i])) != KEFU_OK)
			return e;
		add_id(rules, &nrules, r->id);
	}
	/* Every welcome and promo in one go (the same few statements for all). */
	if (nhello > 0 &&
	    (e = conv_tx_messages(db, a, hello, arena_calloc(a, nhello, sizeof(int64_t)), nhello, NULL)) != KEFU_OK)
		return e;

	/* The closes' rules: where one frees a queue place or an agent's room. */
	int64_t *crules = arena_calloc(a, nc + 1, sizeof *crules);
	size_t ncrules = 0;
	for (size_t i = 0; i < nc; i++) {
		const struct conversation_row *b = &before[i];
		bool waits = strcmp(b->status, "queued") == 0;
		if (!waits && (strcmp(b->status, "assigned") != 0 || b->agent_user_id == 0))
			continue;
		add_id(crules, &ncrules, b->rule_id);
	}
	/* The rules and groups of the conversations closed, read before the
	 * locks (a start reads its own so): a drain of their queues reads
	 * neither inside. */
	struct read_ahead *ahead = arena_calloc(a, nc + 1, sizeof *ahead);
	size_t nahead = 0;
	for (size_t i = 0; i < nc; i++) {
		const struct conversation_row *b = &before[i];
		if (id_at(crules, ncrules, b->rule_id) == ncrules)
			continue; /* nothing to free under a rule */
		size_t k;
		for (k = 0; k < nahead && !(ahead[k].r.id == b->rule_id && ahead[k].g.id == b->group_id); k++)
			;
		if (k < nahead || !hint_queued(tenant_id, b->rule_id))
			continue;
		/* One statement for both where the group is a group (the rule's
		 * document comes with it), else two. */
		const char *doc = NULL;
		if ((e = load_group_rule(db, a, tenant_id, b->group_id, NULL, &ahead[nahead].g, b->rule_id,
		                         b->group_id != 0 ? &doc : NULL)) != KEFU_OK)
			return e;
		e = doc != NULL ? rule_from_text(a, b->rule_id, tenant_id, doc, &ahead[nahead].r)
		                : load_rule(db, a, tenant_id, b->rule_id, &ahead[nahead].r);
		if (e != KEFU_OK)
			return e;
		if (ahead[nahead].r.id == b->rule_id) /* a rule deleted since reads as the default: not kept */
			nahead++;
	}
	for (size_t k = 0; k < ncrules; k++)
		add_id(rules, &nrules, crules[k]);

	/* Every rule's lock once, ascending (the lock order): one hold for
	 * the starts and the closes alike. */
	qsort(rules, nrules, sizeof *rules, cmp_id);
	bool hooks = false;
	for (size_t k = 0; k < nrules; k++) {
		if ((e = db_assign_lock_rule_state(db, tenant_id, rules[k], &queued[k], &hooks, &only[k])) != KEFU_OK)
			return e;
		hint_set(tenant_id, rules[k], queued[k]);
	}
	bool *cqueued = arena_calloc(a, ncrules + 1, sizeof *cqueued);
	int64_t *conly = arena_calloc(a, ncrules + 1, sizeof *conly);
	for (size_t k = 0; k < ncrules; k++) {
		size_t u = id_at(rules, nrules, crules[k]);
		cqueued[k] = queued[u];
		conly[k] = only[u];
	}

	/* Under the locks: the events and gives of all of them are collected
	 * and written at the end (a close's caller may be collecting its own
	 * events already: the single way). */
	bool own_events = collecting == NULL || collecting->tenant_id != tenant_id;
	if (own_events)
		assign_events_begin(a, tenant_id);
	bool own_gives = gives_begin(a, tenant_id);
	/* The closes first, as if they had committed before the starts: their
	 * rooms and places freed, their queues drained into the room, their
	 * own events; then the starts decide on what is left. */
	e = nc > 0 ? close_parts(db, a, tenant_id, before, nc, crules, ncrules, cqueued, conly, hooks, ahead, nahead)
	           : KEFU_OK;
	if (e == KEFU_OK && closed != NULL)
		e = closed(db, ctx);
	struct batch_group *bg = arena_calloc(a, n + 1, sizeof *bg);
	size_t nbg = 0;
	struct later later = {arena_calloc(a, n + 1, sizeof *later.v), 0, arena_calloc(a, n + 1, sizeof *later.q), 0};
	for (size_t i = 0; i < n && e == KEFU_OK; i++) {
		struct conversation_row *c = s[i].c;
		const struct rule *r = &s[i].route->rule;
		struct batch_group *b = NULL;
		for (size_t k = 0; k < nbg && b == NULL; k++)
			if (bg[k].rule_id == r->id && bg[k].g->id == c->group_id)
				b = &bg[k];
		if (b == NULL) {
			b = &bg[nbg++];
			b->rule_id = r->id;
			b->g = &gs[i];
			size_t k = id_at(rules, nrules, r->id);
			/* Read after the closes' drains: their gives and frees
			 * waiting to be written are counted in (cands_with_pending). */
			if ((e = load_cands(db, a, tenant_id, r, b->g, &b->cs)) != KEFU_OK)
				break;
			if (b->g->id != 0 && r->strategy == STRAT_ROUND_ROBIN) {
				if ((e = db_rr_get(db, a, tenant_id, b->g->id, &b->rr)) != KEFU_OK)
					break;
				for (size_t j = 0; giving != NULL && j < giving->n; j++)
					if (giving->v[j].rr && giving->v[j].group_id == b->g->id)
						b->rr = giving->v[j].user; /* a drain's give moved the cursor */
			}
			if (queued[k] && (e = drain_group_m(db, a, tenant_id, r, b->g, &b->cs, &b->rr, false,
			                                    s[i].webhooks)) != KEFU_OK)
				break;
		}
		if ((e = decide(db, a, s[i].i18n, s[i].lang, c, r, b->g, &b->cs, b->rr, owner[i], s[i].webhooks,
		                &later)) != KEFU_OK)
			break;
		if (strcmp(c->status, "assigned") == 0) {
			b->rr = c->agent_user_id;
			/* c is the start's, read after this batch's arena is gone. */
			c->agent_name = arena_strdup(s[i].a, c->agent_name);
		}
	}
	/* The queued ones' entries, one statement per queue, in arrival order. */
	bool *put = arena_calloc(a, later.nq + 1, sizeof *put);
	struct queue_add *qa = arena_calloc(a, later.nq + 1, sizeof *qa);
	size_t *of = arena_calloc(a, later.nq + 1, sizeof *of);
	for (size_t i = 0; i < later.nq && e == KEFU_OK; i++) {
		if (put[i])
			continue;
		size_t m = 0;
		for (size_t j = i; j < later.nq; j++)
			if (!put[j] && later.q[j].rule_id == later.q[i].rule_id &&
			    later.q[j].group_id == later.q[i].group_id) {
				put[j] = true;
				of[m] = j;
				qa[m++] = (struct queue_add){later.q[j].c->id, later.q[j].owner, 0};
			}
		if ((e = db_queue_add_many(db, a, tenant_id, later.q[i].rule_id, later.q[i].group_id, qa, m)) !=
		    KEFU_OK)
			break;
		for (size_t k = 0; k < m; k++) {
			later.q[of[k]].c->queue_position = qa[k].position;
			sink_set_place(collecting, later.q[of[k]].event, qa[k].position);
		}
	}
	for (size_t i = 0; i < later.nq; i++)
		hint_set(tenant_id, later.q[i].rule_id, true);
	kefu_err end = gives_end(db, own_gives, e == KEFU_OK);
	if (e == KEFU_OK)
		e = end;
	if (own_events) {
		end = assign_events_end(db, e == KEFU_OK);
		if (e == KEFU_OK)
			e = end;
	}
	for (size_t i = 0; i < later.n && e == KEFU_OK; i++)
		e = system_text(db, a, tenant_id, later.v[i].conv, later.v[i].text);
	return e;
}

/* assign_on_close_many's part under the rules' locks. */
static kefu_err close_parts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conversation_row *before,
                            size_t n, const int64_t *rules, size_t nrules, const bool *queued, const int64_t *only,
                            bool hooks, const struct read_ahead *ahead, size_t nahead)
{
	kefu_err e = KEFU_OK;
	bool *drain = arena_calloc(a, n + 1, sizeof *drain);
	struct moved_key *moved = arena_calloc(a, n + 1, sizeof *moved);
	size_t nmoved = 0;
	/* Every close's own part first: its queue place goes (the queue's rows before the agents', the lock order), */
	for (size_t i = 0; i < n; i++) {
		const struct conversation_row *b = &before[i];
		if (id_at(rules, nrules, b->rule_id) == nrules)
			continue; /* neither queued nor assigned: nothing to free */
		if (strcmp(b->status, "queued") == 0) {
			struct queue_entry q;
			e = db_queue_get(db, a, tenant_id, b->id, &q);
			if (e == KEFU_E_NOT_FOUND)
				continue;
			if (e != KEFU_OK || (e = db_queue_remove(db, tenant_id, b->id)) != KEFU_OK)
				return e;
			size_t m = 0;
			while (m < nmoved && !(moved[m].rule_id == q.rule_id && moved[m].group_id == q.group_id))
				m++;
			if (m == nmoved)
				moved[nmoved++] = (struct moved_key){q.rule_id, q.group_id};
		}
	}
	/* or its agent's room is freed: with the rule's booking (gives_flush). */
	struct booking *freed = arena_calloc(a, n + 1, sizeof *freed);
	for (size_t k = 0; k < nrules; k++) {
		size_t nf = 0;
		for (size_t i = 0; i < n; i++) {
			const struct conversation_row *b = &before[i];
			if (b->rule_id != rules[k] || strcmp(b->status, "assigned") != 0 || b->agent_user_id == 0)
				continue;
			size_t f = 0;
			while (f < nf && freed[f].user_id != b->agent_user_id)
				f++;
			if (f == nf)
				freed[nf++] = (struct booking){.user_id = b->agent_user_id};
			freed[f].k++;
			drain[k] =
			    drain[k] || queued[k]; /* nobody waits under the rule (read under its lock): simply free */
		}
		for (size_t f = 0; f < nf; f++)
			if (giving != NULL && giving->tenant_id == tenant_id)
				frees_add(giving, (struct pending_free){
				                      .rule_id = rules[k], .user = freed[f].user_id, .k = freed[f].k});
			else
				for (int64_t j = 0; j < freed[f].k && e == KEFU_OK; j++)
					e = db_assign_unbook(db, tenant_id, rules[k], freed[f].user_id);
		if (e != KEFU_OK)
			return e;
	}
	/* Then one drain per queue for all of them: everyone behind a place that
	 * went moves up (the drain sends the head's new positions), and the freed
	 * room serves the heads of the rules' queues. */
	for (size_t m = 0; m < nmoved; m++) {
		struct rule r;
		struct group_ctx g;
		if ((e = queue_rule_group(db, a, tenant_id, moved[m].rule_id, moved[m].group_id, ahead, nahead, &r,
		                          &g)) != KEFU_OK ||
		    (e = drain_group_m(db, a, tenant_id, &r, &g, NULL, NULL, true, hooks)) != KEFU_OK)
			return e;
	}
	for (size_t k = 0; k < nrules; k++)
		if (drain[k] &&
		    (e = drain_rule_m(db, a, tenant_id, rules[k], false, hooks, ahead, nahead, only[k])) != KEFU_OK)
			return e;
	return KEFU_OK;
}

kefu_err assign_on_close(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conversation_row *before)
{
	return assign_on_close_many(db, a, tenant_id, before, 1);
}

/* Lock every rule of the tenant, ascending: what a status change needs
 * before it touches the users row (see the lock order above). */
static kefu_err lock_all_rules(struct kefu_db *db, kefu_arena *a, int64_t tenant_id)
{
	int64_t *ids;
	size_t n;
	kefu_err e = db_assign_rules(db, a, tenant_id, &ids, &n);
	for (size_t i = 0; e == KEFU_OK && i < n; i++)
		e = db_assign_lock_rule(db, tenant_id, ids[i]);
	return e;
}

struct status_tx {
	kefu_arena *a;
	int64_t tenant_id, user_id;
	const char *status;
};

static kefu_err status_fn(struct kefu_db *db, void *ctx)
{
	struct status_tx *t = ctx;
	kefu_err e = lock_all_rules(db, t->a, t->tenant_id);
	if (e == KEFU_OK)
		e = db_agent_set_status(db, t->tenant_id, t->user_id, t->status);
	if (e == KEFU_OK && strcmp(t->status, "online") == 0)
		e = drain_rule(db, t->a, t->tenant_id, -1);
	return e;
}

kefu_err assign_set_agent_status(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id,
                                 const char *status, bool in_tx)
{
	struct status_tx t = {a, tenant_id, user_id, status};
	return in_tx ? status_fn(db, &t) : db_tx(db, status_fn, &t);
}

struct sweep_tx {
	kefu_arena *a;
	int64_t tenant_id, user_id;
	bool offline;
	bool done;
};

static kefu_err sweep_fn(struct kefu_db *db, void *ctx)
{
	struct sweep_tx *t = ctx;
	t->done = false;
	kefu_err e = lock_all_rules(db, t->a, t->tenant_id);
	if (e != KEFU_OK)
		return e;
	return t->offline ? db_presence_take_offline(db, t->tenant_id, t->user_id, &t->done)
	                  : db_presence_take_away(db, t->tenant_id, t->user_id, &t->done);
}

kefu_err assign_sweep_agent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool offline,
                            bool *done)
{
	struct sweep_tx t = {.a = a, .tenant_id = tenant_id, .user_id = user_id, .offline = offline};
	kefu_err e = db_tx(db, sweep_fn, &t);
	*done = e == KEFU_OK && t.done;
	return e;
}

kefu_err assign_queue_position(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                               int64_t *pos)
{
	return db_queue_position(db, a, tenant_id, conversation_id, pos);
}

/* After a rule's maximum was raised (or anything else that may add room
 * without a close): drain its queues. Inside db_tx. */
kefu_err assign_after_rule_change(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id);
kefu_err assign_after_rule_change(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id)
{
	kefu_err e = db_assign_lock_rule(db, tenant_id, rule_id);
	return e != KEFU_OK ? e : drain_rule(db, a, tenant_id, rule_id);
}

/* ---- take and transfer ---- */

struct move_tx {
	kefu_arena *a;
	int64_t tenant_id, user_id;
	bool admin;
	int64_t conv, to_user, to_group;
	int64_t only_from; /* nonzero: act only while the conversation is assigned to this agent */
	const char *bad;
};

/* The index of user in the group's members, or -1. */
static int member_index(const struct group_ctx *g, int64_t user)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->members[i] == user)
			return (int)i;
	return -1;
}

static kefu_err take_fn(struct kefu_db *db, void *ctx)
{
	struct move_tx *t = ctx;
	struct conversation_row c;
	kefu_err e = db_conversation_get(db, t->a, t->tenant_id, t->conv, true, &c);
	if (e != KEFU_OK)
		return e;
	if (strcmp(c.status, "queued") != 0)
		return KEFU_E_CONFLICT;
	struct rule r;
	struct group_ctx g;
	struct queue_entry q;
	if ((e = db_assign_lock_rule(db, t->tenant_id, c.rule_id)) != KEFU_OK)
		return e;
	e = db_queue_get(db, t->a, t->tenant_id, c.id, &q);
	if (e == KEFU_E_NOT_FOUND)
		return KEFU_E_CONFLICT;
	if (e != KEFU_OK || (e = load_rule(db, t->a, t->tenant_id, q.rule_id, &r)) != KEFU_OK ||
	    (e = load_group(db, t->a, t->tenant_id, q.group_id, NULL, &g)) != KEFU_OK)
		return e;
	/* An agent takes from its own groups' queues; an admin from any. The
	 * taker need not be a member (an admin), so book outside the group's list. */
	int idx = member_index(&g, t->user_id);
	if (idx < 0 && !t->admin)
		return KEFU_E_NOT_FOUND;
	struct group_ctx one = g;
	int64_t uid = t->user_id;
	one.members = &uid;
	one.n = 1;
	struct cands cs;
	if ((e = load_cands(db, t->a, t->tenant_id, &r, &one, &cs)) != KEFU_OK)
		return e;
	if (cs.m[0].name == NULL)
		return KEFU_E_NOT_FOUND;
	bool booked;
	if ((e = db_queue_remove(db, t->tenant_id, c.id)) != KEFU_OK ||
	    (e = give(db, t->a, t->tenant_id, &r, &g, &cs, 0, c.id, "assigned", "take", 0, &g, true, &booked)) !=
	        KEFU_OK)
		return e;
	if (!booked)
		return KEFU_E_CAPACITY;                                               /* db_tx rolls the removal back */
	return drain_group_m(db, t->a, t->tenant_id, &r, &g, NULL, NULL, true, true); /* positions behind it move up */
}

kefu_err assign_take(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool admin,
                     int64_t conversation_id, struct conversation_row *out)
{
	struct move_tx t = {
	    .a = a, .tenant_id = tenant_id, .user_id = user_id, .admin = admin, .conv = conversation_id};
	kefu_err e = db_tx(db, take_fn, &t);
	return e != KEFU_OK ? e : db_conversation_get(db, a, tenant_id, conversation_id, false, out);
}

static kefu_err transfer_fn(struct kefu_db *db, void *ctx)
{
	struct move_tx *t = ctx;
	t->bad = NULL;
	struct conversation_row c;
	kefu_err e = db_conversation_get(db, t->a, t->tenant_id, t->conv, true, &c);
	if (e != KEFU_OK)
		return e;
	if (!t->admin && c.agent_user_id != t->user_id)
		return KEFU_E_NOT_FOUND;
	if (t->only_from != 0 && (strcmp(c.status, "assigned") != 0 || c.agent_user_id != t->only_from))
		return KEFU_E_CONFLICT; /* handed back already (read under the row lock) */
	if (strcmp(c.status, "assigned") != 0 && strcmp(c.status, "queued") != 0)
		return KEFU_E_CONFLICT;
	struct rule r;
	struct group_ctx g;
	if ((e = db_assign_lock_rule(db, t->tenant_id, c.rule_id)) != KEFU_OK ||
	    (e = load_rule(db, t->a, t->tenant_id, c.rule_id, &r)) != KEFU_OK)
		return e;
	int64_t from = strcmp(c.status, "assigned") == 0 ? c.agent_user_id : 0;
	bool queued = strcmp(c.status, "queued") == 0;
	if (t->to_user != 0) {
		/* The target's load row under this rule; it need not be in a group. */
		if ((e = load_group(db, t->a, t->tenant_id, c.group_id, NULL, &g)) != KEFU_OK)
			return e;
		struct group_ctx one = g;
		one.members = &t->to_user;
		one.n = 1;
		struct cands cs;
		if ((e = load_cands(db, t->a, t->tenant_id, &r, &one, &cs)) != KEFU_OK)
			return e;
		if (cs.m[0].name == NULL) {
			t->bad = "user_id";
			return KEFU_E_INVALID_FIELD;
		}
		if (t->to_user == from)
			return KEFU_E_CONFLICT;
		/* Only someone available gets a conversation handed to them: an
		 * away or offline agent would leave the visitor waiting for nobody
		 * (their groups' queues are the way to reach them later). */
		if (!cs.c[0].online) {
			t->bad = "user_id";
			return KEFU_E_CONFLICT;
		}
		bool booked;
		if ((e = give(db, t->a, t->tenant_id, &r, &g, &cs, 0, c.id, "transferred", "transfer", from,
		              queued ? &g : NULL, true, &booked)) != KEFU_OK)
			return e;
		if (!booked)
			return KEFU_E_CAPACITY;
	} else {
		if ((e = load_group(db, t->a, t->tenant_id, t->to_group, NULL, &g)) != KEFU_OK)
			return e;
		/* Group 0 (the default pool: every staff member) only for a hand-back
		 * of a conversation that came from it; an agent names a group. */
		if ((g.name == NULL || g.name[0] == '\0') && !(t->only_from != 0 && t->to_group == 0)) {
			struct group_row gr;
			if (db_group_get(db, t->a, t->tenant_id, t->to_group, &gr) != KEFU_OK) {
				t->bad = "group_id";
				return KEFU_E_INVALID_FIELD;
			}
		}
		struct cands cs;
		if ((e = load_cands(db, t->a, t->tenant_id, &r, &g, &cs)) != KEFU_OK)
			return e;
		/* The agent handing it over does not get it back. */
		int self = member_index(&g, from);
		if (self >= 0)
			cs.c[self].online = false;
		int64_t rr = 0;
		if (r.strategy == STRAT_ROUND_ROBIN && (e = db_rr_get(db, t->a, t->tenant_id, g.id, &rr)) != KEFU_OK)
			return e;
		if ((e = drain_group(db, t->a, t->tenant_id, &r, &g, &cs, &rr)) != KEFU_OK)
			return e;
		bool wait;
		int pick = g.open ? strategy_pick(r.strategy, cs.c, cs.n, rr, 0, false, &wait) : -1;
		if (pick >= 0) {
			bool booked;
			struct group_ctx old;
			if (queued && (e = load_group(db, t->a, t->tenant_id, c.group_id, NULL, &old)) != KEFU_OK)
				return e;
			if ((e = give(db, t->a, t->tenant_id, &r, &g, &cs, (size_t)pick, c.id, "transferred",
			              "transfer", from, queued ? &old : NULL, true, &booked)) != KEFU_OK)
				return e;
			if (!booked)
				return KEFU_E_INTERNAL;
		} else {
			/* Nobody there can take it now: it waits in that group's queue
			 * (whatever the reason: busy, offline or closed). */
			int64_t nq;
			if (strcmp(c.status, "queued") == 0 && (e = db_queue_remove(db, t->tenant_id, c.id)) != KEFU_OK)
				return e;
			if ((e = db_queue_add(db, t->a, t->tenant_id, r.id, g.id, c.id, 0, &nq)) != KEFU_OK ||
			    (e = db_conversation_set_unassigned(db, t->tenant_id, c.id, "queued")) != KEFU_OK ||
			    (e = db_assign_set_route(db, t->tenant_id, c.id, r.id, g.id)) != KEFU_OK)
				return e;
			json_object *ev = status_event("transferred");
			json_object *gj = json_object_new_object();
			json_object_object_add(gj, "id", json_object_new_int64(g.id));
			json_object_object_add(gj, "name", json_object_new_string(g.name));
			json_object_object_add(ev, "group", gj);
			if ((e = append(db, t->tenant_id, c.id, ev, from ? &from : NULL, from ? 1 : 0)) != KEFU_OK)
				return e;
			ev = status_event("queued");
			json_object_object_add(ev, "queue_position", json_object_new_int64(nq));
			if ((e = append(db, t->tenant_id, c.id, ev, NULL, 0)) != KEFU_OK)
				return e;
		}
	}
	if (strcmp(c.status, "queued") == 0 && t->to_user != 0) {
		if ((e = db_queue_remove(db, t->tenant_id, c.id)) != KEFU_OK)
			return e;
	}
	/* A person's transfer counts in reports; a hand-back of an offline agent's work does not. */
	if (t->only_from == 0 && (e = db_conversation_count_transfer(db, t->tenant_id, c.id)) != KEFU_OK)
		return e;
	/* Room the old agent left, and positions of a queue it left: drain. */
	if (from != 0 && (e = db_assign_unbook(db, t->tenant_id, r.id, from)) != KEFU_OK)
		return e;
	return drain_rule_m(db, t->a, t->tenant_id, r.id, strcmp(c.status, "queued") == 0, true, NULL, 0, -1);
}

kefu_err assign_transfer(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool admin,
                         int64_t conversation_id, int64_t to_user, int64_t to_group, const char **bad,
                         struct conversation_row *out)
{
	struct move_tx t = {.a = a,
	                    .tenant_id = tenant_id,
	                    .user_id = user_id,
	                    .admin = admin,
	                    .conv = conversation_id,
	                    .to_user = to_user,
	                    .to_group = to_group};
	kefu_err e = db_tx(db, transfer_fn, &t);
	*bad = t.bad;
	return e != KEFU_OK ? e : db_conversation_get(db, a, tenant_id, conversation_id, false, out);
}

kefu_err assign_hand_back(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t from_user,
                          int64_t conversation_id, int64_t group_id, bool *moved)
{
	struct move_tx t = {.a = a,
	                    .tenant_id = tenant_id,
	                    .user_id = from_user,
	                    .admin = true,
	                    .conv = conversation_id,
	                    .to_group = group_id,
	                    .only_from = from_user};
	kefu_err e = db_tx(db, transfer_fn, &t);
	*moved = e == KEFU_OK;
	return e == KEFU_E_CONFLICT ? KEFU_OK : e;
}

/* ---- the periodic check ---- */

struct tick_tx {
	kefu_arena *a;
	int64_t tenant_id;
	struct queue_key key;
	bool idle; /* nothing to do: nobody available in an open group, every place sent */
};

static kefu_err tick_fn(struct kefu_db *db, void *ctx)
{
	struct tick_tx *t = ctx;
	struct rule r;
	struct group_ctx g;
	struct cands cs, *csp = NULL;
	bool hooks, nobody = true;
	t->idle = false;
	kefu_err e = db_assign_lock_rule_quiet(db, t->a, t->tenant_id, t->key.rule_id, &hooks);
	if (e == KEFU_OK)
		e = load_rule(db, t->a, t->tenant_id, t->key.rule_id, &r);
	if (e == KEFU_OK)
		e = load_group(db, t->a, t->tenant_id, t->key.group_id, NULL, &g);
	if (e == KEFU_OK && !g.gone && g.open && (e = load_cands(db, t->a, t->tenant_id, &r, &g, &cs)) == KEFU_OK) {
		csp = &cs;
		for (size_t i = 0; i < cs.n && nobody; i++)
			nobody = !candidate_available(&cs.c[i]);
	}
	if (e == KEFU_OK)
		e = drain_group_m(db, t->a, t->tenant_id, &r, &g, csp, NULL, false, hooks);
	/* Everyone whose place changed since it was last sent hears the new one:
	 * one update per waiter per run, however many drains moved it. */
	struct queue_entry *moved;
	size_t n;
	if (e == KEFU_OK)
		e = db_queue_moved(db, t->a, t->tenant_id, r.id, g.id, &moved, &n);
	if (e == KEFU_OK)
		t->idle = csp != NULL && nobody && n == 0;
	return e == KEFU_OK ? send_positions(db, t->a, t->tenant_id, moved, n) : e;
}

/*
 * The periodic check runs every second, but a queue it found idle (open
 * group, nobody available, every place sent) is looked at again only when
 * its rule's decision count moved (assign_state.decisions: every start,
 * close, take, transfer, status change and maximum change under the rule
 * takes its lock and adds one; this check's own lock does not) or
 * RECHECK_MS after the last look. One
 * statement a second then covers every waiting queue of every tenant. What
 * changes capacity without the rule's lock (a member added to a group, a
 * wake a crash lost) is caught within RECHECK_MS: the check stays the
 * safety net, at a tenth of the cost. A group closed by its service hours
 * is looked at every second (its opening frees room with no decision).
 * The memory is this process's: a check run by another worker looks again.
 */
#define RECHECK_MS 10000

struct idle_memo {
	int64_t tenant_id, rule_id, group_id, decisions, at_ms;
};

static pthread_mutex_t memo_mu = PTHREAD_MUTEX_INITIALIZER;
static struct idle_memo *memo;
static size_t nmemo;

static int cmp_memo(const struct idle_memo *m, const struct queue_watch *w)
{
	if (m->tenant_id != w->tenant_id)
		return m->tenant_id < w->tenant_id ? -1 : 1;
	if (m->rule_id != w->rule_id)
		return m->rule_id < w->rule_id ? -1 : 1;
	return (m->group_id > w->group_id) - (m->group_id < w->group_id);
}

void assign_tick(struct kefu_db *db)
{
	kefu_arena *a = arena_new();
	struct queue_watch *w;
	size_t nw;
	pthread_mutex_lock(&memo_mu);
	struct idle_memo *next;
	if (db_queue_watch(db, a, &w, &nw) == KEFU_OK && (next = calloc(nw + 1, sizeof *next)) != NULL) {
		int64_t now = wall_ms();
		size_t nn = 0, j = 0;
		for (size_t i = 0; i < nw; i++) {
			while (j < nmemo && cmp_memo(&memo[j], &w[i]) < 0)
				j++; /* both in the same order */
			if (j < nmemo && cmp_memo(&memo[j], &w[i]) == 0 && memo[j].decisions == w[i].decisions &&
			    now - memo[j].at_ms >= 0 && now - memo[j].at_ms < RECHECK_MS) {
				next[nn++] = memo[j]; /* idle, and nothing was decided under its rule since */
				continue;
			}
			struct tick_tx t = {a, w[i].tenant_id, {w[i].rule_id, w[i].group_id}, false};
			kefu_err e = db_tx(db, tick_fn, &t);
			if (e != KEFU_OK)
				log_warn("assign", "tick: tenant %lld rule %lld group %lld: %s",
				         (long long)w[i].tenant_id, (long long)w[i].rule_id, (long long)w[i].group_id,
				         kefu_err_code(e));
			else if (t.idle) /* a decision after the count was read makes it differ: looked at again */
				next[nn++] = (struct idle_memo){w[i].tenant_id, w[i].rule_id, w[i].group_id,
				                                w[i].decisions, now};
		}
		free(memo);
		memo = next;
		nmemo = nn;
	}
	pthread_mutex_unlock(&memo_mu);
	arena_free(a);
}

/* ---- channel view, helpers for the handlers ---- */

kefu_err assign_channel_rule(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, struct rule *out)
{
	return rule_for_channel(db, a, tenant_id, channel_id, out);
}

kefu_err assign_channel_view(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, json_object *o)
{
	struct rule r;
	kefu_err e = rule_for_channel(db, a, tenant_id, channel_id, &r);
	if (e != KEFU_OK)
		return e;
	int64_t *ids;
	const char **paths;
	size_t n = r.id == 0 ? 0 : rule_group_refs(a, &r, &ids, &paths);
	bool online = false, open = false;
	bool *gon = arena_calloc(a, n + 1, sizeof *gon); /* each group: someone online, open now */
	json_object *groups = json_object_new_array();
	/* The rule's groups, or the default pool (id 0) without a rule. */
	size_t count = r.id == 0 ? 1 : n;
	for (size_t i = 0; i < count; i++) {
		struct group_ctx g;
		if ((e = load_group(db, a, tenant_id, r.id == 0 ? 0 : ids[i], NULL, &g)) != KEFU_OK)
			break;
		struct member_state *ms = NULL;
		/* A plain read: this is a hint for the widget, not a decision. */
		if (g.n > 0 && (e = db_assign_members_peek(db, a, tenant_id, g.members, g.n, &ms)) != KEFU_OK)
			break;
		bool any = false;
		for (size_t k = 0; k < g.n; k++)
			any = any || ms[k].online;
		online = online || (any && g.open);
		open = open || g.open;
		gon[i] = any && g.open;
	}
	if (e != KEFU_OK) {
		json_object_put(groups);
		return e;
	}
	json_object *choice = NULL;
	if (r.visitor_choice) {
		for (size_t i = 0; i < r.nchoices; i++) {
			struct group_row gr;
			if (db_group_get(db, a, tenant_id, r.choice_group_ids[i], &gr) != KEFU_OK)
				continue;
			json_object *gj = json_object_new_object();
			json_object_object_add(gj, "id", json_object_new_int64(gr.id));
			json_object_object_add(gj, "name", json_object_new_string(gr.name));
			/* Whether someone there can chat now: the visitor learns it before choosing. */
			bool here = false;
			for (size_t k = 0; k < n; k++)
				here = here || (ids[k] == gr.id && gon[k]);
			json_object_object_add(gj, "online", json_object_new_boolean(here));
			json_object_array_add(groups, gj);
		}
		choice = json_object_new_object();
		json_object_object_add(choice, "prompt", json_object_new_string(r.choice_prompt));
		json_object_object_add(choice, "groups", groups);
	} else {
		json_object_put(groups);
	}
	json_object *lm = NULL;
	if (r.leave_enabled) {
		lm = json_object_new_object();
		json_object_object_add(lm, "fields", json_object_get(r.leave_fields));
	}
	/* The texts a start sends (assign_new), so that the widget can greet when
	 * the panel opens and say "nobody is here" once: welcome and promo ("" for
	 * none); the offline and out-of-hours texts (null: the built-in one is sent;
	 * "": none is sent). */
	json_object *texts = json_object_new_object();
	json_object_object_add(texts, "welcome", json_object_new_string(r.welcome ? r.welcome : ""));
	json_object_object_add(texts, "promo", json_object_new_string(r.promo ? r.promo : ""));
	json_object_object_add(texts, "offline",
	                       r.id == 0               ? NULL
	                       : r.all_offline.enabled ? json_object_new_string(r.all_offline.text)
	                                               : json_object_new_string(""));
	json_object_object_add(texts, "out_of_hours",
	                       r.id == 0                ? NULL
	                       : r.out_of_hours.enabled ? json_object_new_string(r.out_of_hours.text)
	                                                : json_object_new_string(""));
	json_object_object_add(o, "texts", texts);
	json_object_object_add(o, "online", json_object_new_boolean(online));
	json_object_object_add(o, "open_now", json_object_new_boolean(open));
	json_object_object_add(o, "choice", choice);
	json_object_object_add(o, "leave_message", lm);
	return KEFU_OK;
}

kefu_err assign_rule_max(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t *max)
{
	struct rule r;
	kefu_err e = load_rule(db, a, tenant_id, rule_id, &r);
	*max = e == KEFU_OK && r.id != 0 ? r.max_concurrent : 0;
	return e;
}

kefu_err assign_user_groups(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool all,
                            int64_t **ids, size_t *n)
{
	struct group_row *rows;
	size_t ng;
	kefu_err e = db_group_list(db, a, tenant_id, &rows, &ng);
	if (e != KEFU_OK)
		return e;
	*ids = arena_calloc(a, ng + 2, sizeof **ids);
	*n = 0;
	if (all)
		(*ids)[(*n)++] = 0; /* the default pool's queue (no rule) */
	for (size_t i = 0; i < ng; i++) {
		int64_t *m;
		size_t nm;
		if (!all) {
			if ((e = db_group_effective_members(db, a, tenant_id, rows[i].id, &m, &nm)) != KEFU_OK)
				return e;
			bool in = false;
			for (size_t k = 0; k < nm; k++)
				in = in || m[k] == user_id;
			if (!in)
				continue;
		}
		(*ids)[(*n)++] = rows[i].id;
	}
	if (!all) /* every staff member serves the default pool */
		(*ids)[(*n)++] = 0;
	return KEFU_OK;
}

kefu_err assign_queue_for_groups(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *group_ids,
                                 size_t ngroups, struct queue_view **rows, size_t *n)
{
	return db_queue_for_groups(db, a, tenant_id, group_ids, ngroups, rows, n);
}
