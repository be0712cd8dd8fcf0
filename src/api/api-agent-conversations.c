/* api-agent-conversations: the workbench's conversations: list, agent stream and conversation events (long-poll),
 * messages, files, read, close. */
#include <json-c/json.h>
#include <stdint.h>
#include <string.h>

#include "api/conv-actions.h"
#include "api/events-poll.h"
#include "core/json-doc.h"
#include "domain/cgroups.h"
#include "domain/channels.h"
#include "domain/conversations.h"
#include "domain/tags.h"
#include "domain/visitor-facts.h"
#include "domain/visitors.h"
#include "http/app.h"
#include "http/longpoll.h"
#include "http/response.h"
#include "http/router.h"
#include "view/i18n.h"
#include "view/json.h"

/* Agents act as conv_agent_actor: anything out of their reach is 404 (the
 * conversation's existence is not the agent's business), so there is no 403
 * case for visible conversations. */

static json_object *visitor_json(int64_t id, const char *name, const char *page_url, bool identified)
{
	json_object *v = json_object_new_object();
	json_object_object_add(v, "id", json_object_new_int64(id));
	json_object_object_add(v, "name", name ? json_object_new_string(name) : NULL);
	json_object_object_add(v, "page_url", page_url ? json_object_new_string(page_url) : NULL);
	json_object_object_add(v, "identified", json_object_new_boolean(identified));
	return v;
}

/* The "facts" of AgentConversationDetail's visitor: what the conversation
 * header shows (domain/visitor-facts.h); null for what is not known. */
static const struct json_field facts_fields[] = {
    JSON_FIELD(struct conv_visitor_facts, browser, NONEMPTY),
    JSON_FIELD(struct conv_visitor_facts, browser_version, NONEMPTY),
    JSON_FIELD(struct conv_visitor_facts, os, NONEMPTY),
    JSON_FIELD(struct conv_visitor_facts, device, NONEMPTY),
    JSON_FIELD_AS("language", struct conv_visitor_facts, locale, NONEMPTY),
    JSON_FIELD(struct conv_visitor_facts, referrer, NONEMPTY),
    JSON_FIELD(struct conv_visitor_facts, page_url, NONEMPTY),
    JSON_FIELD(struct conv_visitor_facts, page_title, NONEMPTY),
    JSON_FIELD(struct conv_visitor_facts, page_since, TIME),
    JSON_FIELD(struct conv_visitor_facts, first_seen_at, TIME),
    JSON_FIELD(struct conv_visitor_facts, previous_conversations, I64),
    JSON_FIELD_AS("visits", struct conv_visitor_facts, sessions, I64),
    JSON_FIELD(struct conv_visitor_facts, live, BOOL),
    JSON_FIELD(struct conv_visitor_facts, returning, BOOL),
    JSON_FIELD(struct conv_visitor_facts, identified, BOOL),
};

static kefu_err list(struct kefu_req *r)
{
	struct agent_conversation *rows;
	size_t n;
	kefu_err e = conv_list_agent(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, &rows, &n);
	if (e != KEFU_OK)
		return e;
	json_object *convs = json_object_new_array();
	json_object **each = arena_calloc(r->arena, n + 1, sizeof *each);
	int64_t *ids = arena_calloc(r->arena, n + 1, sizeof *ids);
	for (size_t i = 0; i < n; i++) {
		const struct agent_conversation *x = &rows[i];
		json_object *c = conv_json(&x->c);
		json_object_object_add(
		    c, "visitor",
		    visitor_json(x->c.visitor_id, x->visitor_name, x->visitor_page_url, x->visitor_identified));
		json_object_object_add(c, "last_message", x->has_last ? conv_message_json(&x->last) : NULL);
		json_object_object_add(c, "unread", json_object_new_int64(x->unread));
		json_object_object_add(c, "prechat", json_tokener_parse(x->c.prechat ? x->c.prechat : "{}"));
		json_object_array_add(convs, c);
		each[i] = c;
		ids[i] = x->c.id;
	}
	if ((e = conv_tags_attach(r->db, r->arena, r->caller.tenant_id, ids, n, each)) != KEFU_OK) {
		json_object_put(convs);
		return e;
	}
	/* The tenant's conversation groups by priority, the default one (id null) last. */
	json_object *groups;
	e = conv_groups_arrange(r->db, r->arena, r->caller.tenant_id, rows, n, convs,
	                        i18n_get(r->app->i18n, r->lang, "conv.default_group"), &groups);
	if (e != KEFU_OK)
		return e;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "groups", groups);
	return resp_json(r, 200, o);
}

