/* conversations: the conversation life cycle; every change and its events commit in one db_tx. */
#include "domain/conversations.h"
#include "domain/form-fields.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/utf8.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "domain/assign.h"
#include "domain/channels.h"
#include "domain/insight.h"
#include "domain/sniff.h"
#include "domain/webhooks.h"
#include "store/batcher.h"
#include "store/store-attachments.h"
#include "store/store-events.h"

/* ---- event streams ---- */

kefu_err conv_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, bool of_user, int64_t id,
                           int64_t after, int limit, json_object **events, int64_t *next)
{
	struct stream_entry *x;
	size_t n;
	kefu_err e = of_user ? db_user_events_after(db, a, tenant_id, id, after, limit, &x, &n)
	                     : db_events_after(db, a, tenant_id, id, after, limit, &x, &n);
	if (e == KEFU_OK)
		*events = conv_events_json(x, n, of_user, after, next);
	return e;
}

/* ---- pre-chat answers ---- */

static bool option_ok(json_object *options, const char *v)
{
	size_t n = options ? json_object_array_length(options) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *o = json_object_get_string(json_object_array_get_idx(options, i));
		if (o != NULL && strcmp(o, v) == 0)
			return true;
	}
	return false;
}

kefu_err conv_prechat_check(kefu_arena *a, const char *fields_json, json_object *prechat, const char **canonical,
                            const char **bad)
{
	if (prechat != NULL && !json_object_is_type(prechat, json_type_object)) {
		*bad = "prechat";
		return KEFU_E_INVALID_FIELD;
	}
	json_object *fields = json_tokener_parse(fields_json ? fields_json : "[]");
	if (fields == NULL || !json_object_is_type(fields, json_type_array)) {
		json_object_put(fields);
		return KEFU_E_INTERNAL; /* stored by the admin API after validation */
	}
	json_object *out = json_object_new_object();
	kefu_err e = KEFU_OK;
	size_t n = json_object_array_length(fields);
	for (size_t i = 0; i < n && e == KEFU_OK; i++) {
		json_object *f = json_object_array_get_idx(fields, i);
		const char *name = json_object_get_string(json_object_object_get(f, "name"));
		const char *type = json_object_get_string(json_object_object_get(f, "type"));
		bool required = json_object_get_boolean(json_object_object_get(f, "required"));
		if (name == NULL || type == NULL)
			continue;
		json_object *v = prechat ? json_object_object_get(prechat, name) : NULL;
		const char *s = NULL;
		if (v != NULL) {
			if (!json_object_is_type(v, json_type_string))
				e = KEFU_E_INVALID_FIELD;
			else {
				s = json_object_get_string(v);
				size_t len = (size_t)json_object_get_string_len(v);
				if (!utf8_valid(s, len) || utf8_length(s, len) > 500)
					e = KEFU_E_INVALID_FIELD;
				else if (form_blank(s))
					s = NULL; /* an empty box is no answer */
			}
		}
		if (e == KEFU_OK && s == NULL && required)
			e = KEFU_E_INVALID_FIELD;
		if (e == KEFU_OK && s != NULL) {
			if ((!strcmp(type, "phone") && !form_phone_ok(s)) ||
			    (!strcmp(type, "email") && !form_email_ok(s)) ||
			    (!strcmp(type, "select") && !option_ok(json_object_object_get(f, "options"), s)))
				e = KEFU_E_INVALID_FIELD;
			else
				json_object_object_add(out, name, json_object_new_string(s));
		}
		if (e != KEFU_OK)
			*bad = arena_printf(a, "prechat.%s", name);
	}
	if (e == KEFU_OK)
		*canonical = arena_strdup(a, json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	json_object_put(fields);
	return e;
}

/* ---- access ---- */

static bool may_see(const struct conv_actor *who, const struct conversation_row *c)
{
	if (who->kind == CONV_VISITOR)
		return c->visitor_id == who->visitor_id;
	return who->admin || (c->agent_user_id != 0 && c->agent_user_id == who->user_id);
}

kefu_err conv_find(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id,
                   struct conversation_row *out)
{
	kefu_err e = db_conversation_get(db, a, who->tenant_id, id, false, out);
	if (e == KEFU_OK && !may_see(who, out))
		return KEFU_E_NOT_FOUND;
	return e;
}

/* ---- inside transactions ---- */

/* May the actor write to conversation c now? */
static kefu_err writable(const struct conv_actor *who, const struct conversation_row *c)
{
	if (!may_see(who, c))
		return KEFU_E_NOT_FOUND;
	return strcmp(c->status, "closed") == 0 ? KEFU_E_CONFLICT : KEFU_OK;
}

/* Lock the conversation and check the actor may write to it now. */
static kefu_err lock_writable(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id,
                              struct conversation_row *c)
{
	struct conv_key key = {.tenant_id = who->tenant_id, .id = id};
	struct conversation_row *rows;
	size_t n;
	kefu_err e = db_conversations_lock(db, a, &key, 1, &rows, &n);
	if (e != KEFU_OK)
		return e;
	if (n == 0)
		return KEFU_E_NOT_FOUND;
	*c = rows[0];
	return writable(who, c);
}

/* The actor's message m (sender, agent, conversation filled in from who). */
static struct message_row actor_message(const struct conv_actor *who, int64_t id, const char *kind)
{
	bool agent = who->kind == CONV_AGENT;
	return (struct message_row){.tenant_id = who->tenant_id,
	                            .conversation_id = id,
	                            .sender = agent ? "agent" : "visitor",
	                            .agent_user_id = agent ? who->user_id : 0,
	                            .agent_name = agent ? who->name : NULL,
	                            .kind = kind};
}

struct start_tx {
	kefu_arena *a;
	const struct kefu_i18n *i18n;
	const char *lang;
	int64_t tenant_id, channel_id, group_id;
	const struct visitor_row *v;
	const char *prechat;
	int64_t invitation_id; /* answering this invitation (0: none) */
	struct conversation_row c;
	bool created;
};

static kefu_err start_fn(struct kefu_db *db, void *ctx)
{
	struct start_tx *t = ctx;
	/* The rule and group are read first (plain reads, no locks) so that the
	 * INSERT writes them; the INSERT comes before anything else: it is
	 * refused by uq_conversations_open when the visitor has an open
	 * conversation on the channel (waiting for a concurrent start's
	 * uncommitted one), and then that one is resumed, whatever the rule says. */
	bool webhooks;
	struct assign_route route;
	kefu_err e = assign_route(db, t->a, t->tenant_id, t->channel_id, t->v, t->prechat, t->group_id, &route);
	if (e != KEFU_OK)
		return e;
	e = db_conversation_start(db, t->a, t->tenant_id, t->channel_id, t->v->id, t->prechat, route.rule.id,
	                          route.group_id, &t->c, &webhooks);
	if (e == KEFU_E_CONFLICT) {
		t->created = false;
		e = db_conversation_open_for_visitor(db, t->a, t->tenant_id, t->channel_id, t->v->id, &t->c);
		return e == KEFU_E_NOT_FOUND ? KEFU_E_RETRY : e; /* closed meanwhile: start again */
	}
	if (e != KEFU_OK)
		return e;
	t->created = true;
	if (webhooks &&
	    (e = webhook_conversation(db, t->a, t->tenant_id, "conversation.created", t->c.id, &t->c)) != KEFU_OK)
		return e; /* webhooks: same tx */
	struct invitation_row inv;
	if (t->invitation_id != 0) {
		/* the visitor's own invitation only (checked under its lock); an answer after a dismiss still counts */
		e = db_invitation_get(db, t->a, t->tenant_id, t->invitation_id, true, &inv);
		if (e == KEFU_OK && inv.visitor_id != t->v->id)
			e = KEFU_E_NOT_FOUND;
		if (e != KEFU_OK)
			return e; /* NOT_FOUND: the handler names invitation_id */
		if (strcmp(inv.status, "accepted") != 0)
			t->c.invited_by = inv.user_id;
	}
	if (route.refused != KEFU_OK)
		return route.refused; /* the rule forbids it: nothing is created */
	if ((e = assign_new(db, t->a, t->i18n, t->lang, &t->c, t->v, webhooks, &route)) != KEFU_OK)
		return e;
	bool changed;
	return t->invitation_id != 0
	           ? db_invitation_set_status(db, t->tenant_id, t->invitation_id, "accepted", t->c.id, &changed)
	           : KEFU_OK;
}

/* A start or a close, as the one batcher of both holds them (a job's arg). */
struct decision {
	struct start_tx *start; /* or NULL */
	struct close_tx *close; /* or NULL */
};

static struct start_tx *start_of(const struct batch_job *job)
{
	return ((const struct decision *)job->arg)->start;
}

/*
 * Starts are decided in batches (store/batcher.h) like text posts: every
 * decision under a rule waits for the rule's lock, and its holder's round
 * trips are what the next one waits for. Whatever starts arrived while the
 * previous batch ran are inserted, then decided under one hold of each
 * rule's lock (assign_new_many): one lock, one read of the members, the
 * events of all written together. A batch is one tenant's (the lock order
 * and the collected events are per tenant). A lone start, an answer to an
 * invitation, a start the rule refuses and a visitor's second start in one
 * batch go the single way (start_fn), on their own; so does every start of
 * a batch whose transaction failed, each keeping its own outcome.
 */
struct tenant_batch {
	kefu_arena *a;
	struct batch_job **items;
	bool *solo; /* run on its own after the batch */
	size_t n;
};

/* A batch's starts b (all of one tenant) routed and inserted: those to
 * decide under the rules' locks in *as[0..*nas), the others marked solo or
 * resumed. */
static kefu_err starts_ready(struct kefu_db *db, struct tenant_batch *b, struct assign_start **asp, size_t *nas)
{
	*nas = 0;
	int64_t tenant_id = start_of(b->items[0])->tenant_id;
	struct assign_start *as = arena_calloc(b->a, b->n, sizeof *as);
	*asp = as;
	struct assign_route *route = arena_calloc(b->a, b->n, sizeof *route);
	struct conv_new *in = arena_calloc(b->a, b->n, sizeof *in);
	size_t *of = arena_calloc(b->a, b->n, sizeof *of); /* in[j] is item of[j]'s */
	size_t m = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct start_tx *t = start_of(b->items[i]);
		b->solo[i] = false;
		t->created = false;
		b->items[i]->err = KEFU_OK;
		const struct assign_route *same = NULL;
		for (size_t j = 0; j < i && same == NULL; j++)
			if (start_of(b->items[j])->channel_id == t->channel_id)
				same = &route[j];
		kefu_err e = assign_route_like(db, t->a, t->tenant_id, t->channel_id, t->v, t->prechat, t->group_id,
		                               same, &route[i]);
		if (e != KEFU_OK)
			return e;
		if (route[i].refused != KEFU_OK) {
			b->solo[i] = true; /* it may still resume an open conversation: the single way decides */
			continue;
		}
		in[m] = (struct conv_new){.channel_id = t->channel_id,
		                          .visitor_id = t->v->id,
		                          .rule_id = route[i].rule.id,
		                          .group_id = route[i].group_id,
		                          .prechat = t->prechat,
		                          .a = t->a};
		of[m++] = i;
	}
	if (m == 0)
		return KEFU_OK;
	/* Every routed start's row in one INSERT; one it refused has an open
	 * conversation (waited for when a concurrent start's is uncommitted). */
	struct conversation_row *rows = arena_calloc(b->a, m, sizeof *rows);
	bool *inserted = arena_calloc(b->a, m, sizeof *inserted), webhooks;
	kefu_err e = db_conversations_start(db, b->a, tenant_id, in, m, rows, inserted, &webhooks);
	if (e != KEFU_OK)
		return e;
	size_t k = 0;
	for (size_t j = 0; j < m; j++) {
		size_t i = of[j];
		struct start_tx *t = start_of(b->items[i]);
		if (!inserted[j]) {
			e = db_conversation_open_for_visitor(db, t->a, t->tenant_id, t->channel_id, t->v->id, &t->c);
			for (size_t l = 0; l < m && e == KEFU_OK; l++)
				if (inserted[l] && rows[l].id == t->c.id)
					e = KEFU_E_NOT_FOUND; /* this batch's own: resumed once it is decided */
			if (e == KEFU_E_NOT_FOUND)
				b->solo[i] = true; /* or not inserted for a reason of its own: the single way tells */
			else if (e != KEFU_OK)
				return e;
			continue;
		}
		t->c = rows[j];
		t->created = true;
		if (webhooks && (e = webhook_conversation(db, t->a, t->tenant_id, "conversation.created", t->c.id,
		                                          &t->c)) != KEFU_OK)
			return e;
		as[k++] = (struct assign_start){.c = &t->c,
		                                .v = t->v,
		                                .route = &route[i],
		                                .webhooks = webhooks,
		                                .a = t->a,
		                                .i18n = t->i18n,
		                                .lang = t->lang};
	}
	*nas = k;
	return KEFU_OK;
}

