/* store-privacy: SQL for one person's export and erase: the visitors of a WebImVisitorObj record and all they left. */
#ifndef KEFU_STORE_PRIVACY_H
#define KEFU_STORE_PRIVACY_H

#include <stdbool.h>

#include "store/db.h"
#include "store/store-messages.h"

/* The record's visitors (crm_visitor_records), ascending, into *ids (in a).
 * KEFU_E_NOT_FOUND when record_id is no WebImVisitorObj record of the tenant.
 * for_update locks the record row first (inside db_tx): identity attaches
 * lock it too before linking a visitor, so no visitor joins the person while
 * it is erased. */
kefu_err db_privacy_visitor_ids(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t record_id,
                                bool for_update, int64_t **ids, size_t *n);

/* A conversation as the export shows it; strings in the caller's arena. */
struct privacy_conversation {
	int64_t id, channel_id, visitor_id, agent_user_id, group_id; /* 0: none */
	const char *status, *agent_name, *prechat, *created_at, *assigned_at, *closed_at, *closed_by;
	int64_t rating_score; /* 0: not rated */
	const char *rating_comment, *rated_at;
};
/* The conversations of visitors ids[0..n) (n > 0), oldest first, with their ratings. */
kefu_err db_privacy_conversations(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                                  struct privacy_conversation **rows, size_t *nrows);
/* Every message of the conversation in stream order, as the API shows them. */
kefu_err db_privacy_messages(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                             struct message_row **rows, size_t *n);

/* What an erase changed, for its audit entry. */
struct privacy_erased {
	uint64_t conversations, messages, attachments, leave_messages, outbox;
};
/*
 * Erase the person of record_id whose visitors are ids[0..n) (n may be 0):
 * message texts and cards blanked (rows kept, removed_at set), attachment
 * bytes dropped (metadata kept, removed_at set), pre-chat answers, rating
 * comments (also in the rating events) and the notes on their conversations
 * emptied, leave-messages deleted, the visitors' identity and claimed
 * attributes cleared and their tokens replaced by a value no token hashes to,
 * the webhook outbox payloads about them redacted (undelivered ones
 * cancelled), the record and its links deleted. Conversation rows keep
 * times, status, agent and counts. Inside db_tx, after db_privacy_visitor_ids
 * with for_update.
 */
kefu_err db_privacy_erase(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t record_id, const int64_t *ids,
                          size_t n, struct privacy_erased *out);

#endif
