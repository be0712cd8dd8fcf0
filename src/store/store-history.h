/* store-history: SQL for past conversations: a visitor's history, the admins' search over closed ones, and transcript
 * lines. */
#ifndef KEFU_STORE_HISTORY_H
#define KEFU_STORE_HISTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A conversation as history lists show it. Strings in the call's arena. */
struct history_row {
	int64_t id, channel_id, visitor_id, agent_user_id;
	const char *channel_name, *visitor_name, *status, *agent_name;
	const char *created_at, *closed_at;
	int64_t messages;      /* how many */
	int64_t rating;        /* 1..5, 0: not rated */
	const char *last_text; /* the last message's text, or NULL */
	const char *tags;      /* JSON array text of {"id","name","color"} by name, or NULL for none */
};

/* The visitor's conversations, and those of every visitor token that
 * stands for the same person (one WebImVisitorObj record), newest first,
 * id < before (0: newest), at most limit. */
kefu_err db_history_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t before,
                            int64_t limit, struct history_row **rows, size_t *n);

/* The admins' search. Every field is optional (NULL / 0: any). */
struct history_filter {
	const char *q;         /* a substring of a message or of the visitor's name */
	const char *phone;     /* a substring of the identity's phone or a pre-chat answer */
	const char *status;    /* a conversation status, e.g. "closed" */
	const char *from, *to; /* created_at bounds, DATETIME text, [from, to) */
	int64_t agent_id;
	int64_t tag_id; /* conversations carrying this tag (conversation_tags) */
	int64_t after;  /* keyset: ids below this one (newest first) */
	int64_t limit;
};
kefu_err db_history_search(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct history_filter *f,
                           struct history_row **rows, size_t *n);

/* One conversation for a transcript. */
kefu_err db_history_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct history_row *out);

struct transcript_line {
	const char *sender, *agent_name, *kind, *text, *att_name, *created_at;
	bool removed; /* erased or purged (the message or its file): blank, not to be shown */
};
/* Every message of the conversation in order; *rows in a. */
kefu_err db_history_messages(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                             struct transcript_line **rows, size_t *n);

/* Of conversation_id: how many conversations its visitor started before it
 * (*before), and how long before its start the visitor was first seen
 * (*known_s, seconds). KEFU_E_NOT_FOUND when not the tenant's. */
kefu_err db_history_visitor_past(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                                 int64_t *before, int64_t *known_s);

/* Whether user_id holds a live (assigned) conversation with visitor_id,
 * or the visitor left a message in the tenant's inbox (which every agent
 * works through): what lets an agent read that visitor's history. */
kefu_err db_history_agent_serves(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id,
                                 int64_t visitor_id, bool *yes);

#endif