/*
 * One tenant's jobs (starts and closes): a lone one goes the single way
 * (solo_fn); more go as one transaction (batch_fn, which sets each job's err
 * and marks in solo those the single way must decide after it), and when
 * that transaction fails, one job may have spoilt it: each goes on its own,
 * keeping its own outcome, unless the database is away.
 */
static void run_tenant_batch(struct kefu_db *db, kefu_arena *a, struct batch_job **items, size_t n, db_tx_fn batch_fn,
                             db_tx_fn solo_fn)
{
	if (n == 1) {
		items[0]->err = db_tx(db, solo_fn, items[0]->arg);
		return;
	}
	struct tenant_batch b = {.a = a, .items = items, .n = n, .solo = arena_calloc(a, n, sizeof(bool))};
	kefu_err e = db_tx(db, batch_fn, &b);
	for (size_t i = 0; i < n; i++) {
		if (e == KEFU_E_UNAVAILABLE)
			items[i]->err = e;
		else if (e != KEFU_OK || b.solo[i])
			items[i]->err = db_tx(db, solo_fn, items[i]->arg);
	}
}

static void run_decisions(struct kefu_db *db, kefu_arena *a, struct batch_job **items, size_t n);

/* A worker's starts and closes wait in one batcher (see run_decisions). */
static struct batcher decisions = BATCHER_INIT_TX(run_decisions, 32); /* every run is db_tx */

