/* conv-actions: the conversation actions the widget and the workbench share, done as a given actor. */
#ifndef KEFU_CONV_ACTIONS_H
#define KEFU_CONV_ACTIONS_H

#include "core/err.h"
#include "domain/conversations.h"
#include "http/longpoll.h"
#include "http/request.h"

/* The signed-in user as a conversation actor: agents act on the
 * conversations assigned to them, admins on any of their tenant's. */
struct conv_actor conv_agent_actor(const struct kefu_req *r);
/* The visitor of a widget call as a conversation actor: the visitor's own
 * conversations only. */
struct conv_actor conv_visitor_actor(const struct kefu_req *r);
/* The "text" of a message body: 1..CONV_TEXT_MAX code points, not all
 * blank. Else the error to answer, with the field in *bad and a message in
 * *why (NULL: the field's own). */
kefu_err conv_text_of(json_object *body, const char **text, const char **bad, const char **why);
/* POST .../messages with a text body {"text"} (the caller has read "kind"). */
kefu_err conv_action_text(struct kefu_req *r, const struct conv_actor *who);
/*
 * The route handlers both APIs share, each acting as the caller (the
 * visitor of a widget call, else the signed-in user: conv_agent_actor):
 *   GET .../events?after=&wait=: the conversation's stream, parked
 *   (http/longpoll.h) until there is an event;
 *   POST .../attachments: the multipart field "file";
 *   POST .../read {"seq"}: 200 with the conversation;
 *   POST .../close: 200 with the conversation.
 */
kefu_err conv_action_events(struct kefu_req *r);
/* The long-poll fetch (http/longpoll.h) of a conversation's stream
 * (POLL_CONVERSATION) or an agent's (POLL_USER). */
kefu_err conv_fetch_events(struct kefu_req *r, const struct poll_args *args, bool final, bool *answered);
kefu_err conv_action_attachment(struct kefu_req *r);
kefu_err conv_action_read(struct kefu_req *r);
kefu_err conv_action_close(struct kefu_req *r);
/* The transfer of .../transfer and .../handover: the body's target
 * ({"user_id"} or {"group_id"}, exactly one) and, with note non-NULL, its
 * optional "note", handed to the assignment engine as the signed-in user;
 * *c is the conversation after. A refusal is recorded on r (req_fail). */
kefu_err conv_action_transfer(struct kefu_req *r, const char **note, struct conversation_row *c);

#endif
