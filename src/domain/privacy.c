/* privacy: a person's export and erase. */
#include "domain/privacy.h"

#include <stdlib.h>
#include <string.h>

#include "core/json-doc.h"
#include "core/log.h"
#include "domain/conversations.h"
#include "domain/webhooks.h"
#include "store/store-audit.h"

kefu_err privacy_load(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t record_id,
                      struct privacy_person *out)
{
	memset(out, 0, sizeof *out);
	int64_t *ids;
	size_t n;
	kefu_err e = db_privacy_visitor_ids(db, a, tenant_id, record_id, false, &ids, &n);
	if (e == KEFU_OK)
		e = db_crm_record_get(db, a, tenant_id, record_id, &out->record);
	if (e != KEFU_OK || n == 0)
		return e;
	out->visitors = arena_calloc(a, n, sizeof *out->visitors);
	out->facts = arena_calloc(a, n, sizeof *out->facts);
	for (size_t i = 0; i < n && e == KEFU_OK; i++)
		if ((e = db_visitor_get(db, a, tenant_id, ids[i], &out->visitors[out->nvisitors])) == KEFU_OK &&
		    (e = db_live_get(db, a, tenant_id, ids[i], &out->facts[out->nvisitors])) == KEFU_OK)
			out->nvisitors++;
		else if (e == KEFU_E_NOT_FOUND)
			e = KEFU_OK; /* a link to a visitor that is gone: nothing of it is kept */
	if (e == KEFU_OK)
		e = db_privacy_conversations(db, a, tenant_id, ids, n, &out->conversations, &out->nconversations);
	if (e != KEFU_OK)
		return e;
	out->messages = arena_calloc(a, out->nconversations + 1, sizeof *out->messages);
	out->nmessages = arena_calloc(a, out->nconversations + 1, sizeof *out->nmessages);
	for (size_t i = 0; i < out->nconversations && e == KEFU_OK; i++)
		e = db_privacy_messages(db, a, tenant_id, out->conversations[i].id, &out->messages[i],
		                        &out->nmessages[i]);
	/* Staff's notes are about the person too (erasing blanks them). */
	out->notes = arena_calloc(a, out->nconversations + 1, sizeof *out->notes);
	out->nnotes = arena_calloc(a, out->nconversations + 1, sizeof *out->nnotes);
	for (size_t i = 0; i < out->nconversations && e == KEFU_OK; i++)
		e = db_note_list(db, a, tenant_id, out->conversations[i].id, &out->notes[i], &out->nnotes[i]);
	if (e == KEFU_OK)
		e = db_leave_of_visitors(db, a, tenant_id, ids, n, &out->leaves, &out->nleaves);
	/* visitor insight: each registration's page views (oldest first) and the invitations it got */
	out->pageviews = arena_calloc(a, out->nvisitors + 1, sizeof *out->pageviews);
	out->npageviews = arena_calloc(a, out->nvisitors + 1, sizeof *out->npageviews);
	for (size_t i = 0; i < out->nvisitors && e == KEFU_OK; i++) {
		struct invitation_row *inv;
		size_t ninv;
		e = db_pageviews_list(db, a, tenant_id, out->visitors[i].id, 1000000, &out->pageviews[i],
		                      &out->npageviews[i]);
		if (e == KEFU_OK)
			e = db_invitations_for_visitor(db, a, tenant_id, out->visitors[i].id, &inv, &ninv);
		if (e != KEFU_OK)
			break;
		struct invitation_row *all = arena_calloc(a, out->ninvitations + ninv + 1, sizeof *all);
		if (out->ninvitations > 0)
			memcpy(all, out->invitations, out->ninvitations * sizeof *all);
		if (ninv > 0)
			memcpy(all + out->ninvitations, inv, ninv * sizeof *all);
		out->invitations = all;
		out->ninvitations += ninv;
	}
	return e;
}

kefu_err privacy_find(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *q, struct crm_record *out)
{
	if (q == NULL || *q == '\0')
		return KEFU_E_NOT_FOUND;
	if (strspn(q, "0123456789") == strlen(q) && strlen(q) < 19) {
		kefu_err e = db_crm_record_get(db, a, tenant_id, strtoll(q, NULL, 10), out);
		if (e != KEFU_E_NOT_FOUND && (e != KEFU_OK || strcmp(out->object, "WebImVisitorObj") == 0))
			return e;
	}
	return db_crm_record_by_external(db, a, tenant_id, "WebImVisitorObj", q, false, out);
}

struct erase_ctx {
	kefu_arena *a;
	const struct actor *who;
	int64_t record_id;
};