kefu_err conv_start(struct kefu_db *db, kefu_arena *a, const struct kefu_i18n *i18n, const char *lang,
                    int64_t tenant_id, int64_t channel_id, const struct visitor_row *v, const char *prechat,
                    int64_t group_id, struct conversation_row *out, bool *created)
{
	return conv_start_invited(db, a, i18n, lang, tenant_id, channel_id, v, prechat, group_id, 0, false, out,
	                          created);
}

kefu_err conv_start_invited(struct kefu_db *db, kefu_arena *a, const struct kefu_i18n *i18n, const char *lang,
                            int64_t tenant_id, int64_t channel_id, const struct visitor_row *v, const char *prechat,
                            int64_t group_id, int64_t invitation_id, bool unlisted, struct conversation_row *out,
                            bool *created)
{
	struct start_tx t = {.a = a,
	                     .invitation_id = invitation_id,
	                     .i18n = i18n,
	                     .lang = lang,
	                     .tenant_id = tenant_id,
	                     .channel_id = channel_id,
	                     .v = v,
	                     .group_id = group_id,
	                     .prechat = prechat};
	kefu_err e;
	if (invitation_id != 0) {
		e = db_tx(db, start_fn, &t);
	} else {
		struct decision d = {.start = &t};
		struct batch_job job = {.arg = &d, .arena = a};
		batcher_run(&decisions, db, a, &job);
		e = job.err;
	}
	if (e != KEFU_OK)
		return e;
	*created = t.created;
	*out = t.c;
	if (t.created && !unlisted)
		insight_visitor_changed(db, a, tenant_id, v->id); /* the live list shows the conversation */
	return KEFU_OK;
}

