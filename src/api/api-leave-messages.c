/* api-leave-messages: a widget visitor leaves a message when nobody can chat; agents work through the inbox. */
#include <json-c/json.h>
#include <string.h>

#include "core/json-doc.h"
#include "domain/assign.h"
#include "domain/channels.h"
#include "domain/leave-messages.h"
#include "domain/rules.h"
#include "domain/webhooks.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"

/* The labels of the leave-message form of rule_id as the rule is now (one
 * lookup per rule in a page; a deleted rule leaves the field names alone). */
static json_object *rule_labels(struct kefu_req *r, int64_t rule_id, int64_t *cached_id, json_object **cached)
{
	if (rule_id != *cached_id) {
		json_object *view = NULL, *lm, *fields = NULL;
		json_object_put(*cached);
		*cached = NULL;
		*cached_id = rule_id;
		if (rule_id && rule_view(r->db, r->arena, r->caller.tenant_id, rule_id, &view) == KEFU_OK) {
			if (json_object_object_get_ex(view, "leave_message", &lm))
				json_object_object_get_ex(lm, "fields", &fields);
			*cached = json_field_labels(fields);
		}
		json_object_put(view);
	}
	return *cached ? json_object_get(*cached) : json_object_new_object();
}

static const struct json_field leave_fields[] = {
    JSON_FIELD(struct leave_row, id, I64),          JSON_FIELD(struct leave_row, channel_id, I64),
    JSON_FIELD(struct leave_row, visitor_id, ID),   JSON_FIELD(struct leave_row, rule_id, ID),
    JSON_FIELD(struct leave_row, fields, OBJECT),   JSON_FIELD(struct leave_row, status, STR),
    JSON_FIELD(struct leave_row, handled_by, ID),   JSON_FIELD(struct leave_row, note, STR),
    JSON_FIELD(struct leave_row, created_at, TIME), JSON_FIELD(struct leave_row, handled_at, TIME),
};

static kefu_err leave(struct kefu_req *r)
{
	struct channel_row ch;
	kefu_err e = channel_by_key(r->db, r->arena, r->params[0], &ch);
	if (e == KEFU_OK && (ch.id != r->caller.channel_id || ch.tenant_id != r->caller.tenant_id))
		e = KEFU_E_NOT_FOUND; /* a visitor belongs to one channel */
	if (e != KEFU_OK)
		return e;
	struct rule rule;
	if ((e = assign_channel_rule(r->db, r->arena, ch.tenant_id, ch.id, &rule)) != KEFU_OK)
		return e;
	if (!rule.leave_enabled)
		return req_fail(r, KEFU_E_CONFLICT, NULL, "this channel does not take messages");
	json_object *fields = NULL;
	const char *bad = NULL, *canonical;
	e = jb_object(r->json, "fields", true, &fields, &bad);
	if (e == KEFU_OK)
		e = rule_leave_check(r->arena, &rule, fields, &canonical, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	int64_t id;
	struct leave_row l;
	e = leave_create(r->db, ch.tenant_id, ch.id, r->caller.visitor_id, rule.id, canonical,
	                 &id); /* + webhook, one tx */
	if (e == KEFU_OK)
		e = leave_get(r->db, r->arena, ch.tenant_id, id, &l);
	return e != KEFU_OK ? e : resp_json(r, 201, JSON_VIEW(&l, leave_fields));
}

static kefu_err inbox(struct kefu_req *r)
{
	static const char *const statuses[] = {"open", "handled", "all", NULL};
	const char *status = req_query(r, "status");
	bool ok = status == NULL;
	for (size_t i = 0; !ok && statuses[i]; i++)
		ok = strcmp(status, statuses[i]) == 0;
	if (!ok)
		return req_fail(r, KEFU_E_INVALID_FIELD, "status", NULL);
	if (status != NULL && strcmp(status, "all") == 0)
		status = NULL;
	int64_t limit;
	kefu_err e = req_query_int(r, "limit", 1, 500, 200, &limit);
	if (e != KEFU_OK)
		return e;
	struct leave_row *rows;
	size_t n;
	if ((e = leave_list(r->db, r->arena, r->caller.tenant_id, status, limit, &rows, &n)) != KEFU_OK)
		return e;
	json_object *items = json_object_new_array(), *labels = NULL;
	int64_t labels_rule = -1;
	for (size_t i = 0; i < n; i++) {
		json_object *x = JSON_VIEW(&rows[i], leave_fields);
		json_object_object_add(x, "field_labels", rule_labels(r, rows[i].rule_id, &labels_rule, &labels));
		json_object_array_add(items, x);
	}
	json_object_put(labels);
	return resp_json(r, 200, json_items(items));
}

static kefu_err handle(struct kefu_req *r)
{
	const char *note = NULL, *bad = NULL;
	kefu_err e = jb_string(r->json, "note", false, 0, 2000, &note, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	struct leave_row l;
	e = leave_handle(r->db, r->caller.tenant_id, r->ids[0], r->caller.user_id, note);
	if (e == KEFU_OK)
		e = leave_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &l);
	return e != KEFU_OK ? e : resp_json(r, 200, JSON_VIEW(&l, leave_fields));
}

const struct route api_leave_messages_routes[] = {
    {"POST", "/api/v1/widget/channels/{key}/leave-messages", leave, AUTH_VISITOR, BODY_JSON},
    {"GET", "/api/v1/agent/leave-messages", inbox, AUTH_STAFF, BODY_NONE},
    {"POST", "/api/v1/agent/leave-messages/{id}/handle", handle, AUTH_STAFF, BODY_JSON},
    ROUTES_END,
};
