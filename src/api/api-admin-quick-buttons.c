/* api-admin-quick-buttons: /api/v1/admin/quick-buttons, the widget's quick-send record buttons (CRUD). */
#include <json-c/json.h>

#include "domain/quick-buttons.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "store/store-quick-buttons.h"

static json_object *parsed(const char *text)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	return o ? o : json_object_new_array();
}

static json_object *button_json(const struct quick_button *b)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(b->id));
	json_object_object_add(o, "name", json_object_new_string(b->name));
	json_object_object_add(o, "icon", json_object_new_string(b->icon));
	json_object_object_add(o, "channel_ids", parsed(b->channel_ids));
	json_object_object_add(o, "visible_roles", parsed(b->visible_roles));
	json_object_object_add(o, "object", json_object_new_string(b->object));
	json_object_object_add(o, "filter", parsed(b->filter));
	json_object_object_add(o, "template", json_object_new_string(b->template));
	json_object_object_add(o, "created_at", json_time(b->created_at));
	json_object_object_add(o, "updated_at", json_time(b->updated_at));
	return o;
}

static kefu_err answer(struct kefu_req *r, int status, int64_t id)
{
	struct quick_button b;
	kefu_err e = db_quick_button_get(r->db, r->arena, r->caller.tenant_id, id, &b);
	return e != KEFU_OK ? e : resp_json(r, status, button_json(&b));
}

static kefu_err create(struct kefu_req *r)
{
	struct quick_button b;
	const char *bad = NULL;
	kefu_err e = quick_button_check(r->db, r->arena, r->caller.tenant_id, r->json, NULL, &b, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	b.id = 0;
	e = quick_button_save(r, "create", &b);
	return e != KEFU_OK ? e : answer(r, 201, b.id);
}

static kefu_err list(struct kefu_req *r)
{
	struct quick_button *rows;
	size_t n;
	kefu_err e = db_quick_button_list(r->db, r->arena, r->caller.tenant_id, &rows, &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array(), *o = json_object_new_object();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, button_json(&rows[i]));
	json_object_object_add(o, "items", items);
	return resp_json(r, 200, o);
}

static kefu_err get(struct kefu_req *r)
{
	return answer(r, 200, r->ids[0]);
}

static kefu_err patch(struct kefu_req *r)
{
	struct quick_button base, b;
	const char *bad = NULL;
	kefu_err e = db_quick_button_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &base);
	if (e != KEFU_OK)
		return e;
	if ((e = quick_button_check(r->db, r->arena, r->caller.tenant_id, r->json, &base, &b, &bad)) != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	e = quick_button_save(r, "update", &b);
	return e != KEFU_OK ? e : answer(r, 200, b.id);
}

static kefu_err delete(struct kefu_req *r)
{
	struct quick_button b;
	kefu_err e = db_quick_button_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &b);
	if (e == KEFU_OK)
		e = quick_button_save(r, "delete", &b);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

const struct route api_admin_quick_buttons_routes[] = {
	{"POST", "/api/v1/admin/quick-buttons", create, AUTH_ADMIN, BODY_JSON},
	{"GET", "/api/v1/admin/quick-buttons", list, AUTH_ADMIN, BODY_NONE},
	{"GET", "/api/v1/admin/quick-buttons/{id}", get, AUTH_ADMIN, BODY_NONE},
	{"PATCH", "/api/v1/admin/quick-buttons/{id}", patch, AUTH_ADMIN, BODY_JSON},
	{"DELETE", "/api/v1/admin/quick-buttons/{id}", delete, AUTH_ADMIN, BODY_NONE},
	ROUTES_END,
};
