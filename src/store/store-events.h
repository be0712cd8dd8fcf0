/* store-events: appending to and reading the conversation and agent event streams. */
#ifndef KEFU_STORE_EVENTS_H
#define KEFU_STORE_EVENTS_H

#include <json-c/json.h>

#include "store/db.h"
#include "store/store-messages.h"

/*
 * Append event (the EVENT object of docs/openapi.json without "seq"; not consumed) to the
 * conversation's stream, and a pointer to it to each listed user's stream
 * (the agents who must see it: the assigned agent, both sides of a transfer).
 * Must run inside the transaction that makes the change (db_tx), so the change
 * and its event commit together. Lock order: stream_seqs rows are taken last,
 * conversation stream first, then users in ascending id. *seq may be NULL.
 */
kefu_err db_event_append(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, json_object *event,
                         const int64_t *user_ids, size_t nusers, int64_t *seq);

/*
 * Several appends in one go (a batch of messages): claim[i].count numbers
 * of stream (kind, stream_id); on return claim[i].first is the first of
 * them, the rest follow densely. claims must be distinct and sorted by (kind,
 * stream_id), which is the lock order: conversation streams ('c') before user
 * streams ('u'), each ascending, as db_event_append takes them.
 */
struct stream_claim {
	char kind; /* 'c' conversation, 'u' user */
	int64_t stream_id, tenant_id;
	int64_t count, first;
};
kefu_err db_streams_claim(struct kefu_db *db, kefu_arena *a, struct stream_claim *claim, size_t n);

/* Rows of an agent's stream, written n at a time with seqs from db_streams_claim. */
struct user_event_row {
	int64_t tenant_id, user_id, seq, conversation_id, event_seq;
};
kefu_err db_user_events_insert(struct kefu_db *db, kefu_arena *a, const struct user_event_row *rows, size_t n);

/* Rows of conversations' streams (events other than messages), written n at
 * a time with seqs from db_streams_claim; body is the EVENT without "seq". */
struct event_row {
	int64_t tenant_id, conversation_id, seq;
	const char *type, *body;
};
kefu_err db_events_insert(struct kefu_db *db, kefu_arena *a, const struct event_row *rows, size_t n);

/*
 * An entry of a conversation's stream. A message is its own event: its row in
 * messages carries its seq in the stream, and its EVENT,
 * {"type":"message","message":MESSAGE}, is made from the row when read. Every
 * other event is a row in events with its EVENT stored (without "seq").
 *
 * So in its agent's stream (since 0034): the row carries the agent
 * (stream_user_id) and its place there (stream_user_seq, numbered from the
 * same 'u' claims as user_events); an agent's stream is its user_events rows
 * and its messages merged by that place. (user_events rows written for
 * messages before 0034 point at them and are read as they were.)
 */
struct stream_entry {
	int64_t cursor; /* the seq in the stream read: the conversation's, or the agent's */
	int64_t seq;    /* the seq in the conversation's stream */
	int64_t conversation_id;
	const char *body; /* the stored EVENT; NULL for a message */
	bool is_message;
	struct message_row message; /* when is_message */
};

/* Up to limit entries of a conversation's stream with seq > after, oldest
 * first, into *out (n of them, in arena a). */
kefu_err db_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id, int64_t after,
                         int limit, struct stream_entry **out, size_t *n);

/* The highest seq handed out in a conversation's stream (0: none yet). */
kefu_err db_conversation_stream_head(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                                     int64_t *head);

/* The same for a user's (agent's) stream, with cursor > after. */
kefu_err db_user_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, int64_t after,
                              int limit, struct stream_entry **out, size_t *n);

/*
 * A visitor's own stream (GET /widget/visitors/me/events): append event (the
 * EVENT without "seq", not consumed) at the stream's next seq ('v' in
 * stream_seqs), inside the caller's transaction. *seq may be NULL.
 */
kefu_err db_visitor_event_append(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, json_object *event,
                                 int64_t *seq);
/* Up to limit entries of the visitor's stream after seq after, oldest first
 * (cursor and seq: the visitor stream's seq; body: the stored EVENT). */
kefu_err db_visitor_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                                 int64_t after, int limit, struct stream_entry **out, size_t *n);
/* Housekeeping: visitor stream entries older than hours go (a visitor reads
 * their stream while on the site; nothing there is kept for later). */
kefu_err db_visitor_events_trim(struct kefu_db *db, int64_t hours, int limit);

/*
 * Notices in the users' streams that are no conversation's event (a visitor
 * appearing, changing, leaving): the EVENT (without "seq") is stored with each
 * entry, conversation 0.
 */
/* Several notices in one go (a batch of visitor changes): each notice[i] to
 * its users (ascending, distinct), in order; the streams are claimed once
 * for all of them (db_streams_claim's lock order). In the caller's transaction. */
struct user_notice {
	int64_t tenant_id;
	const int64_t *users;
	size_t nusers;
	const char *body; /* the EVENT without "seq", as JSON text */
};
kefu_err db_user_notices_append(struct kefu_db *db, kefu_arena *a, const struct user_notice *notices, size_t n);
/* Housekeeping: notices older than minutes go (at most limit); the agent stream is not dense, so a reader
 * resuming from before them just does not see them. */
kefu_err db_user_notices_trim(struct kefu_db *db, int64_t minutes, int limit);

/* What the long-poll tailer reads: stream appends with id above the cursors,
 * oldest first. kind 'c' (an event) and 'm' (a message) → stream_id is a
 * conversation id, 'u' → a user id, 'v' → a visitor id. */
struct stream_touch {
	char kind;
	int64_t row_id;    /* events.id, messages.id, user_events.id or visitor_events.id */
	int64_t stream_id; /* conversation, user or visitor */
	int64_t seq;       /* the row's place in that stream */
	int64_t user_id;   /* a message: the agent whose stream it is in too (0: none) */
	int64_t user_seq;  /* and its place there */
};
/* The highest ids of the four tables seen. */
struct stream_heads {
	int64_t event, message, user_event, visitor_event;
};
kefu_err db_stream_touches(struct kefu_db *db, kefu_arena *a, const struct stream_heads *after, int limit,
                           struct stream_touch **out, size_t *n);
/* The highest ids now, where a fresh tailer starts. */
kefu_err db_stream_heads(struct kefu_db *db, kefu_arena *a, struct stream_heads *out);
/* The server's auto_increment_increment: 1 on a single server, the cluster
 * size on Galera (wsrep_auto_increment_control), where ids step by it. */
kefu_err db_id_step(struct kefu_db *db, kefu_arena *a, int64_t *step);

#endif
