/* conversations: starting, writing to, reading and closing conversations, each change with its events in one
 * transaction. */
#ifndef KEFU_DOMAIN_CONVERSATIONS_H
#define KEFU_DOMAIN_CONVERSATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-conversations.h"
#include "store/store-visitors.h"
#include "store/store-messages.h"
#include "domain/conv-stream.h"
#include "view/conv-json.h" /* the views of what these functions return */
#include "store/store-attachments.h"
#include "store/store-notes.h"

struct kefu_i18n;

/* Longest text message, in code points. */
#define CONV_TEXT_MAX 5000
/* Longest attachment name kept, in bytes (cut on a code point boundary). */
#define CONV_FILENAME_MAX 200

/* Who acts on a conversation. Visitors see only their own conversations;
 * agents only those assigned to them; admins every one of their tenant. */
struct conv_actor {
	enum { CONV_VISITOR, CONV_AGENT } kind;
	int64_t tenant_id;
	int64_t visitor_id; /* CONV_VISITOR */
	int64_t user_id;    /* CONV_AGENT */
	const char *name;   /* CONV_AGENT: display name, shown on the agent's messages */
	bool admin;         /* CONV_AGENT with role admin */
	bool unlisted;      /* CONV_VISITOR: on no agent's live list (conv_unlisted): a close tells the list nothing */
};

/* Whether a widget visitor is on no agent's live list, from what its
 * authentication read: its channel's visitor insight is off (no page view
 * or poll can make it live) and it was not live then. A start or close of
 * such a visitor skips the read of its list item (insight_visitor_changed),
 * which would find it not live and tell no one. */
static inline bool conv_unlisted(bool tracking, int64_t live_ms)
{
	return !tracking && live_ms < 0;
}

/*
 * Up to limit EVENTs (docs/openapi.json, with "seq") of a stream after seq
 * after, oldest first, as a new JSON array the caller owns: conversation
 * id's stream, or with of_user user id's (an agent's stream, each EVENT
 * also carrying "conversation_id"). *next is the stream's cursor: the last
 * seq returned, or after when none. The caller has checked access.
 */
kefu_err conv_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, bool of_user, int64_t id,
                           int64_t after, int limit, json_object **events, int64_t *next);

/*
 * Check a widget's pre-chat answers against the channel's prechat_fields
 * (the validated JSON array text): every answer a string; required fields
 * present and not blank; phone: 5..20 digits with optional leading +, and
 * spaces, dashes, dots or parentheses between; email: local@domain.tld
 * without spaces; select: one of the options; at most 500 code points.
 * Answers to fields the form does not have are dropped. prechat may be NULL
 * (no answers). On success *canonical is the JSON object text to store (a);
 * else KEFU_E_INVALID_FIELD with *bad = "prechat.<name>" (or "prechat").
 */
kefu_err conv_prechat_check(kefu_arena *a, const char *fields_json, json_object *prechat, const char **canonical,
                            const char **bad);

/*
 * Start a conversation for visitor v on the channel, or return the one
 * still open there (assigned or queued: *created false). A new one is
 * assigned by assign_new() in the same transaction; lang is the language
 * of system messages (the visitor's). *out is the conversation afterwards:
 * for a new one as the start left it, without assigned_at and the
 * last-message fields (the start does not read it back).
 */
kefu_err conv_start(struct kefu_db *db, kefu_arena *a, const struct kefu_i18n *i18n, const char *lang,
                    int64_t tenant_id, int64_t channel_id, const struct visitor_row *v, const char *prechat,
                    int64_t group_id, struct conversation_row *out, bool *created);
/* The same answering an invitation (docs/visitor-insight.md): the conversation goes to the inviting agent when
 * available, and the invitation becomes accepted. KEFU_E_NOT_FOUND when invitation_id is not the visitor's.
 * unlisted: conv_unlisted's answer for v (false when unknown). */
kefu_err conv_start_invited(struct kefu_db *db, kefu_arena *a, const struct kefu_i18n *i18n, const char *lang,
                            int64_t tenant_id, int64_t channel_id, const struct visitor_row *v, const char *prechat,
                            int64_t group_id, int64_t invitation_id, bool unlisted, struct conversation_row *out,
                            bool *created);

