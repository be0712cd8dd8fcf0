/* store-conversations: SQL for conversations, their read state, and agent availability and load. */
#ifndef KEFU_STORE_CONVERSATIONS_H
#define KEFU_STORE_CONVERSATIONS_H

#include <stdbool.h>

#include "store/db.h"
#include "store/store-messages.h"
#include "store/store-visitors.h"

/* One conversation. Ids that are SQL NULL are 0. Strings live in the arena
 * given to the call that filled the row; NULL where the column is NULL. */
struct conversation_row {
	int64_t id, tenant_id, channel_id, visitor_id;
	const char *status;     /* assigned | queued | offline | out_of_hours | closed */
	int64_t agent_user_id;  /* 0: none */
	const char *agent_name; /* the assigned agent's name, or NULL */
	int64_t group_id, rule_id;
	const char *prechat; /* JSON object text */
	const char *created_at, *assigned_at, *closed_at, *closed_by;
	int64_t visitor_read_seq, agent_read_seq;
	int64_t invited_by;     /* not stored: a new conversation answering this agent's invitation, for assign_new */
	int64_t queue_position; /* not stored: the place assign_new queued a new conversation at (0: none) */
	bool answered;          /* an agent has written in it (first_agent_message_at is set) */
};

/* The same in one round trip that also returns what the start needs next:
 * *out is the new row as inserted with the rule and group it was routed to
 * (id, created_at; no agent or messages yet; strings in a), *webhooks whether the tenant has an enabled
 * webhook at all (none: the start skips its outbox inserts). */
kefu_err db_conversation_start(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                               int64_t visitor_id, const char *prechat, int64_t rule_id, int64_t group_id,
                               struct conversation_row *out, bool *webhooks);

/* A start to insert (db_conversations_start); a the arena of its row's strings. */
struct conv_new {
	int64_t channel_id, visitor_id, rule_id, group_id;
	const char *prechat;
	kefu_arena *a;
};
/* db_conversation_start for the n starts in[0..n) of tenant_id in one
 * statement: inserted[i] tells whether in[i]'s row was inserted, and then
 * out[i] is as db_conversation_start fills it. One not inserted is one the
 * open-conversation key refused (its visitor has one open on the channel,
 * perhaps an earlier one of in) or one whose error the single way
 * (db_conversation_start) is to meet. *webhooks as there. */
kefu_err db_conversations_start(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conv_new *in,
                                size_t n, struct conversation_row *out, bool *inserted, bool *webhooks);

/* The conversation id of tenant_id; for_update takes its row lock (inside a
 * db_tx, before changing it). KEFU_E_NOT_FOUND otherwise. */
kefu_err db_conversation_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool for_update,
                             struct conversation_row *out);

/* Several conversations at once, locked in ascending id (the lock order):
 * key[i] names conversation key[i].id of tenant key[i].tenant_id. *rows (in
 * a) are the ones found, ascending by id, without agent_name. */
struct conv_key {
	int64_t tenant_id, id;
};
kefu_err db_conversations_lock(struct kefu_db *db, kefu_arena *a, const struct conv_key *key, size_t n,
                               struct conversation_row **rows, size_t *nrows);

/*
 * db_conversations_lock for posts by staff (key[0..nkey), as there) and by
 * visitors known only by their token (conversation tok_id[i], token hash
 * tok_hash[i], i < ntok), and the latter's callers read along: one round
 * trip where a lookup and a lock were two. Each row is a conversation,
 * ascending by id, that a staff post names with its tenant or whose own
 * visitor holds one of the tokens (of a live channel); then token_hash is
 * that visitor's and caller is filled in (strings in a), else
 * token_hash is NULL. A token post with no row of its own (an unknown token,
 * someone else's or no conversation) learns which from db_visitors_auth.
 * The visitors' and channels' rows are read, not locked.
 */
struct conv_locked {
	struct conversation_row c; /* at least id, tenant_id, visitor_id, status, agent_user_id, answered */
	const char *token_hash;
	struct visitor_auth caller; /* as db_visitor_caller_read fills it */
};
kefu_err db_conversations_lock_callers(struct kefu_db *db, kefu_arena *a, const struct conv_key *key, size_t nkey,
                                       const int64_t *tok_id, const char *const *tok_hash, size_t ntok,
                                       struct conv_locked **rows, size_t *nrows);

/* The visitor's open (assigned or queued) conversation on the channel, locked;
 * KEFU_E_NOT_FOUND when there is none. */
kefu_err db_conversation_open_for_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                                          int64_t visitor_id, struct conversation_row *out);

/* The visitor's most recent conversations on any channel, newest first (for
 * resuming a widget after a reload); *rows in a. */
kefu_err db_conversation_list_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                                      int limit, struct conversation_row **rows, size_t *n);

/* status := status (queued, offline, out_of_hours), without an agent. */
kefu_err db_conversation_set_unassigned(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *status);
/*
 * A close's conversations ids[0..n) of tenant_id locked (ascending id, the
 * lock order) and read as they are, agent_name included, in one statement,
 * with the database's clock (*now: the closing time to write with
 * db_conversations_set_closed) and whether the tenant has an enabled
 * webhook (*webhooks): closed by this transaction, each row is what the
 * close answers and what its outbox row carries, with no read after the
 * UPDATE. *rows (in a): those found.
 */
kefu_err db_conversations_lock_closing(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids,
                                       size_t n, struct conversation_row **rows, size_t *nrows, const char **now,
                                       bool *webhooks);
/* status := closed at `at` (as db_conversations_lock_closing's now), with
 * who closed it (user_id 0 for a visitor or the system), for the n
 * conversations ids[0..n) of tenant_id, one statement. */
kefu_err db_conversations_set_closed(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                                     const char *closed_by, int64_t user_id, const char *at);
/* Raise one side's read mark to seq (never lowers it). agent_side false = visitor. */
kefu_err db_conversation_mark_read(struct kefu_db *db, int64_t tenant_id, int64_t id, bool agent_side, int64_t seq);

/* A line of an agent's conversation list. */
struct agent_conversation {
	struct conversation_row c;
	const char *visitor_name;     /* identified name or NULL */
	const char *visitor_page_url; /* or NULL */
	bool visitor_identified;
	int64_t unread; /* visitor messages after agent_read_seq */
	bool has_last;  /* the conversation has messages; the newest is last */
	struct message_row last;
};
/* The agent's live (assigned) conversations, most recently active first. */
kefu_err db_conversation_list_agent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t agent_user_id,
                                    struct agent_conversation **rows, size_t *n);

/* users.status of a live user (the agent's availability: online, away,
 * offline). Here and not in store-users because only assignment reads it.
 * A deleted or foreign user is left alone. */
kefu_err db_agent_set_status(struct kefu_db *db, int64_t tenant_id, int64_t user_id, const char *status);

/* Append the user's status as it now stands (users.status, status_changed_at) to agent_status_log: every
 * writer of users.status calls it in the same transaction (reports' online and away time). */
kefu_err db_status_log(struct kefu_db *db, int64_t tenant_id, int64_t user_id);

/* One more transfer of the conversation (conversations.transfers, for reports). */
kefu_err db_conversation_count_transfer(struct kefu_db *db, int64_t tenant_id, int64_t id);

/* Set first_agent_message_at, where still NULL, of conversations (tenant_ids[i], ids[i]) that just got an
 * agent's message in this transaction. */
kefu_err db_conversations_first_agent_message(struct kefu_db *db, kefu_arena *a, const int64_t *tenant_ids,
                                              const int64_t *ids, size_t n);

#endif