/* ---- posting ---- */

/*
 * Text messages are the bulk of all writes, so they are written in batches
 * (store/batcher.h): whatever arrived while the previous batch was being
 * written is locked, checked and written in one transaction (conversations
 * locked in ascending id, then the streams: the lock order of everything
 * else). Each post keeps its own outcome: a closed conversation refuses only
 * its own message.
 */
struct text_post {
	const struct conv_actor *who;    /* NULL until a token caller is resolved */
	struct conv_token_caller *token; /* a caller known by token only, or NULL */
	struct conv_actor by_token;      /* who, for a token caller */
	int64_t id;
	const char *text;
	json_object *message; /* the new MESSAGE once written */
};

struct text_batch {
	kefu_arena *a;
	struct batch_job **items;
	size_t n;
};

/* A token post's caller found (va, in the batch's arena): copied into the
 * post's own arena; the post's actor if the channel allows its origin,
 * else the post is refused. */
static bool token_caller(struct batch_job *job, const struct visitor_auth *va)
{
	struct text_post *p = job->arg;
	struct conv_token_caller *t = p->token;
	t->visitor = *va;
	db_visitor_auth_copy(job->arena, &t->visitor);
	if (!channel_origin_ok(t->visitor.allowed_origins, t->public_url, t->origin)) {
		job->err = KEFU_E_ORIGIN;
		return false;
	}
	t->found = true;
	p->by_token = (struct conv_actor){
	    .kind = CONV_VISITOR, .tenant_id = t->visitor.v.tenant_id, .visitor_id = t->visitor.v.id};
	p->who = &p->by_token;
	return true;
}

/* The token posts job[0..n) that found no conversation of their caller's:
 * one lookup of their tokens tells an unknown token (401) or a refused
 * origin from a conversation that is not the caller's (404). Only refused
 * posts get here, so this read is not on the path of a post that succeeds. */
static kefu_err token_misses(struct kefu_db *db, kefu_arena *a, struct batch_job **job, size_t n)
{
	const char **hash = arena_calloc(a, n, sizeof *hash);
	kefu_arena **to = arena_calloc(a, n, sizeof *to);
	struct visitor_auth **out = arena_calloc(a, n, sizeof *out);
	bool *found = arena_calloc(a, n, sizeof *found);
	for (size_t i = 0; i < n; i++) {
		struct text_post *p = job[i]->arg;
		hash[i] = p->token->token_hash;
		to[i] = a;
		out[i] = arena_calloc(a, 1, sizeof *out[i]);
	}
	kefu_err e = db_visitors_auth(db, a, hash, n, to, out, found);
	if (e != KEFU_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		if (!found[i])
			job[i]->err = KEFU_E_UNAUTHENTICATED;
		else if (token_caller(job[i], out[i]))
			job[i]->err = KEFU_E_NOT_FOUND;
	}
	return KEFU_OK;
}

static kefu_err text_batch_fn(struct kefu_db *db, void *ctx)
{
	struct text_batch *b = ctx;
	/* Staff posts name their conversation with their tenant; token posts
	 * are resolved by the locking read itself (their callers read along). */
	struct conv_key *key = arena_calloc(b->a, b->n, sizeof *key);
	int64_t *tok_id = arena_calloc(b->a, b->n, sizeof *tok_id);
	const char **tok_hash = arena_calloc(b->a, b->n, sizeof *tok_hash);
	size_t nkey = 0, ntok = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct text_post *p = b->items[i]->arg;
		json_object_put(p->message); /* from a try that rolled back */
		p->message = NULL;
		b->items[i]->err = KEFU_OK;
		if (p->token != NULL) {
			p->who = NULL;
			p->token->found = false;
			tok_id[ntok] = p->id;
			tok_hash[ntok++] = p->token->token_hash;
		} else
			key[nkey++] = (struct conv_key){.tenant_id = p->who->tenant_id, .id = p->id};
	}
	struct conv_locked *rows;
	size_t nrows;
	kefu_err e = db_conversations_lock_callers(db, b->a, key, nkey, tok_id, tok_hash, ntok, &rows, &nrows);
	if (e != KEFU_OK)
		return e;
	struct message_row *m = arena_calloc(b->a, b->n, sizeof *m);
	int64_t *notify = arena_calloc(b->a, b->n, sizeof *notify);
	struct text_post **to = arena_calloc(b->a, b->n, sizeof *to);
	struct batch_job **miss = arena_calloc(b->a, b->n, sizeof *miss);
	size_t k = 0, nmiss = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct text_post *p = b->items[i]->arg;
		const struct conv_locked *c = NULL;
		for (size_t j = 0; j < nrows && c == NULL; j++)
			if (rows[j].c.id == p->id &&
			    (p->token != NULL
			         ? rows[j].token_hash != NULL && !strcmp(rows[j].token_hash, p->token->token_hash)
			         : rows[j].c.tenant_id == p->who->tenant_id))
				c = &rows[j];
		if (c == NULL && p->token != NULL) {
			miss[nmiss++] = b->items[i];
			continue;
		}
		if (p->token != NULL && !token_caller(b->items[i], &c->caller))
			continue; /* refused by its origin */
		b->items[i]->err = c == NULL ? KEFU_E_NOT_FOUND : writable(p->who, &c->c);
		if (b->items[i]->err != KEFU_OK)
			continue;
		m[k] = actor_message(p->who, p->id, "text");
		m[k].text = p->text;
		m[k].conv_answered = c->c.answered;
		notify[k] = c->c.agent_user_id;
		to[k++] = p;
	}
	if (nmiss > 0 && (e = token_misses(db, b->a, miss, nmiss)) != KEFU_OK)
		return e;
	if (k == 0)
		return KEFU_OK;
	json_object **out = arena_calloc(b->a, k, sizeof *out);
	e = conv_tx_messages(db, b->a, m, notify, k, out);
	for (size_t j = 0; j < k && e == KEFU_OK; j++)
		to[j]->message = out[j];
	return e;
}