static kefu_err erase_tx(struct kefu_db *db, void *p)
{
	struct erase_ctx *c = p;
	kefu_arena *a = c->a;
	int64_t tenant_id = c->who->tenant_id, *ids;
	size_t n;
	struct privacy_erased done;
	kefu_err e = db_privacy_visitor_ids(db, a, tenant_id, c->record_id, true, &ids, &n);
	if (e == KEFU_OK)
		e = db_privacy_erase(db, a, tenant_id, c->record_id, ids, n, &done);
	/* visitor insight: page views and what the browser said go; invitations keep their rows (counts) without text
	 */
	for (size_t i = 0; i < n && e == KEFU_OK; i++)
		if ((e = db_pageviews_erase(db, tenant_id, ids[i])) == KEFU_OK)
			e = db_invitations_erase(db, tenant_id, ids[i]);
	if (e != KEFU_OK)
		return e;
	json_object *vids = json_ids(ids, n), *v = json_object_new_object(), *payload = json_object_new_object();
	json_object_object_add(v, "record_id", json_object_new_int64(c->record_id));
	json_object_object_add(v, "visitor_ids", vids);
	json_object_object_add(payload, "visitor", v);
	e = webhook_enqueue(db, tenant_id, "visitor.erased", payload);
	if (e == KEFU_OK) {
		/* Counts and ids only: the audit log must not keep what was erased. */
		json_object *sum = json_object_new_object();
		json_object_object_add(sum, "visitor_ids", json_object_get(vids));
		json_object_object_add(sum, "conversations", json_object_new_int64((int64_t)done.conversations));
		json_object_object_add(sum, "messages", json_object_new_int64((int64_t)done.messages));
		json_object_object_add(sum, "attachments", json_object_new_int64((int64_t)done.attachments));
		json_object_object_add(sum, "leave_messages", json_object_new_int64((int64_t)done.leave_messages));
		json_object_object_add(sum, "webhook_payloads", json_object_new_int64((int64_t)done.outbox));
		e = audit_record(db, c->who, "erase", "visitor_record", c->record_id, sum);
	}
	json_object_put(payload);
	return e;
}

/* The person's open conversations end as if the visitor had closed them: the
 * agent's room and queue places are freed and the agent sees the close. Each
 * is its own transaction, before the erase (a close after it would find no
 * visitor to act as). */
static kefu_err close_open(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t record_id)
{
	int64_t *ids;
	size_t n, nc = 0;
	struct privacy_conversation *cs;
	kefu_err e = db_privacy_visitor_ids(db, a, tenant_id, record_id, false, &ids, &n);
	if (e == KEFU_OK && n > 0)
		e = db_privacy_conversations(db, a, tenant_id, ids, n, &cs, &nc);
	for (size_t i = 0; i < nc && e == KEFU_OK; i++) {
		if (strcmp(cs[i].status, "assigned") != 0 && strcmp(cs[i].status, "queued") != 0)
			continue;
		struct conv_actor who = {.kind = CONV_VISITOR, .tenant_id = tenant_id, .visitor_id = cs[i].visitor_id};
		struct conversation_row row;
		e = conv_close(db, a, &who, cs[i].id, &row);
		if (e == KEFU_E_CONFLICT || e == KEFU_E_NOT_FOUND)
			e = KEFU_OK; /* closed meanwhile */
	}
	return e;
}

kefu_err privacy_erase(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t record_id)
{
	struct erase_ctx c = {a, who, record_id};
	kefu_err e = close_open(db, a, who->tenant_id, record_id);
	int64_t *ids = NULL;
	size_t n = 0;
	/* the visitors, read before the erase unlinks them: the agents' notices about them go after it */
	if (e == KEFU_OK)
		e = db_privacy_visitor_ids(db, a, who->tenant_id, record_id, false, &ids, &n);
	if (e == KEFU_OK)
		e = db_tx(db, erase_tx, &c);
	for (size_t i = 0; i < n && e == KEFU_OK; i++)
		if (db_notices_erase(db, a, who->tenant_id, ids[i]) != KEFU_OK)
			log_warn("privacy", "tenant %lld: the agents' notices of visitor %lld stay",
			         (long long)who->tenant_id, (long long)ids[i]);
	if (e == KEFU_OK)
		log_info("privacy", "tenant %lld: visitor record %lld erased", (long long)who->tenant_id,
		         (long long)record_id);
	return e;
}

kefu_err privacy_visitor_ids(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t record_id, bool for_update,
                             int64_t **ids, size_t *n)
{
	return db_privacy_visitor_ids(db, a, tenant_id, record_id, for_update, ids, n);
}

kefu_err privacy_conversations(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                               struct privacy_conversation **rows, size_t *nrows)
{
	return db_privacy_conversations(db, a, tenant_id, ids, n, rows, nrows);
}
