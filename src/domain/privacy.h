/* privacy: a person's export (everything kept about the visitors of one WebImVisitorObj record) and erase. */
#ifndef KEFU_DOMAIN_PRIVACY_H
#define KEFU_DOMAIN_PRIVACY_H

#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-crm.h"
#include "store/store-insight.h"
#include "store/store-leave-messages.h"
#include "store/store-notes.h"
#include "store/store-privacy.h"
#include "store/store-visitors.h"

/* Everything kept about one person, as rows (in the arena given). Page views
 * have no table yet: the issue that adds one fills its part of the export. */
struct privacy_person {
	struct crm_record record;
	struct visitor_row *visitors; /* the registrations: the widget visitors linked to the record */
	struct live_row *facts;       /* facts[i]: what visitor insight recorded of visitors[i] (browser, address...) */
	size_t nvisitors;
	struct privacy_conversation *conversations;
	struct message_row **messages; /* messages[i]: conversations[i]'s, nmessages[i] of them */
	size_t *nmessages, nconversations;
	struct note_row **notes; /* notes[i]: staff's notes on conversations[i], nnotes[i] of them */
	size_t *nnotes;
	struct leave_row *leaves;
	size_t nleaves;
	struct pageview_row **pageviews; /* pageviews[i]: visitors[i]'s, oldest first, npageviews[i] of them */
	size_t *npageviews;
	struct invitation_row *invitations; /* of all the visitors, by id */
	size_t ninvitations;
};

/* The person of record_id of the tenant; KEFU_E_NOT_FOUND when it is not a
 * WebImVisitorObj record of the tenant. */
kefu_err privacy_load(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t record_id,
                      struct privacy_person *out);

/* The WebImVisitorObj record a console search names: an id (digits) or an external id. */
kefu_err privacy_find(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *q, struct crm_record *out);

/*
 * Erase the person of record_id in who's tenant (db_privacy_erase says what
 * goes and what stays; open conversations are closed first, by the visitor), emit visitor.erased ({"visitor":
 * {"record_id", "visitor_ids"}}, ids only) and record the audit entry, in one transaction. KEFU_E_NOT_FOUND for a
 * record that is not the tenant's WebImVisitorObj.
 */
kefu_err privacy_erase(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t record_id);

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_privacy_visitor_ids (store/store-privacy.h). */
kefu_err privacy_visitor_ids(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t record_id, bool for_update,
                             int64_t **ids, size_t *n);

/* As db_privacy_conversations (store/store-privacy.h). */
kefu_err privacy_conversations(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                               struct privacy_conversation **rows, size_t *nrows);

#endif