static void run_text_batch(struct kefu_db *db, kefu_arena *a, struct batch_job **items, size_t n)
{
	struct text_batch b = {.a = a, .items = items, .n = n};
	kefu_err e = db_tx(db, text_batch_fn, &b);
	if (e == KEFU_OK)
		return; /* each item's err was set by text_batch_fn */
	for (size_t i = 0; i < n; i++) {
		struct text_post *p = items[i]->arg;
		json_object_put(p->message);
		p->message = NULL;
		items[i]->err = e;
	}
	if (n > 1 && e != KEFU_E_UNAVAILABLE) /* one post may have spoilt the batch: each on its own */
		for (size_t i = 0; i < n; i++)
			run_text_batch(db, a, &items[i], 1);
}

/* run_text_batch is one db_tx; the batcher's own thread leads, so a token post can be parked
 * (conv_post_text_by_token_park). */
static struct batcher text_posts = BATCHER_INIT_THREAD(run_text_batch, 32);

static kefu_err post_text(struct kefu_db *db, kefu_arena *a, struct text_post p, json_object **message)
{
	struct batch_job job = {.arg = &p, .arena = a};
	batcher_run(&text_posts, db, a, &job);
	if (job.err != KEFU_OK)
		return job.err;
	*message = p.message;
	return KEFU_OK;
}

kefu_err conv_post_text(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, const char *text,
                        json_object **message)
{
	return post_text(db, a, (struct text_post){.who = who, .id = id, .text = text}, message);
}

kefu_err conv_post_text_by_token(struct kefu_db *db, kefu_arena *a, struct conv_token_caller *t, int64_t id,
                                 const char *text, json_object **message)
{
	t->found = false;
	return post_text(db, a, (struct text_post){.token = t, .id = id, .text = text}, message);
}

/* A parked token post: the job, its post and caller, and whom to tell, in
 * one allocation with its strings after it. */
struct parked_text {
	struct batch_job job; /* first: the batcher hands back &job */
	struct text_post p;
	struct conv_token_caller t;
	conv_posted_fn done;
	void *ctx;
	char strings[];
};

static void parked_text_finish(struct batch_job *job)
{
	struct parked_text *x = (struct parked_text *)job;
	conv_posted_fn done = x->done;
	void *ctx = x->ctx;
	kefu_err e = job->err;
	json_object *m = e == KEFU_OK ? x->p.message : NULL;
	struct conv_token_caller t = x->t; /* its visitor's strings are in job->arena, the batch's */
	kefu_arena *a = job->arena;
	free(x);
	done(ctx, a, e, m, &t);
}

bool conv_post_text_by_token_park(struct kefu_db *db, const struct conv_token_caller *t, int64_t id, const char *text,
                                  conv_posted_fn done, void *ctx)
{
	const char *s[] = {text, t->token_hash, t->origin, t->public_url};
	struct parked_text *x = calloc(1, sizeof *x + text_sizes(s, sizeof s / sizeof *s));
	if (x == NULL)
		abort();
	char *at = x->strings;
	x->t = (struct conv_token_caller){.token_hash = text_copy_into(&at, t->token_hash),
	                                  .origin = text_copy_into(&at, t->origin),
	                                  .public_url = text_copy_into(&at, t->public_url)};
	x->p = (struct text_post){.token = &x->t, .id = id, .text = text_copy_into(&at, text)};
	x->done = done;
	x->ctx = ctx;
	x->job = (struct batch_job){.arg = &x->p, .finish = parked_text_finish};
	if (batcher_park(&text_posts, db, &x->job))
		return true;
	free(x);
	return false;
}

struct file_post {
	kefu_arena *a;
	const struct conv_actor *who;
	int64_t id;
	struct message_row m; /* kind and attachment fields filled in */
	const unsigned char *data;
	const char *sha256;
	json_object *message;
};