/* {name: label} of the channel's pre-chat form as it is now: the workbench
 * shows a visitor's answers by their labels (a removed field by its name). */
static json_object *prechat_labels(struct kefu_req *r, int64_t channel_id)
{
	struct channel_row ch;
	if (channel_get(r->db, r->arena, r->caller.tenant_id, channel_id, &ch) != KEFU_OK || ch.prechat_fields == NULL)
		return json_object_new_object();
	json_object *fields = json_tokener_parse(ch.prechat_fields);
	json_object *o = json_field_labels(fields);
	json_object_put(fields);
	return o;
}

static kefu_err get(struct kefu_req *r)
{
	struct conv_actor who = conv_agent_actor(r);
	struct conversation_row c;
	kefu_err e = conv_find(r->db, r->arena, &who, r->ids[0], &c);
	struct visitor_row v;
	struct conv_visitor_facts facts;
	if (e == KEFU_OK)
		e = visitor_get(r->db, r->arena, who.tenant_id, c.visitor_id, &v);
	if (e == KEFU_OK)
		e = conv_visitor_facts(r->db, r->arena, &c, &v, &facts);
	if (e != KEFU_OK)
		return e;
	json_object *o = conv_json(&c);
	json_object *vj = visitor_json(v.id, v.name, v.page_url, v.identified);
	json_object_object_add(vj, "locale", v.locale ? json_object_new_string(v.locale) : NULL);
	/* The host page's claims, shown as unverified by the workbench. */
	json_object_object_add(vj, "attributes", v.attributes ? json_tokener_parse(v.attributes) : NULL);
	json_object_object_add(vj, "facts", JSON_VIEW(&facts, facts_fields));
	json_object_object_add(o, "visitor", vj);
	json_object_object_add(o, "prechat", json_tokener_parse(c.prechat ? c.prechat : "{}"));
	json_object_object_add(o, "prechat_labels", prechat_labels(r, c.channel_id));
	json_object_object_add(o, "agent_read_seq", json_object_new_int64(c.agent_read_seq));
	json_object_object_add(o, "visitor_read_seq", json_object_new_int64(c.visitor_read_seq));
	return resp_json(r, 200, o);
}

static kefu_err my_events(struct kefu_req *r)
{
	int64_t after;
	int wait_s;
	kefu_err e = events_poll_params(r, &after, &wait_s);
	if (e != KEFU_OK)
		return e;
	struct poll_args args = {.stream = POLL_USER,
	                         .tenant_id = r->caller.tenant_id,
	                         .id = r->caller.user_id,
	                         .after = after,
	                         .wait_s = wait_s,
	                         .caller_id = r->caller.user_id,
	                         .whole_stream = true};
	return longpoll_serve(r, &args, conv_fetch_events);
}

static kefu_err message(struct kefu_req *r)
{
	static const char *const kinds[] = {"text", "card", NULL};
	const char *kind, *bad = NULL;
	kefu_err e = jb_enum(r->json, "kind", false, kinds, &kind, &bad);
	if (e == KEFU_OK && kind != NULL && strcmp(kind, "card") == 0)
		return req_fail(r, KEFU_E_INVALID_FIELD, "kind", "Agents send text, images and files.");
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	struct conv_actor who = conv_agent_actor(r);
	return conv_action_text(r, &who);
}

const struct route api_agent_conversations_routes[] = {
    {"GET", "/api/v1/agent/conversations", list, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/agent/events", my_events, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/agent/conversations/{id}", get, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/agent/conversations/{id}/events", conv_action_events, AUTH_STAFF, BODY_NONE},
    {"POST", "/api/v1/agent/conversations/{id}/messages", message, AUTH_STAFF, BODY_JSON},
    {"POST", "/api/v1/agent/conversations/{id}/attachments", conv_action_attachment, AUTH_STAFF, BODY_MULTIPART},
    {"POST", "/api/v1/agent/conversations/{id}/read", conv_action_read, AUTH_STAFF, BODY_JSON},
    {"POST", "/api/v1/agent/conversations/{id}/close", conv_action_close, AUTH_STAFF, BODY_JSON},
    ROUTES_END,
};
