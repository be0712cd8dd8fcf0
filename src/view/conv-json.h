/* conv-json: the JSON views of conversations, messages and their events (CONVERSATION, MESSAGE, EVENT in
 * docs/openapi.json). */
#ifndef KEFU_VIEW_CONV_JSON_H
#define KEFU_VIEW_CONV_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "store/store-conversations.h"
#include "store/store-events.h"
#include "store/store-history.h"
#include "store/store-messages.h"
#include "store/store-notes.h"

/* JSON views; each returns a new object the caller owns. */
json_object *conv_agent_json(int64_t id, const char *name);
/* A MESSAGE (docs/openapi.json). */
json_object *conv_message_json(const struct message_row *m);
/* {"id","status","agent","queue_position","channel_id","created_at","closed_at"}. */
json_object *conv_json(const struct conversation_row *c);
/* [conv_json of each of the n conversations]; new array. */
json_object *conv_rows_json(const struct conversation_row *c, size_t n);
/* One EVENT of a stream entry, with its seq (and its conversation_id when
 * with_conversation: an agent's stream mixes conversations). */
json_object *conv_event_json(const struct stream_entry *x, bool with_conversation);
/* The EVENTs of x[0..n) as an array; *next is the last entry's cursor (after when n is 0). */
json_object *conv_events_json(const struct stream_entry *x, size_t n, bool with_conversation, int64_t after,
                              int64_t *next);

/* A past conversation in the history list: {"id","status","channel": {"id","name"},"visitor": {"id","name"},"agent":
 * {"id","name"}|null, "created_at","closed_at","messages","rating": n|null,"last_text"}. New object. */
json_object *history_json(const struct history_row *h);
/* [history_json of each of the n rows]; new array. */
json_object *history_rows_json(const struct history_row *h, size_t n);

/* A NOTE (docs/openapi.json): an internal or transfer note, staff only; new object. */
json_object *conv_note_json(const struct note_row *x);
/* [conv_note_json of each of the n notes]; new array. */
json_object *conv_notes_json(const struct note_row *x, size_t n);

#endif