static kefu_err file_post_fn(struct kefu_db *db, void *ctx)
{
	struct file_post *t = ctx;
	json_object_put(t->message); /* from a try that rolled back */
	t->message = NULL;
	struct conversation_row c;
	kefu_err e = lock_writable(db, t->a, t->who, t->id, &c);
	if (e == KEFU_OK)
		e = db_attachment_insert(db, t->who->tenant_id, t->id, t->m.att_name, t->m.att_mime, t->sha256,
		                         t->m.att_token, t->data, (size_t)t->m.att_size, &t->m.attachment_id);
	int64_t notify = e == KEFU_OK ? c.agent_user_id : 0;
	t->m.conv_answered = e == KEFU_OK && c.answered;
	return e != KEFU_OK ? e : conv_tx_messages(db, t->a, &t->m, &notify, 1, &t->message);
}

/* name cut to CONV_FILENAME_MAX bytes without splitting a code point. */
static const char *file_name(kefu_arena *a, const char *name)
{
	if (name == NULL || *name == '\0')
		return "file";
	size_t n = strlen(name);
	if (n <= CONV_FILENAME_MAX)
		return name;
	n = CONV_FILENAME_MAX;
	while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
		n--;
	return arena_strndup(a, name, n);
}

kefu_err conv_post_file(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, const char *name,
                        const unsigned char *data, size_t n, json_object **message)
{
	if (n == 0)
		return KEFU_E_INVALID_FIELD;
	char sha[65];
	crypto_sha256_hex(data, n, sha);
	char *token = crypto_token(16);
	if (token == NULL)
		return KEFU_E_INTERNAL;
	arena_defer(a, free, token);
	const char *mime = sniff_type(data, n);
	struct file_post t = {.a = a, .who = who, .id = id, .data = data, .sha256 = arena_strdup(a, sha)};
	t.m = actor_message(who, id, sniff_is_image(mime) ? "image" : "file");
	t.m.att_name = file_name(a, name);
	t.m.att_mime = mime;
	t.m.att_token = token;
	t.m.att_size = (int64_t)n;
	kefu_err e = db_tx(db, file_post_fn, &t);
	if (e != KEFU_OK) {
		json_object_put(t.message);
		return e;
	}
	*message = t.message;
	return KEFU_OK;
}

struct close_tx {
	kefu_arena *a;
	const struct conv_actor *who;
	int64_t id;
	struct conversation_row out; /* the closed conversation, read in the transaction that closed it */
};

/* The closed conversations of[0..n) (tenant_id's), each as it was
 * (before[i], as locked) and closed at `at`: each one's answer, and the
 * conversation.closed outbox rows when the tenant has webhooks (written
 * here, before the rule's lock is taken: their INSERTs are not what the
 * rule's next decision waits for). */
static kefu_err closed_rows(struct kefu_db *db, int64_t tenant_id, struct close_tx **of,
                            const struct conversation_row *before, size_t n, const char *at, bool webhooks)
{
	kefu_err e = KEFU_OK;
	for (size_t i = 0; i < n && e == KEFU_OK; i++) {
		bool agent = of[i]->who->kind == CONV_AGENT;
		/* The answer outlives the batch's arena: its strings go to the close's own. */
		kefu_arena *to = of[i]->a;
		struct conversation_row *o = &of[i]->out;
		*o = before[i];
		o->status = "closed";
		o->closed_at = at;
		o->closed_by = agent ? "agent" : "visitor";
		const char **str[] = {&o->agent_name, &o->prechat, &o->created_at, &o->assigned_at, &o->closed_at};
		for (size_t j = 0; j < sizeof str / sizeof *str; j++)
			*str[j] = *str[j] ? arena_strdup(to, *str[j]) : NULL;
		if (webhooks)
			e = webhook_conversation(db, to, tenant_id, "conversation.closed", o->id, o);
	}
	return e;
}

/*
 * The closes t[0..n) of tenant_id: their conversations locked (one
 * statement), each close's outcome in err[i] (not found, not the closer's,
 * closed already, or by one before it here); those that close in
 * of[0..*nof), as each was in before[], closed in one UPDATE per closer (the
 * visitors, or one agent), their answers made from what the lock read.
 */
