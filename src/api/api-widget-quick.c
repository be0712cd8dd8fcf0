/* api-widget-quick: the widget's quick-send buttons and the records a visitor may send with them. */
#include <string.h>

#include <json-c/json.h>

#include "domain/channels.h"
#include "domain/quick-buttons.h"
#include "domain/visitors.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"

#define PAGE_DEFAULT 20
#define PAGE_MAX     100

/* ?channel_key= must be the visitor's own channel: a token is bound to one. */
static kefu_err buttons(struct kefu_req *r)
{
	const char *key = req_query(r, "channel_key");
	struct visitor_row v;
	kefu_err e = visitor_get(r->db, r->arena, r->caller.tenant_id, r->caller.visitor_id, &v);
	if (e != KEFU_OK)
		return e;
	if (key != NULL) {
		struct channel_row c;
		e = channel_by_key(r->db, r->arena, key, &c);
		if (e == KEFU_E_NOT_FOUND || (e == KEFU_OK && c.id != v.channel_id))
			return KEFU_E_NOT_FOUND;
		if (e != KEFU_OK)
			return e;
	}
	json_object *items = json_object_new_array(), *o = json_object_new_object();
	json_object_object_add(o, "items", items);
	struct quick_button *rows;
	size_t n = 0;
	if (v.identified && (e = visitor_quick_buttons(r->db, r->arena, r->caller.tenant_id, &rows, &n)) != KEFU_OK) {
		json_object_put(o);
		return e;
	}
	for (size_t i = 0; i < n; i++) {
		if (!quick_visible(&rows[i], v.identified, v.roles, v.channel_id))
			continue;
		json_object *b = json_object_new_object();
		json_object_object_add(b, "id", json_object_new_int64(rows[i].id));
		json_object_object_add(b, "name", json_object_new_string(rows[i].name));
		json_object_object_add(b, "icon", json_object_new_string(rows[i].icon));
		json_object_object_add(b, "object", json_object_new_string(rows[i].object));
		json_object_array_add(items, b);
	}
	return resp_json(r, 200, o);
}

static kefu_err records(struct kefu_req *r)
{
	int64_t limit, after, next = 0;
	kefu_err e = req_query_int(r, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &limit);
	if (e == KEFU_OK)
		e = req_query_int(r, "after", 0, INT64_MAX - 1, 0, &after);
	if (e != KEFU_OK)
		return e;
	json_object *items;
	e = quick_records(r->db, r->arena, r->caller.tenant_id, r->caller.visitor_id, r->ids[0], after, limit, &items,
	                  &next);
	if (e != KEFU_OK)
		return e;
	return resp_json(r, 200, json_page(items, next));
}

const struct route api_widget_quick_routes[] = {
    {"GET", "/api/v1/widget/quick-buttons", buttons, AUTH_VISITOR, BODY_NONE},
    {"GET", "/api/v1/widget/quick-buttons/{id}/records", records, AUTH_VISITOR, BODY_NONE},
    ROUTES_END,
};
