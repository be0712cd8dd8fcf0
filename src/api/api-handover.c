/* api-handover: the workbench's transfer with a note for the receiver, staff-only notes, and the directory of agents
 * and groups to transfer to. */
#include <json-c/json.h>
#include <string.h>

#include "api/conv-actions.h"
#include "core/json-doc.h"
#include "domain/assign.h"
#include "domain/conversations.h"
#include "domain/notes.h"
#include "domain/org-read.h"
#include "domain/presence.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"

/*
 * POST /agent/conversations/{id}/handover {"user_id"|"group_id", "note"?}:
 * the assignment engine's transfer (same rules and errors as .../transfer),
 * then the note, stored apart from the event stream so the visitor never
 * sees it. The note is written after the transfer committed: a note whose
 * write fails leaves a transfer without it, never a note without transfer.
 */
static kefu_err handover(struct kefu_req *r)
{
	const char *note = NULL;
	struct conversation_row c;
	kefu_err e = conv_action_transfer(r, &note, &c);
	if (e != KEFU_OK)
		return e;
	if (note && strspn(note, " \t\r\n") < strlen(note) &&
	    (e = conv_note_add(r->db, r->caller.tenant_id, c.id, r->caller.user_id, "transfer", note, NULL)) != KEFU_OK)
		return e;
	return resp_json(r, 200, conv_json(&c));
}

static kefu_err notes(struct kefu_req *r)
{
	struct conv_actor who = conv_agent_actor(r);
	struct note_row *rows;
	size_t n;
	kefu_err e = note_list(r->db, r->arena, &who, r->ids[0], &rows, &n);
	if (e != KEFU_OK)
		return e;
	return resp_json(r, 200, json_items(conv_notes_json(rows, n)));
}

/* POST .../notes {"text"}: an internal note, 201 with the NOTE. Staff only,
 * and kept off the event stream: the visitor's widget never sees it. */
static kefu_err add_note(struct kefu_req *r)
{
	const char *text = NULL, *bad = NULL;
	kefu_err e = jb_string(r->json, "text", true, 1, NOTE_TEXT_MAX, &text, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	struct conv_actor who = conv_agent_actor(r);
	struct note_row note;
	e = note_post(r->db, r->arena, &who, r->ids[0], text, &note);
	if (e == KEFU_E_INVALID_FIELD)
		return req_fail(r, e, "text", NULL);
	return e != KEFU_OK ? e : resp_json(r, 201, conv_note_json(&note));
}

/* Who and where an agent can transfer to: the tenant's users (with their
 * status) and agent groups. Names only: nothing an admin page would hide. */
/* The active count of user in loads (ascending by user id), 0 when absent. */
static int64_t active_of(const struct agent_load_row *loads, size_t n, int64_t user)
{
	for (size_t i = 0; i < n; i++)
		if (loads[i].user_id == user)
			return loads[i].active;
	return 0;
}

/* An agent of the directory: who it is, and whether it can take one more
 * (active of max; max 0: no limit) when online. */
static json_object *directory_agent(const struct user_row *u, int64_t me, int64_t active, int64_t max)
{
	bool online = u->status != NULL && strcmp(u->status, "online") == 0;
	json_object *x = json_object_new_object();
	json_object_object_add(x, "id", json_object_new_int64(u->id));
	json_object_object_add(x, "name", json_object_new_string(u->name));
	json_object_object_add(x, "status", json_str(u->status));
	json_object_object_add(x, "me", json_object_new_boolean(u->id == me));
	json_object_object_add(x, "active", json_object_new_int64(active));
	json_object_object_add(x, "capacity", max > 0 ? json_object_new_int64(max) : NULL);
	json_object_object_add(x, "available", json_object_new_boolean(online && (max == 0 || active < max)));
	return x;
}

/*
 * Who and where an agent can transfer to: the tenant's users (with their
 * status and load) and agent groups. Names only: nothing an admin page would
 * hide. "active": the user's live conversations; "capacity": the maximum under
 * the rule of ?conversation_id= (the one a transfer of it checks; null without
 * one, or when no rule limits it); "available": online and below it, i.e. a
 * transfer to them can succeed (an away or offline agent is refused, 409).
 */
static kefu_err directory(struct kefu_req *r)
{
	struct user_row *us;
	struct group_row *gs;
	struct agent_load_row *loads;
	size_t nu, ng, nl;
	int64_t conv = 0, max = 0;
	kefu_err e = req_query_int(r, "conversation_id", 1, INT64_MAX, 0, &conv);
	if (e != KEFU_OK)
		return e;
	if (conv != 0) {
		struct conv_actor who = conv_agent_actor(r);
		struct conversation_row c;
		if ((e = conv_find(r->db, r->arena, &who, conv, &c)) != KEFU_OK ||
		    (e = assign_rule_max(r->db, r->arena, r->caller.tenant_id, c.rule_id, &max)) != KEFU_OK)
			return e;
	}
	e = org_user_rows(r->db, r->arena, r->caller.tenant_id, &us, &nu);
	if (e == KEFU_OK)
		e = org_group_rows(r->db, r->arena, r->caller.tenant_id, &gs, &ng);
	if (e == KEFU_OK)
		e = presence_loads(r->db, r->arena, r->caller.tenant_id, &loads, &nl);
	if (e != KEFU_OK)
		return e;
	json_object *o = json_object_new_object(), *agents = json_object_new_array(), *groups = json_object_new_array();
	json_object_object_add(o, "agents", agents);
	json_object_object_add(o, "groups", groups);
	for (size_t i = 0; i < nu; i++)
		json_object_array_add(agents,
		                      directory_agent(&us[i], r->caller.user_id, active_of(loads, nl, us[i].id), max));
	for (size_t i = 0; i < ng; i++)
		json_object_array_add(groups, json_named(gs[i].id, gs[i].name));
	return resp_json(r, 200, o);
}

const struct route api_handover_routes[] = {
    {"POST", "/api/v1/agent/conversations/{id}/handover", handover, AUTH_STAFF, BODY_JSON},
    {"GET", "/api/v1/agent/conversations/{id}/notes", notes, AUTH_STAFF, BODY_NONE},
    {"POST", "/api/v1/agent/conversations/{id}/notes", add_note, AUTH_STAFF, BODY_JSON},
    {"GET", "/api/v1/agent/directory", directory, AUTH_STAFF, BODY_NONE},
    ROUTES_END,
};