static kefu_err lock_and_close(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct close_tx **t, kefu_err *err,
                               size_t n, struct conversation_row *before, struct close_tx **of, size_t *nof)
{
	*nof = 0;
	int64_t *ids = arena_calloc(a, n, sizeof *ids);
	for (size_t i = 0; i < n; i++)
		ids[i] = t[i]->id;
	struct conversation_row *rows;
	size_t nrows;
	const char *at;
	bool webhooks;
	kefu_err e = db_conversations_lock_closing(db, a, tenant_id, ids, n, &rows, &nrows, &at, &webhooks);
	if (e != KEFU_OK)
		return e;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct conversation_row *c = NULL;
		for (size_t j = 0; j < nrows && c == NULL; j++)
			if (rows[j].id == t[i]->id)
				c = &rows[j];
		err[i] = c == NULL ? KEFU_E_NOT_FOUND : writable(t[i]->who, c);
		for (size_t j = 0; j < k && err[i] == KEFU_OK; j++)
			if (of[j]->id == t[i]->id)
				err[i] = KEFU_E_CONFLICT; /* closed by the one before it in this batch */
		if (err[i] != KEFU_OK)
			continue;
		before[k] = *c;
		of[k++] = t[i];
	}
	if (k == 0)
		return KEFU_OK;
	bool *done = arena_calloc(a, k, sizeof *done);
	for (size_t j = 0; j < k; j++) {
		if (done[j])
			continue;
		const struct conv_actor *w = of[j]->who;
		bool agent = w->kind == CONV_AGENT;
		size_t m = 0;
		for (size_t l = j; l < k; l++)
			if (!done[l] && of[l]->who->kind == w->kind && (!agent || of[l]->who->user_id == w->user_id)) {
				done[l] = true;
				ids[m++] = of[l]->id;
			}
		if ((e = db_conversations_set_closed(db, a, tenant_id, ids, m, agent ? "agent" : "visitor",
		                                     agent ? w->user_id : 0, at)) != KEFU_OK)
			return e;
	}
	if ((e = closed_rows(db, tenant_id, of, before, k, at, webhooks)) != KEFU_OK)
		return e;
	*nof = k;
	return KEFU_OK;
}

static kefu_err close_event(struct kefu_db *db, struct close_tx *t, const struct conversation_row *cp);

static kefu_err close_fn(struct kefu_db *db, void *ctx)
{
	struct close_tx *t = ctx;
	struct conversation_row c;
	struct close_tx *of;
	size_t k;
	kefu_err err, e = lock_and_close(db, t->a, t->who->tenant_id, &t, &err, 1, &c, &of, &k);
	if (e != KEFU_OK)
		return e;
	if (err != KEFU_OK)
		return err;
	/* Its events and the drain's are written together at the end (assign.h). */
	assign_events_begin(t->a, t->who->tenant_id);
	/* frees the agent's room or the queue place, drains the queue */
	e = assign_on_close(db, t->a, t->who->tenant_id, &c);
	if (e == KEFU_OK)
		e = close_event(db, t, &c);
	kefu_err end = assign_events_end(db, e == KEFU_OK);
	return e != KEFU_OK ? e : end;
}

static kefu_err close_event(struct kefu_db *db, struct close_tx *t, const struct conversation_row *cp)
{
	struct conversation_row c = *cp;
	bool agent = t->who->kind == CONV_AGENT;
	kefu_err e;
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "type", json_object_new_string("status"));
	json_object_object_add(ev, "status", json_object_new_string("closed"));
	json_object_object_add(ev, "closed_by", json_object_new_string(agent ? "agent" : "visitor"));
	int64_t to = c.agent_user_id, *ids = to ? &to : NULL;
	size_t n = to ? 1 : 0;
	/* One that waited leaves its queue: every queue panel showing it hears it. */
	if (strcmp(c.status, "queued") == 0 &&
	    (e = assign_queue_watchers(db, t->a, t->who->tenant_id, c.group_id, 0, &ids, &n)) != KEFU_OK) {
		json_object_put(ev);
		return e;
	}
	e = assign_event(db, t->who->tenant_id, t->id, ev, ids, n);
	json_object_put(ev);
	return e;
}

/*
 * Closes are batched with the starts (above): each frees room under the
 * rule's lock and serves the head of the queue, so whatever closes of a
 * tenant arrived together are locked (one statement), closed, and their
 * rooms freed and queues drained under one hold of each rule's lock, their
 * events written together. Each keeps its own outcome (not found, already
 * closed); a lone close, and every close of a batch whose transaction
 * failed, goes the single way (close_fn).
 */
static struct close_tx *close_of(const struct batch_job *job)
{
	return ((const struct decision *)job->arg)->close;
}

/* A batch's closes b (all of one tenant) locked and closed: those that
 * close in *of[0..*nof), as each was before in *before. */
static kefu_err closes_ready(struct kefu_db *db, struct tenant_batch *b, struct conversation_row **beforep,
                             struct close_tx ***ofp, size_t *nof)
{
	struct close_tx **t = arena_calloc(b->a, b->n, sizeof *t);
	kefu_err *err = arena_calloc(b->a, b->n, sizeof *err);
	for (size_t i = 0; i < b->n; i++)
		t[i] = close_of(b->items[i]);
	*beforep = arena_calloc(b->a, b->n, sizeof **beforep);
	*ofp = arena_calloc(b->a, b->n, sizeof **ofp);
	kefu_err e = lock_and_close(db, b->a, t[0]->who->tenant_id, t, err, b->n, *beforep, *ofp, nof);
	for (size_t i = 0; i < b->n; i++)
		b->items[i]->err = err[i];
	return e;
}

/* The closes' own events, collected under the rules' locks after their drains (assign_batch). */
struct closes_done {
	struct close_tx **of;
	const struct conversation_row *before;
	size_t n;
};

static kefu_err close_events(struct kefu_db *db, void *ctx)
{
	const struct closes_done *d = ctx;
	kefu_err e = KEFU_OK;
	for (size_t j = 0; j < d->n && e == KEFU_OK; j++)
		e = close_event(db, d->of[j], &d->before[j]);
	return e;
}