/* The conversation if the actor may see it; KEFU_E_NOT_FOUND otherwise (also
 * for another tenant's id, so existence is never revealed). */
kefu_err conv_find(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id,
                   struct conversation_row *out);

/* A text message from the actor (text already validated: 1..CONV_TEXT_MAX
 * code points). KEFU_E_NOT_FOUND as conv_find, KEFU_E_CONFLICT when closed.
 * *message is the new MESSAGE (caller owns). */
kefu_err conv_post_text(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, const char *text,
                        json_object **message);

/*
 * The same for a widget visitor known so far only by the token it sent: the
 * token is looked up in the transaction that writes the message, with the
 * other posts of its batch, instead of in a round trip of its own first.
 * KEFU_E_UNAUTHENTICATED when no visitor of a live channel holds it,
 * KEFU_E_ORIGIN when the channel does not allow origin (channel_origin_ok),
 * else as conv_post_text; t->found is set once the caller is known to be
 * the visitor found (also when the post is then refused).
 */
struct conv_token_caller {
	const char *token_hash;
	const char *origin;     /* the request's Origin header, or NULL */
	const char *public_url; /* kefu's own origin, always allowed */
	bool found;
	struct visitor_auth
	    visitor; /* valid when found: the ids and allowed_origins at least (db_visitor_caller_read) */
};
kefu_err conv_post_text_by_token(struct kefu_db *db, kefu_arena *a, struct conv_token_caller *t, int64_t id,
                                 const char *text, json_object **message);

/* How a parked post ends: e, and on KEFU_OK its new MESSAGE (the callee's
 * to put); t as conv_post_text_by_token leaves it (t->visitor valid when
 * t->found), its strings in a, which lives until done returns. Called once,
 * on the batch's thread. */
typedef void (*conv_posted_fn)(void *ctx, kefu_arena *a, kefu_err e, json_object *message,
                               const struct conv_token_caller *t);

/* As conv_post_text_by_token, but the calling thread does not wait for the
 * batch: the post (text and t's strings copied) is queued and done(ctx, ...)
 * is called once it is written or refused, on the batch's own thread
 * (store/batcher.h, batcher_park), possibly before this returns. false, and
 * done never called, when too many posts are parked already: post with
 * conv_post_text_by_token then. */
bool conv_post_text_by_token_park(struct kefu_db *db, const struct conv_token_caller *t, int64_t id, const char *text,
                                  conv_posted_fn done, void *ctx);

/* An uploaded file: type sniffed from data (image/png|jpeg|gif|webp → kind
 * image, anything else → kind file, application/octet-stream), name "" →
 * "file". KEFU_E_INVALID_FIELD (field "file") for an empty file; otherwise as
 * conv_post_text. */
kefu_err conv_post_file(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, const char *name,
                        const unsigned char *data, size_t n, json_object **message);

/* Close: status closed and the event {"type":"status","status":"closed"}.
 * KEFU_E_CONFLICT when already closed. *out is the closed conversation. */
kefu_err conv_close(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id,
                    struct conversation_row *out);

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_conversation_list_agent (store/store-conversations.h). */
kefu_err conv_list_agent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t agent_user_id,
                         struct agent_conversation **rows, size_t *n);

/* As db_conversation_list_visitor (store/store-conversations.h). */
kefu_err conv_list_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int limit,
                           struct conversation_row **rows, size_t *n);

/* As db_conversation_get (store/store-conversations.h). */
kefu_err conv_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool for_update,
                  struct conversation_row *out);

/* As db_attachment_by_id (store/store-attachments.h). */
kefu_err conv_attachment_by_id(struct kefu_db *db, kefu_arena *a, int64_t id, struct attachment_row *out);

/* As db_attachment_get (store/store-attachments.h). */
kefu_err conv_attachment_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool with_data,
                             struct attachment_row *out);

/* As db_note_add (store/store-notes.h). */
kefu_err conv_note_add(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t author_user_id,
                       const char *kind, const char *text, int64_t *id);

/* As db_note_list (store/store-notes.h). */
kefu_err conv_note_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                        struct note_row **rows, size_t *n);

#endif
