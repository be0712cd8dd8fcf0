/* api-agent-sidebar: the workbench side panel of a conversation, linking its visitor to a contact, and the contact
 * search. */
#include <string.h>

#include <json-c/json.h>

#include "core/json-doc.h"
#include "core/utf8.h"
#include "domain/conversations.h"
#include "domain/crm.h"
#include "domain/identity.h"
#include "domain/sidebar.h"
#include "domain/visitors.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"

#define SEARCH_MAX 20

/* The conversation's visitor, when the caller may see it: its assigned agent
 * or an admin of the tenant. Anyone else gets 404, as for another tenant's. */
static kefu_err visitor_for(struct kefu_req *r, struct visitor_row *v)
{
	struct conversation_row c;
	kefu_err e = conv_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], false, &c);
	if (e != KEFU_OK)
		return e;
	if (!r->caller.admin && c.agent_user_id != r->caller.user_id)
		return KEFU_E_NOT_FOUND;
	return visitor_get(r->db, r->arena, r->caller.tenant_id, c.visitor_id, v);
}

static const struct json_field visitor_fields[] = {
    JSON_FIELD(struct visitor_row, id, I64),        JSON_FIELD(struct visitor_row, identified, BOOL),
    JSON_FIELD(struct visitor_row, name, STR),      JSON_FIELD(struct visitor_row, contact_id, ID),
    JSON_FIELD(struct visitor_row, account_id, ID),
};

static kefu_err sidebar(struct kefu_req *r)
{
	struct visitor_row v;
	json_object *o;
	kefu_err e = visitor_for(r, &v);
	if (e == KEFU_OK)
		e = sidebar_build(r->db, r->arena, r->caller.tenant_id, r->lang, &v, &o);
	if (e != KEFU_OK)
		return e;
	json_object_object_add(o, "visitor", JSON_VIEW(&v, visitor_fields));
	return resp_json(r, 200, o);
}

static kefu_err link_contact(struct kefu_req *r)
{
	struct visitor_row v;
	int64_t contact_id = 0, account_id = 0;
	const char *bad = NULL;
	kefu_err e = visitor_for(r, &v);
	if (e != KEFU_OK)
		return e;
	if ((e = jb_id(r->json, "contact_id", true, &contact_id, NULL, &bad)) != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	e = identity_link_contact(r->db, r->arena, r->caller.tenant_id, v.id, contact_id, &account_id);
	if (e == KEFU_E_NOT_FOUND)
		return req_fail(r, KEFU_E_INVALID_FIELD, "contact_id", "no such contact");
	if (e == KEFU_OK)
		e = visitor_get(r->db, r->arena, r->caller.tenant_id, v.id, &v);
	return e != KEFU_OK ? e : resp_json(r, 200, JSON_VIEW(&v, visitor_fields));
}

/* ?q=: contacts whose phone or full name starts with q. */
static kefu_err contacts(struct kefu_req *r)
{
	const char *q = req_query(r, "q");
	if (q == NULL || *q == '\0' || strlen(q) > 200)
		return req_fail(r, KEFU_E_INVALID_FIELD, "q", NULL);
	if (!utf8_valid(q, strlen(q)))
		return req_fail(r, KEFU_E_INVALID_UTF8, "q", NULL);
	static const char *const fields[] = {"phone", "full_name"};
	struct crm_record found[2 * SEARCH_MAX];
	size_t nf = 0;
	for (size_t f = 0; f < 2; f++) {
		struct crm_record *rows;
		size_t n;
		kefu_err e = crm_record_prefix(r->db, r->arena, r->caller.tenant_id, "ContactObj", fields[f], q,
		                               SEARCH_MAX, &rows, &n);
		if (e != KEFU_OK)
			return e;
		for (size_t i = 0; i < n; i++) {
			bool dup = false;
			for (size_t j = 0; j < nf && !dup; j++)
				dup = found[j].id == rows[i].id;
			if (!dup && nf < SEARCH_MAX)
				found[nf++] = rows[i];
		}
	}
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < nf; i++)
		json_object_array_add(items, crm_record_json(r->arena, &found[i]));
	return resp_json(r, 200, json_items(items));
}

const struct route api_agent_sidebar_routes[] = {
    {"GET", "/api/v1/agent/conversations/{id}/sidebar", sidebar, AUTH_STAFF, BODY_NONE},
    {"POST", "/api/v1/agent/conversations/{id}/link", link_contact, AUTH_STAFF, BODY_JSON},
    {"GET", "/api/v1/agent/crm/contacts", contacts, AUTH_STAFF, BODY_NONE},
    ROUTES_END,
};