/*
 * A worker's starts and closes of one tenant that arrived together are one
 * transaction: the closes locked and closed, the starts routed and
 * inserted, then every rule's lock taken once for all of them, the closes'
 * rooms freed and queues drained, the starts decided on what is left, all
 * events written together, one COMMIT (assign_batch). Two batchers, one of
 * starts and one of closes, took the same locks in two holds and two
 * commits, and under queueing each waited for the other.
 */
static kefu_err decisions_batch_fn(struct kefu_db *db, void *ctx)
{
	struct tenant_batch *b = ctx;
	struct tenant_batch st = {.a = b->a,
	                          .items = arena_calloc(b->a, b->n, sizeof *st.items),
	                          .solo = arena_calloc(b->a, b->n, sizeof(bool))};
	struct tenant_batch cl = {.a = b->a, .items = arena_calloc(b->a, b->n, sizeof *cl.items)};
	size_t *sof = arena_calloc(b->a, b->n, sizeof *sof); /* st's item j is b's sof[j] */
	int64_t tenant_id = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct decision *d = b->items[i]->arg;
		b->solo[i] = false;
		if (d->start != NULL) {
			tenant_id = d->start->tenant_id;
			sof[st.n] = i;
			st.items[st.n++] = b->items[i];
		} else {
			tenant_id = d->close->who->tenant_id;
			cl.items[cl.n++] = b->items[i];
		}
	}
	struct conversation_row *before = NULL;
	struct close_tx **of = NULL;
	struct assign_start *as = NULL;
	size_t nc = 0, ns = 0;
	kefu_err e;
	if (cl.n > 0 && (e = closes_ready(db, &cl, &before, &of, &nc)) != KEFU_OK)
		return e;
	if (st.n > 0 && (e = starts_ready(db, &st, &as, &ns)) != KEFU_OK)
		return e;
	for (size_t j = 0; j < st.n; j++)
		b->solo[sof[j]] = st.solo[j];
	if (nc == 0 && ns == 0)
		return KEFU_OK;
	struct closes_done done = {of, before, nc};
	return assign_batch(db, b->a, tenant_id, before, nc, nc > 0 ? close_events : NULL, &done, as, ns);
}

static kefu_err decision_solo_fn(struct kefu_db *db, void *ctx)
{
	const struct decision *d = ctx;
	return d->start != NULL ? start_fn(db, d->start) : close_fn(db, d->close);
}

static int64_t decision_tenant(const struct batch_job *job)
{
	const struct decision *d = job->arg;
	return d->start != NULL ? d->start->tenant_id : d->close->who->tenant_id;
}

/* Jobs of one tenant together, in arrival order (starts and closes alike). */
static void run_decisions(struct kefu_db *db, kefu_arena *a, struct batch_job **items, size_t n)
{
	struct batch_job **one = arena_calloc(a, n, sizeof *one);
	bool *taken = arena_calloc(a, n, sizeof *taken);
	for (size_t i = 0; i < n; i++) {
		if (taken[i])
			continue;
		int64_t tenant_id = decision_tenant(items[i]);
		size_t m = 0;
		for (size_t j = i; j < n; j++)
			if (!taken[j] && decision_tenant(items[j]) == tenant_id) {
				taken[j] = true;
				one[m++] = items[j];
			}
		run_tenant_batch(db, a, one, m, decisions_batch_fn, decision_solo_fn);
	}
}

kefu_err conv_close(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id,
                    struct conversation_row *out)
{
	struct close_tx t = {.a = a, .who = who, .id = id};
	struct decision d = {.close = &t};
	struct batch_job job = {.arg = &d, .arena = a};
	batcher_run(&decisions, db, a, &job);
	kefu_err e = job.err;
	if (e == KEFU_OK)
		*out = t.out;
	if (e == KEFU_OK && !who->unlisted)
		insight_visitor_changed(db, a, who->tenant_id,
		                        out->visitor_id); /* the live list: out of a conversation */
	return e;
}

kefu_err conv_list_agent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t agent_user_id,
                         struct agent_conversation **rows, size_t *n)
{
	return db_conversation_list_agent(db, a, tenant_id, agent_user_id, rows, n);
}

kefu_err conv_list_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int limit,
                           struct conversation_row **rows, size_t *n)
{
	return db_conversation_list_visitor(db, a, tenant_id, visitor_id, limit, rows, n);
}

kefu_err conv_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool for_update,
                  struct conversation_row *out)
{
	return db_conversation_get(db, a, tenant_id, id, for_update, out);
}

kefu_err conv_attachment_by_id(struct kefu_db *db, kefu_arena *a, int64_t id, struct attachment_row *out)
{
	return db_attachment_by_id(db, a, id, out);
}

kefu_err conv_attachment_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool with_data,
                             struct attachment_row *out)
{
	return db_attachment_get(db, a, tenant_id, id, with_data, out);
}

kefu_err conv_note_add(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t author_user_id,
                       const char *kind, const char *text, int64_t *id)
{
	return db_note_add(db, tenant_id, conversation_id, author_user_id, kind, text, id);
}

kefu_err conv_note_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                        struct note_row **rows, size_t *n)
{
	return db_note_list(db, a, tenant_id, conversation_id, rows, n);
}
