/* conv-actions: events, message, file, read and close handlers shared by api-widget- and api-agent-conversations. */
#include "api/conv-actions.h"

#include <stdint.h>
#include <string.h>

#include "api/events-poll.h"
#include "core/json-doc.h"
#include "domain/assign.h"
#include "domain/receipts.h"
#include "http/longpoll.h"
#include "http/response.h"

/* Most events one answer of a conversation's stream carries; the client asks again from "next". */
#define EVENTS_PAGE 200

struct conv_actor conv_agent_actor(const struct kefu_req *r)
{
	return (struct conv_actor){.kind = CONV_AGENT,
	                           .tenant_id = r->caller.tenant_id,
	                           .user_id = r->caller.user_id,
	                           .name = r->caller.name,
	                           .admin = r->caller.admin};
}

struct conv_actor conv_visitor_actor(const struct kefu_req *r)
{
	const struct visitor_auth *va = r->caller.visitor;
	return (struct conv_actor){.kind = CONV_VISITOR,
	                           .tenant_id = r->caller.tenant_id,
	                           .visitor_id = r->caller.visitor_id,
	                           .unlisted = va != NULL && conv_unlisted(va->tracking, va->live_ms)};
}

/* The caller of a shared action: the route's auth let in a visitor on the
 * widget's paths and a signed-in user on the workbench's. */
static struct conv_actor actor_of(const struct kefu_req *r)
{
	return r->caller.kind == CALLER_VISITOR ? conv_visitor_actor(r) : conv_agent_actor(r);
}

kefu_err conv_action_transfer(struct kefu_req *r, const char **note, struct conversation_row *c)
{
	int64_t to_user = 0, to_group = 0;
	bool has_user = false, has_group = false;
	const char *bad = NULL;
	kefu_err e = jb_id(r->json, "user_id", false, &to_user, &has_user, &bad);
	if (e == KEFU_OK)
		e = jb_id(r->json, "group_id", false, &to_group, &has_group, &bad);
	if (e == KEFU_OK && note)
		e = jb_string(r->json, "note", false, 0, 1000, note, &bad);
	if (e == KEFU_OK && has_user == has_group) {
		e = KEFU_E_INVALID_FIELD; /* exactly one target */
		bad = "user_id";
	}
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	e = assign_transfer(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, r->caller.admin, r->ids[0],
	                    has_user ? to_user : 0, has_group ? to_group : 0, &bad, c);
	if (e == KEFU_E_INVALID_FIELD)
		return req_fail(r, e, bad, NULL);
	if (e == KEFU_E_CONFLICT && bad != NULL)
		return req_fail(r, e, bad, "That agent is away or offline: transfer to one of their groups instead.");
	if (e == KEFU_E_CAPACITY)
		return req_fail(r, e, NULL, "that agent is at the maximum of concurrent conversations");
	return e;
}

kefu_err conv_text_of(json_object *body, const char **text, const char **bad, const char **why)
{
	*why = NULL;
	kefu_err e = jb_string(body, "text", true, 1, CONV_TEXT_MAX, text, bad);
	if (e == KEFU_OK && strspn(*text, " \t\r\n") == strlen(*text)) {
		*bad = "text";
		*why = "The message is empty.";
		return KEFU_E_INVALID_FIELD;
	}
	return e;
}

kefu_err conv_action_text(struct kefu_req *r, const struct conv_actor *who)
{
	const char *text, *bad = NULL, *why;
	kefu_err e = conv_text_of(r->json, &text, &bad, &why);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, why);
	json_object *m;
	e = conv_post_text(r->db, r->arena, who, r->ids[0], text, &m);
	return e != KEFU_OK ? e : resp_json(r, 201, m);
}

kefu_err conv_action_attachment(struct kefu_req *r)
{
	const struct conv_actor who = actor_of(r);
	const struct mp_part *p = mp_get(&r->parts, "file");
	if (p == NULL || p->filename == NULL)
		return req_fail(r, KEFU_E_INVALID_FIELD, "file", "Send the file in the field \"file\".");
	if (p->len == 0)
		return req_fail(r, KEFU_E_INVALID_FIELD, "file", "The file is empty.");
	json_object *m;
	kefu_err e = conv_post_file(r->db, r->arena, &who, r->ids[0], p->filename, p->data, p->len, &m);
	return e != KEFU_OK ? e : resp_json(r, 201, m);
}

kefu_err conv_action_read(struct kefu_req *r)
{
	const struct conv_actor who = actor_of(r);
	int64_t seq = 0;
	const char *bad = NULL;
	kefu_err e = jb_int64(r->json, "seq", true, 0, INT64_MAX, &seq, NULL, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	struct conversation_row c;
	e = receipts_read_by(r->db, r->arena, &who, r->ids[0], seq);
	if (e == KEFU_OK)
		e = conv_find(r->db, r->arena, &who, r->ids[0], &c);
	return e != KEFU_OK ? e : resp_json(r, 200, conv_json(&c));
}

kefu_err conv_action_close(struct kefu_req *r)
{
	const struct conv_actor who = actor_of(r);
	struct conversation_row c;
	kefu_err e = conv_close(r->db, r->arena, &who, r->ids[0], &c);
	return e != KEFU_OK ? e : resp_json(r, 200, conv_json(&c));
}

kefu_err conv_fetch_events(struct kefu_req *r, const struct poll_args *args, bool final, bool *answered)
{
	json_object *events;
	int64_t next;
	kefu_err e = conv_events_after(r->db, r->arena, args->tenant_id, args->stream == POLL_USER, args->id,
	                               args->after, EVENTS_PAGE, &events, &next);
	return e != KEFU_OK ? e : events_poll_answer(r, events, next, final, answered);
}

kefu_err conv_action_events(struct kefu_req *r)
{
	const struct conv_actor who = actor_of(r);
	int64_t after;
	int wait_s;
	kefu_err e = events_poll_params(r, &after, &wait_s);
	struct conversation_row c;
	if (e == KEFU_OK)
		e = conv_find(r->db, r->arena, &who, r->ids[0], &c);
	if (e != KEFU_OK)
		return e;
	struct poll_args args = {.stream = POLL_CONVERSATION,
	                         .tenant_id = who.tenant_id,
	                         .id = c.id,
	                         .after = after,
	                         .wait_s = wait_s,
	                         .caller_id = who.kind == CONV_AGENT ? who.user_id : who.visitor_id,
	                         .whole_stream = true};
	return longpoll_serve(r, &args, conv_fetch_events);
}
