/* api-privacy: a person's export and erase (/api/v1/crm/visitors/{id}) and the tenant's retention periods
 * (/api/v1/admin/retention). */
#include <string.h>

#include <json-c/json.h>

#include "domain/conversations.h"
#include "domain/crm.h"
#include "domain/privacy.h"
#include "domain/retention.h"
#include "http/response.h"
#include "http/router.h"
#include "view/insight-json.h"
#include "view/json.h"

/* A registration, with what visitor insight recorded of it as it is stored:
 * the address unmasked (the export is the person's own data) and null for
 * what was never recorded, not the live list's display defaults. */
static const struct json_field visitor_fields[] = {
    JSON_FIELD(struct visitor_row, id, I64),          JSON_FIELD(struct visitor_row, channel_id, I64),
    JSON_FIELD(struct visitor_row, identified, BOOL), JSON_FIELD(struct visitor_row, name, STR),
    JSON_FIELD(struct visitor_row, roles, ARRAY),     JSON_FIELD(struct visitor_row, attributes, OBJECT),
    JSON_FIELD(struct visitor_row, page_url, STR),    JSON_FIELD(struct visitor_row, referrer, STR),
    JSON_FIELD(struct visitor_row, locale, STR),      JSON_FIELD(struct visitor_row, user_agent, STR),
    JSON_FIELD(struct visitor_row, contact_id, ID),   JSON_FIELD(struct visitor_row, account_id, ID),
    JSON_FIELD(struct visitor_row, created_at, TIME), JSON_FIELD(struct visitor_row, last_seen_at, TIME),
};

static json_object *facts_browser(const void *row)
{
	const struct live_row *f = row;
	if (f->browser == NULL)
		return NULL;
	json_object *b = json_object_new_object();
	json_object_object_add(b, "name", json_object_new_string(f->browser));
	json_object_object_add(b, "version", json_str(f->browser_version));
	return b;
}

static const struct json_field facts_fields[] = {
    JSON_FIELD_FN("browser", facts_browser),        JSON_FIELD(struct live_row, os, STR),
    JSON_FIELD(struct live_row, device, STR),       JSON_FIELD(struct live_row, address, STR),
    JSON_FIELD(struct live_row, country, STR),      JSON_FIELD(struct live_row, city, STR),
    JSON_FIELD(struct live_row, pages_viewed, I64), JSON_FIELD(struct live_row, sessions, I64),
};

static json_object *visitor_json(const struct visitor_row *v, const struct live_row *f)
{
	return json_fields(JSON_VIEW(v, visitor_fields), f, facts_fields, JSON_NFIELDS(facts_fields));
}

static json_object *conversation_agent(const void *row)
{
	const struct privacy_conversation *c = row;
	return c->agent_user_id ? conv_agent_json(c->agent_user_id, c->agent_name) : NULL;
}

static const struct json_field conversation_fields[] = {
    JSON_FIELD(struct privacy_conversation, id, I64),
    JSON_FIELD(struct privacy_conversation, status, STR),
    JSON_FIELD(struct privacy_conversation, channel_id, I64),
    JSON_FIELD(struct privacy_conversation, visitor_id, I64),
    JSON_FIELD_FN("agent", conversation_agent),
    JSON_FIELD(struct privacy_conversation, group_id, ID),
    JSON_FIELD(struct privacy_conversation, prechat, OBJECT),
    JSON_FIELD(struct privacy_conversation, created_at, TIME),
    JSON_FIELD(struct privacy_conversation, assigned_at, TIME),
    JSON_FIELD(struct privacy_conversation, closed_at, TIME),
    JSON_FIELD(struct privacy_conversation, closed_by, STR),
};

static json_object *conversation_json(const struct privacy_conversation *c, const struct message_row *m, size_t n,
                                      const struct note_row *notes, size_t nnotes)
{
	json_object *o = JSON_VIEW(c, conversation_fields), *ms = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(ms, conv_message_json(&m[i]));
	json_object_object_add(o, "messages", ms);
	json_object_object_add(o, "notes", conv_notes_json(notes, nnotes));
	return o;
}

static const struct json_field leave_fields[] = {
    JSON_FIELD(struct leave_row, id, I64),          JSON_FIELD(struct leave_row, channel_id, I64),
    JSON_FIELD(struct leave_row, visitor_id, ID),   JSON_FIELD(struct leave_row, fields, OBJECT),
    JSON_FIELD(struct leave_row, status, STR),      JSON_FIELD(struct leave_row, note, STR),
    JSON_FIELD(struct leave_row, created_at, TIME), JSON_FIELD(struct leave_row, handled_at, TIME),
};

