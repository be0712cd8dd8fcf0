/* conv-stream: messages written into their conversations' and agents' streams inside the caller's transaction. */
#ifndef KEFU_DOMAIN_CONV_STREAM_H
#define KEFU_DOMAIN_CONV_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-messages.h"

/*
 * Inside a db_tx, with the conversations locked: messages m[0..n), each
 * described by its row (id, seq and created_at are filled in here), each
 * appended to its conversation's stream (as itself: see store-events.h) and
 * to the stream of agent notify[i] (0: none). The statements are the same
 * few however many messages there are, which is what makes writing a batch
 * cheap. out[i] (out may be NULL) gets the MESSAGE (caller owns).
 */
kefu_err conv_tx_messages(struct kefu_db *db, kefu_arena *a, struct message_row *m, const int64_t *notify, size_t n,
                          json_object **out);

/*
 * Inside a db_tx: add a message to the conversation and its event
 * {"type":"message","message":MESSAGE} to the conversation's stream and the
 * stream of agent_to_notify (0: none). For assigners (system messages:
 * welcome, offline) as well as the functions above. *message may be NULL;
 * otherwise the new MESSAGE (caller owns).
 */
kefu_err conv_tx_message(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                         int64_t agent_to_notify, const char *sender, int64_t agent_user_id, const char *kind,
                         const char *text, int64_t attachment_id, json_object **message);
/* The same for a visitor's card message (card: the card's JSON text). */
kefu_err conv_tx_card(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                      int64_t agent_to_notify, const char *card, json_object **message);

/*
 * Tell the staff who may have conversation c open (its assigned agent and the
 * tenant's admins, while online or away) about a staff-only change (a note, a
 * tag) as a notice in their agent streams, never in the conversation's stream
 * the visitor reads. event is the EVENT without "seq"; "conversation_id" is
 * added. Its own transaction; the change it tells of is already stored.
 */
kefu_err conv_tell_staff(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                         int64_t agent_user_id, json_object *event);

#endif
