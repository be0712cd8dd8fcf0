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

/* Stored JSON text as an object, or fallback when absent or broken. */
static json_object *stored(const char *text, json_object *fallback)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o == NULL)
		return fallback;
	json_object_put(fallback);
	return o;
}

static json_object *opt_string(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* A registration, with what visitor insight recorded of it as it is stored:
 * the address unmasked (the export is the person's own data) and null for
 * what was never recorded, not the live list's display defaults. */
static json_object *visitor_json(const struct visitor_row *v, const struct live_row *f)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(v->id));
	json_object_object_add(o, "channel_id", json_object_new_int64(v->channel_id));
	json_object_object_add(o, "identified", json_object_new_boolean(v->identified));
	json_object_object_add(o, "name", opt_string(v->name));
	json_object_object_add(o, "roles", stored(v->roles, json_object_new_array()));
	json_object_object_add(o, "attributes", stored(v->attributes, json_object_new_object()));
	json_object_object_add(o, "page_url", opt_string(v->page_url));
	json_object_object_add(o, "referrer", opt_string(v->referrer));
	json_object_object_add(o, "locale", opt_string(v->locale));
	json_object_object_add(o, "user_agent", opt_string(v->user_agent));
	json_object_object_add(o, "contact_id", json_id(v->contact_id));
	json_object_object_add(o, "account_id", json_id(v->account_id));
	json_object_object_add(o, "created_at", json_time(v->created_at));
	json_object_object_add(o, "last_seen_at", json_time(v->last_seen_at));
	json_object *b = NULL;
	if (f->browser != NULL) {
		b = json_object_new_object();
		json_object_object_add(b, "name", json_object_new_string(f->browser));
		json_object_object_add(b, "version", opt_string(f->browser_version));
	}
	json_object_object_add(o, "browser", b);
	json_object_object_add(o, "os", opt_string(f->os));
	json_object_object_add(o, "device", opt_string(f->device));
	json_object_object_add(o, "address", opt_string(f->address));
	json_object_object_add(o, "country", opt_string(f->country));
	json_object_object_add(o, "city", opt_string(f->city));
	json_object_object_add(o, "pages_viewed", json_object_new_int64(f->pages_viewed));
	json_object_object_add(o, "sessions", json_object_new_int64(f->sessions));
	return o;
}

static json_object *conversation_json(const struct privacy_conversation *c, const struct message_row *m, size_t n,
                                      const struct note_row *notes, size_t nnotes)
{
	json_object *o = json_object_new_object(), *ms = json_object_new_array();
	json_object_object_add(o, "id", json_object_new_int64(c->id));
	json_object_object_add(o, "status", json_object_new_string(c->status));
	json_object_object_add(o, "channel_id", json_object_new_int64(c->channel_id));
	json_object_object_add(o, "visitor_id", json_object_new_int64(c->visitor_id));
	json_object_object_add(o, "agent", c->agent_user_id ? conv_agent_json(c->agent_user_id, c->agent_name) : NULL);
	json_object_object_add(o, "group_id", json_id(c->group_id));
	json_object_object_add(o, "prechat", stored(c->prechat, json_object_new_object()));
	json_object_object_add(o, "created_at", json_time(c->created_at));
	json_object_object_add(o, "assigned_at", json_time(c->assigned_at));
	json_object_object_add(o, "closed_at", json_time(c->closed_at));
	json_object_object_add(o, "closed_by", opt_string(c->closed_by));
	for (size_t i = 0; i < n; i++)
		json_object_array_add(ms, conv_message_json(&m[i]));
	json_object_object_add(o, "messages", ms);
	json_object *ns = json_object_new_array();
	for (size_t i = 0; i < nnotes; i++)
		json_object_array_add(ns, conv_note_json(&notes[i]));
	json_object_object_add(o, "notes", ns);
	return o;
}

static json_object *leave_json(const struct leave_row *l)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(l->id));
	json_object_object_add(o, "channel_id", json_object_new_int64(l->channel_id));
	json_object_object_add(o, "visitor_id", json_id(l->visitor_id));
	json_object_object_add(o, "fields", stored(l->fields, json_object_new_object()));
	json_object_object_add(o, "status", json_object_new_string(l->status));
	json_object_object_add(o, "note", opt_string(l->note));
	json_object_object_add(o, "created_at", json_time(l->created_at));
	json_object_object_add(o, "handled_at", json_time(l->handled_at));
	return o;
}

/* GET /api/v1/crm/visitors/{id}/export: everything kept about the person. */
static kefu_err export(struct kefu_req *r)
{
	struct privacy_person p;
	kefu_err e = privacy_load(r->db, r->arena, r->caller.tenant_id, r->ids[0], &p);
	if (e != KEFU_OK)
		return e;
	json_object *o = json_object_new_object(), *regs = json_object_new_array(), *convs = json_object_new_array(),
	            *ratings = json_object_new_array(), *leaves = json_object_new_array();
	for (size_t i = 0; i < p.nvisitors; i++)
		json_object_array_add(regs, visitor_json(&p.visitors[i], &p.facts[i]));
	for (size_t i = 0; i < p.nconversations; i++) {
		const struct privacy_conversation *c = &p.conversations[i];
		json_object_array_add(convs,
		                      conversation_json(c, p.messages[i], p.nmessages[i], p.notes[i], p.nnotes[i]));
		if (c->rating_score == 0)
			continue;
		json_object *x = json_object_new_object();
		json_object_object_add(x, "conversation_id", json_object_new_int64(c->id));
		json_object_object_add(x, "score", json_object_new_int64(c->rating_score));
		json_object_object_add(x, "comment", opt_string(c->rating_comment));
		json_object_object_add(x, "created_at", json_time(c->rated_at));
		json_object_array_add(ratings, x);
	}
	for (size_t i = 0; i < p.nleaves; i++)
		json_object_array_add(leaves, leave_json(&p.leaves[i]));
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
	json_object *invs = json_object_new_array();
	for (size_t i = 0; i < p.ninvitations; i++) {
		const struct invitation_row *v = &p.invitations[i];
		json_object *x = json_object_new_object();
		json_object_object_add(x, "id", json_object_new_int64(v->id));
		json_object_object_add(x, "visitor_id", json_object_new_int64(v->visitor_id));
		json_object_object_add(x, "text", opt_string(v->text));
		json_object_object_add(x, "status", json_object_new_string(v->status));
		json_object_object_add(x, "created_at", json_time(v->created_at));
		json_object_array_add(invs, x);
	}
	json_object_object_add(o, "invitations", invs);
	json_object_object_add(o, "conversations", convs);
	json_object_object_add(o, "ratings", ratings);
	json_object_object_add(o, "leave_messages", leaves);
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