static const struct json_field rating_fields[] = {
    JSON_FIELD_AS("conversation_id", struct privacy_conversation, id, I64),
    JSON_FIELD_AS("score", struct privacy_conversation, rating_score, I64),
    JSON_FIELD_AS("comment", struct privacy_conversation, rating_comment, STR),
    JSON_FIELD_AS("created_at", struct privacy_conversation, rated_at, TIME),
};

static const struct json_field invitation_fields[] = {
    JSON_FIELD(struct invitation_row, id, I64),          JSON_FIELD(struct invitation_row, visitor_id, I64),
    JSON_FIELD(struct invitation_row, text, STR),        JSON_FIELD(struct invitation_row, status, STR),
    JSON_FIELD(struct invitation_row, created_at, TIME),
};

/* GET /api/v1/crm/visitors/{id}/export: everything kept about the person. */
static kefu_err export(struct kefu_req *r)
{
	struct privacy_person p;
	kefu_err e = privacy_load(r->db, r->arena, r->caller.tenant_id, r->ids[0], &p);
	if (e != KEFU_OK)
		return e;
	json_object *o = json_object_new_object(), *regs = json_object_new_array(), *convs = json_object_new_array(),
	            *ratings = json_object_new_array();
	for (size_t i = 0; i < p.nvisitors; i++)
		json_object_array_add(regs, visitor_json(&p.visitors[i], &p.facts[i]));
	for (size_t i = 0; i < p.nconversations; i++) {
		const struct privacy_conversation *c = &p.conversations[i];
		json_object_array_add(convs,
		                      conversation_json(c, p.messages[i], p.nmessages[i], p.notes[i], p.nnotes[i]));
		if (c->rating_score != 0)
			json_object_array_add(ratings, JSON_VIEW(c, rating_fields));
	}
	json_object_object_add(o, "visitor", crm_record_json(r->arena, &p.record));
	json_object_object_add(o, "registrations", regs);
	json_object *views = json_object_new_array();
	for (size_t i = 0; i < p.nvisitors; i++)
		for (size_t k = p.npageviews[i]; k-- > 0;) { /* oldest first */
			json_object *x = insight_pageview_json(&p.pageviews[i][k]);
			json_object_object_add(x, "visitor_id", json_object_new_int64(p.visitors[i].id));
			json_object_array_add(views, x);
		}
	json_object_object_add(o, "pageviews", views);
	json_object_object_add(o, "invitations", JSON_ROWS(p.invitations, p.ninvitations, invitation_fields));
	json_object_object_add(o, "conversations", convs);
	json_object_object_add(o, "ratings", ratings);
	json_object_object_add(o, "leave_messages", JSON_ROWS(p.leaves, p.nleaves, leave_fields));
	/* Browsers save it as a file (the console's export link); API clients
	 * read the JSON as usual. */
	resp_header(r, "Content-Disposition",
	            arena_printf(r->arena, "attachment; filename=\"visitor-%lld.json\"", (long long)r->ids[0]));
	resp_header(r, "Cache-Control", "no-store");
	return resp_json(r, 200, o);
}

static kefu_err erase(struct kefu_req *r)
{
	kefu_err e = privacy_erase(r->db, r->arena, &r->actor, r->ids[0]);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

static kefu_err get_retention(struct kefu_req *r)
{
	struct retention_settings s;
	kefu_err e = retention_get(r->db, r->arena, r->caller.tenant_id, &s);
	return e != KEFU_OK ? e : resp_json(r, 200, retention_json(&s));
}

static kefu_err put_retention(struct kefu_req *r)
{
	struct retention_settings base, s;
	const char *bad = NULL;
	kefu_err e = retention_get(r->db, r->arena, r->caller.tenant_id, &base);
	if (e != KEFU_OK)
		return e;
	if ((e = retention_check(r->json, &base, &s, &bad)) != KEFU_OK)
		return req_fail(r, e, bad,
		                bad == NULL ? "a JSON object"
		                : strcmp(bad, "mask_visitor_address") == 0
		                    ? "true or false"
		                    : "a whole number of days, 0 (keep forever) to 3650");
	e = retention_save(r->db, r->arena, &r->actor, &s);
	return e != KEFU_OK ? e : resp_json(r, 200, retention_json(&s));
}

const struct route api_privacy_routes[] = {
    {"GET", "/api/v1/crm/visitors/{id}/export", export, AUTH_CRM_ADMIN, BODY_NONE},
    {"DELETE", "/api/v1/crm/visitors/{id}", erase, AUTH_CRM_ADMIN, BODY_NONE},
    {"GET", "/api/v1/admin/retention", get_retention, AUTH_ADMIN, BODY_NONE},
    {"PUT", "/api/v1/admin/retention", put_retention, AUTH_ADMIN, BODY_JSON},
    ROUTES_END,
};
