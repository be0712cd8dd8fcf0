/* store-events: appending to and reading the conversation and agent event streams. */
#ifndef KEFU_STORE_EVENTS_H
#define KEFU_STORE_EVENTS_H

#include <json-c/json.h>

#include "store/db.h"

/*
 * Append event (the api.md EVENT object without "seq"; not consumed) to the
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

/* Rows of the two stream tables, written n at a time with seqs from db_streams_claim. */
struct event_row {
	int64_t tenant_id, conversation_id, seq;
	const char *type, *body; /* body: the EVENT object text without "seq" */
};
kefu_err db_events_insert(struct kefu_db *db, kefu_arena *a, const struct event_row *rows, size_t n);
struct user_event_row {
	int64_t tenant_id, user_id, seq, conversation_id, event_seq;
};
kefu_err db_user_events_insert(struct kefu_db *db, kefu_arena *a, const struct user_event_row *rows, size_t n);

/* An event object as stored in events.body. */
const char *db_event_body(json_object *event);

/*
 * Up to limit events of a conversation with seq > after, oldest first, as a
 * new JSON array of EVENT objects with "seq" (owned by the caller: put it or
 * hand it to resp_json). *next is the last seq returned, or after when none.
 */
kefu_err db_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                         int64_t after, int limit, json_object **events, int64_t *next);

/* The same for a user's (agent's) stream: each EVENT also carries
 * "conversation_id"; *next is the user stream's cursor. */
kefu_err db_user_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id,
                              int64_t after, int limit, json_object **events, int64_t *next);

/* What the long-poll tailer reads: stream appends with id above the cursors,
 * oldest first. kind 'c' → id is a conversation id, 'u' → a user id. */
struct stream_touch {
	char kind;
	int64_t row_id;    /* events.id or user_events.id */
	int64_t stream_id; /* conversation or user */
};
kefu_err db_stream_touches(struct kefu_db *db, kefu_arena *a, int64_t after_event, int64_t after_user_event,
                           int limit, struct stream_touch **out, size_t *n);
/* The highest ids now, where a fresh tailer starts. */
kefu_err db_stream_heads(struct kefu_db *db, kefu_arena *a, int64_t *event_id, int64_t *user_event_id);

#endif
