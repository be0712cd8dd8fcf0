/* conv-stream: messages written into their conversations' and agents' streams inside the caller's transaction. */
#include "domain/conv-stream.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-conversations.h"
#include "store/store-events.h"
#include "store/store-insight.h"
#include "view/conv-json.h"

static int cmp_claim(const void *x, const void *y)
{
	const struct stream_claim *p = x, *q = y;
	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	return (p->stream_id > q->stream_id) - (p->stream_id < q->stream_id);
}

/* The claim on stream (kind, id) among c[0..*n), added with count 0 if missing. */
static struct stream_claim *claim_on(struct stream_claim *c, size_t *n, char kind, int64_t id, int64_t tenant_id)
{
	for (size_t i = 0; i < *n; i++)
		if (c[i].kind == kind && c[i].stream_id == id)
			return &c[i];
	c[*n] = (struct stream_claim){.kind = kind, .stream_id = id, .tenant_id = tenant_id};
	return &c[(*n)++];
}

/*
 * Inside a db_tx, with the conversations locked: messages m[0..n), each
 * described by its row (id, seq, created_at and the stream_user fields are
 * filled in here), each appended to its conversation's stream and to the
 * stream of agent notify[i] (0: none), in both as itself (store-events.h). The statements are the same
 * few however many messages there are, which is what makes writing a batch
 * cheap. out[i] (out may be NULL) gets the MESSAGE.
 */
kefu_err conv_tx_messages(struct kefu_db *db, kefu_arena *a, struct message_row *m, const int64_t *notify, size_t n,
                          json_object **out)
{
	/* Every stream the batch appends to, claimed in one statement:
	 * conversations' streams first, then agents', each in ascending id (the
	 * lock order). claim[0..nconv) are the conversations', the rest the
	 * agents'. */
	struct stream_claim *claim = arena_calloc(a, 2 * n, sizeof *claim), *user = claim + n;
	size_t nconv = 0, nuser = 0;
	for (size_t i = 0; i < n; i++) {
		claim_on(claim, &nconv, 'c', m[i].conversation_id, m[i].tenant_id)->count++;
		if (notify[i] > 0)
			claim_on(user, &nuser, 'u', notify[i], m[i].tenant_id)->count++;
	}
	qsort(claim, nconv, sizeof *claim, cmp_claim);
	qsort(user, nuser, sizeof *user, cmp_claim);
	memmove(claim + nconv, user, nuser * sizeof *claim);
	user = claim + nconv;
	kefu_err e = db_streams_claim(db, a, claim, nconv + nuser);
	if (e != KEFU_OK)
		return e;
	/* A claim's first is the next number still free. A message is its own
	 * entry in its agent's stream as in its conversation's (store-events.h):
	 * its row carries both places, and no user_events row is written. */
	for (size_t i = 0; i < n; i++) {
		m[i].seq = claim_on(claim, &nconv, 'c', m[i].conversation_id, m[i].tenant_id)->first++;
		m[i].stream_user_id = notify[i] > 0 ? notify[i] : 0;
		m[i].stream_user_seq =
		    notify[i] > 0 ? claim_on(user, &nuser, 'u', notify[i], m[i].tenant_id)->first++ : 0;
	}
	e = db_messages_insert(db, a, m, n);
	/* Reports' first response: the conversations that got their first agent's message (set where still unset;
	 * a caller that read the conversation says when it had one already, and then no statement runs). */
	if (e == KEFU_OK) {
		int64_t *tid = arena_calloc(a, n, sizeof *tid), *cid = arena_calloc(a, n, sizeof *cid);
		size_t nagent = 0;
		for (size_t i = 0; i < n; i++)
			if (strcmp(m[i].sender, "agent") == 0 && !m[i].conv_answered) {
				tid[nagent] = m[i].tenant_id;
				cid[nagent++] = m[i].conversation_id;
			}
		e = db_conversations_first_agent_message(db, a, tid, cid, nagent);
	}
	/* The MESSAGE is made from what was written, not read back. */
	for (size_t i = 0; i < n && e == KEFU_OK && out != NULL; i++)
		out[i] = conv_message_json(&m[i]);
	return e;
}

kefu_err conv_tx_message(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                         int64_t agent_to_notify, const char *sender, int64_t agent_user_id, const char *kind,
                         const char *text, int64_t attachment_id, json_object **message)
{
	struct message_row m = {.tenant_id = tenant_id,
	                        .conversation_id = conversation_id,
	                        .sender = sender,
	                        .agent_user_id = agent_user_id,
	                        .kind = kind,
	                        .text = text,
	                        .attachment_id = attachment_id};
	return conv_tx_messages(db, a, &m, &agent_to_notify, 1, message);
}

kefu_err conv_tx_card(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                      int64_t agent_to_notify, const char *card, json_object **message)
{
	struct message_row m = {.tenant_id = tenant_id,
	                        .conversation_id = conversation_id,
	                        .sender = "visitor",
	                        .kind = "card",
	                        .card = card};
	return conv_tx_messages(db, a, &m, &agent_to_notify, 1, message);
}

struct tell_ctx {
	kefu_arena *a;
	struct user_notice n;
};

static kefu_err tell_fn(struct kefu_db *db, void *ctx)
{
	struct tell_ctx *x = ctx;
	return db_user_notices_append(db, x->a, &x->n, 1);
}

kefu_err conv_tell_staff(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                         int64_t agent_user_id, json_object *event)
{
	int64_t *ids;
	bool *admin;
	size_t n, m = 0;
	kefu_err e = db_staff_present(db, a, tenant_id, &ids, &admin, &n);
	if (e != KEFU_OK || n == 0)
		return e;
	int64_t *to = arena_calloc(a, n, sizeof *to);
	for (size_t i = 0; i < n; i++) /* ascending, as db_staff_present gives them */
		if (admin[i] || ids[i] == agent_user_id)
			to[m++] = ids[i];
	if (m == 0)
		return KEFU_OK;
	json_object_object_add(event, "conversation_id", json_object_new_int64(conversation_id));
	struct tell_ctx x = {a,
	                     {.tenant_id = tenant_id,
	                      .users = to,
	                      .nusers = m,
	                      .body = arena_strdup(a, json_object_to_json_string(event))}};
	return db_tx(db, tell_fn, &x);
}
