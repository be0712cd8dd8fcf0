/* api-widget-conversations: a widget visitor's conversations: start, events (long-poll), messages, files, read, close.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/conv-actions.h"
#include "core/json-doc.h"
#include "domain/assign.h"
#include "domain/conversations.h"
#include "domain/mail.h"
#include "domain/quick-buttons.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/parked.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"
#include "view/i18n.h"

static kefu_err start(struct kefu_req *r)
{
	const char *key, *bad = NULL;
	json_object *prechat = NULL;
	int64_t group_id = 0;
	kefu_err e = jb_string(r->json, "channel_key", true, 1, 64, &key, &bad);
	if (e == KEFU_OK)
		e = jb_object(r->json, "prechat", false, &prechat, &bad);
	/* group_id (visitor choice) is checked for type only: the assignment
	 * issue validates it against the rule's choice groups and uses it. */
	if (e == KEFU_OK)
		e = jb_id(r->json, "group_id", false, &group_id, NULL, &bad);
	int64_t invitation_id = 0;
	if (e == KEFU_OK)
		e = jb_id(r->json, "invitation_id", false, &invitation_id, NULL, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	/* A visitor belongs to one channel: the one auth read with it. */
	const struct visitor_auth *va = r->caller.visitor;
	if (strcmp(key, va->channel_key) != 0)
		return KEFU_E_NOT_FOUND;
	const char *canonical;
	e = conv_prechat_check(r->arena, va->prechat_fields, prechat, &canonical, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	const struct visitor_row *v = &va->v;
	const char *lang = i18n_pick(r->app->i18n, v->locale, r->accept_language);
	struct conversation_row c;
	bool created;
	e = conv_start_invited(r->db, r->arena, r->app->i18n, lang, v->tenant_id, v->channel_id, v, canonical, group_id,
	                       invitation_id, conv_unlisted(va->tracking, va->live_ms), &c, &created);
	if (e == KEFU_E_NOT_FOUND && invitation_id != 0)
		return req_fail(r, KEFU_E_INVALID_FIELD, "invitation_id", NULL);
	/* The rule checks run inside the start (assign_new): the only field they
	 * refuse is the visitor's group choice. */
	if (e == KEFU_E_INVALID_FIELD)
		return req_fail(r, e, "group_id", NULL);
	if (e != KEFU_OK)
		return e;
	/* 201 either way: the API documents 201, and a resumed conversation is
	 * what the visitor asked for; "resumed" tells the widget which it got. */
	json_object *o = conv_json(&c);
	/* A new conversation's place was counted where it queued (the answer's
	 * moment is its commit); a resumed one's is counted now. */
	int64_t pos = c.queue_position;
	if (strcmp(c.status, "queued") == 0 && pos == 0 &&
	    assign_queue_position(r->db, r->arena, v->tenant_id, c.id, &pos) != KEFU_OK)
		pos = 0;
	if (strcmp(c.status, "queued") == 0 && pos > 0)
		json_object_object_add(o, "queue_position", json_object_new_int64(pos));
	json_object_object_add(o, "resumed", json_object_new_boolean(!created));
	return resp_json(r, 201, o);
}

static kefu_err list(struct kefu_req *r)
{
	struct conversation_row *rows;
	size_t n;
	kefu_err e = conv_list_visitor(r->db, r->arena, r->caller.tenant_id, r->caller.visitor_id, 20, &rows, &n);
	if (e != KEFU_OK)
		return e;
	return resp_json(r, 200, json_items(conv_rows_json(rows, n)));
}

static kefu_err get(struct kefu_req *r)
{
	struct conv_actor who = conv_visitor_actor(r);
	struct conversation_row c;
	kefu_err e = conv_find(r->db, r->arena, &who, r->ids[0], &c);
	if (e != KEFU_OK)
		return e;
	json_object *o = conv_json(&c);
	int64_t pos = 0;
	if (assign_queue_position(r->db, r->arena, who.tenant_id, c.id, &pos) == KEFU_OK && pos > 0)
		json_object_object_add(o, "queue_position", json_object_new_int64(pos));
	return resp_json(r, 200, o);
}

/* The visitor the post's token named made r->caller, as auth_visitor
 * would have (the answer's headers and the access log line read it). */
static void note_visitor(struct kefu_req *r, const struct conv_token_caller *t)
{
	if (!t->found)
		return;
	struct visitor_auth *va = arena_alloc(r->arena, sizeof *va);
	*va = t->visitor;
	auth_visitor_found(r, va);
}

/* A parked text post written or refused, on the batch's thread: answered as
 * the accept thread would have answered it (server_complete: the answer, its
 * headers, the access log line and the metrics). */
static void posted(void *ctx, kefu_arena *a, kefu_err e, json_object *m, const struct conv_token_caller *t)
{
	struct parked *p = ctx;
	struct kefu_req r = parked_req(p, a);
	note_visitor(&r, t);
	if (e == KEFU_OK)
		e = resp_json(&r, 201, m);
	parked_answer(p, &r, e);
}

/* A text post, the bulk of all traffic, looks its token up with the write
 * (conv_post_text_by_token): one round trip and one hand-off less. It is
 * parked: the batch's own thread answers it once it is written, and this
 * thread goes back to accept the next request instead of sleeping until
 * then (README, "Message POST, parked posts"). Anything else, or a post
 * refused before it is written, checks the token first as every widget
 * call does. */
static kefu_err message(struct kefu_req *r)
{
	json_object *kind_field;
	const char *text, *unused, *why;
	if (json_object_object_get_ex(r->json, "kind", &kind_field) &&
	    json_object_is_type(kind_field, json_type_string) &&
	    strcmp(json_object_get_string(kind_field), "text") == 0 &&
	    conv_text_of(r->json, &text, &unused, &why) == KEFU_OK) {
		struct conv_token_caller t = {.origin = r->origin, .public_url = r->app->conf.public_url};
		char hash[65];
		kefu_err e = auth_visitor_token(r, hash);
		if (e != KEFU_OK)
			return e;
		t.token_hash = hash;
		struct parked *p = parked_take(r);
		if (conv_post_text_by_token_park(r->db, &t, r->ids[0], text, posted, p))
			return KEFU_OK;
		/* Too many parked already: this one waits on its thread. */
		parked_undo(r, p);
		json_object *m;
		e = conv_post_text_by_token(r->db, r->arena, &t, r->ids[0], text, &m);
		note_visitor(r, &t);
		return e != KEFU_OK ? e : resp_json(r, 201, m);
	}
	kefu_err e = auth_visitor(r);
	if (e != KEFU_OK)
		return e;
	static const char *const kinds[] = {"text", "card", NULL};
	const char *kind, *bad = NULL;
	e = jb_enum(r->json, "kind", true, kinds, &kind, &bad);
	if (e == KEFU_OK && strcmp(kind, "card") == 0) { /* quick-send card: domain/quick-buttons.h */
		json_object *card_msg;
		e = quick_card_send(r->db, r->arena, r->caller.tenant_id, r->caller.visitor_id, r->ids[0], r->json,
		                    &card_msg, &bad);
		return e != KEFU_OK ? req_fail(r, e, bad, NULL) : resp_json(r, 201, card_msg);
	}
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	struct conv_actor who = conv_visitor_actor(r);
	return conv_action_text(r, &who);
}

/* The visitor asks for the closed conversation's transcript by mail, in
 * the widget's language (the visitor's locale, else Accept-Language). 202:
 * queued; kefu-webhookd sends it (docs/widget.md, "Transcript by e-mail"). */
static kefu_err transcript_email(struct kefu_req *r)
{
	const char *addr = NULL, *bad = NULL;
	kefu_err e = jb_string(r->json, "email", true, 1, 254, &addr, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	const char *lang = i18n_pick(r->app->i18n, r->caller.visitor->v.locale, r->accept_language);
	struct fault f = {0};
	e = mail_transcript_request(r->db, r->caller.tenant_id, r->caller.visitor_id, r->ids[0], addr, lang, &f);
	/* The limit does not run out: say a day rather than the default second. */
	if (e == KEFU_E_RATE_LIMITED)
		r->retry_after = 86400;
	if (e != KEFU_OK)
		return req_fail_fault(r, e, &f);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "queued", json_object_new_boolean(1));
	json_object_object_add(o, "email", json_object_new_string(addr));
	return resp_json(r, 202, o);
}

const struct route api_widget_conversations_routes[] = {
    {"POST", "/api/v1/widget/conversations", start, AUTH_VISITOR, BODY_JSON},
    {"GET", "/api/v1/widget/conversations", list, AUTH_VISITOR, BODY_NONE},
    {"GET", "/api/v1/widget/conversations/{id}", get, AUTH_VISITOR, BODY_NONE},
    {"GET", "/api/v1/widget/conversations/{id}/events", conv_action_events, AUTH_VISITOR, BODY_NONE},
    {"POST", "/api/v1/widget/conversations/{id}/messages", message, AUTH_VISITOR_TOKEN, BODY_JSON},
    {"POST", "/api/v1/widget/conversations/{id}/attachments", conv_action_attachment, AUTH_VISITOR, BODY_MULTIPART},
    {"POST", "/api/v1/widget/conversations/{id}/read", conv_action_read, AUTH_VISITOR, BODY_JSON},
    {"POST", "/api/v1/widget/conversations/{id}/close", conv_action_close, AUTH_VISITOR, BODY_JSON},
    {"POST", "/api/v1/widget/conversations/{id}/transcript-email", transcript_email, AUTH_VISITOR, BODY_JSON},
    ROUTES_END,
};
