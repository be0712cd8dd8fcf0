/* api-admin-channels: /api/v1/admin/channels, web channels' CRUD and the embed snippet. */
#include <string.h>

#include <json-c/json.h>

#include "domain/channels.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"
#include "view/embed.h"

static const struct json_field channel_fields[] = {
    JSON_FIELD(struct channel_row, id, I64),           JSON_FIELD(struct channel_row, key, STR),
    JSON_FIELD(struct channel_row, name, STR),         JSON_FIELD(struct channel_row, allowed_origins, ARRAY),
    JSON_FIELD(struct channel_row, style, OBJECT),     JSON_FIELD(struct channel_row, prechat_fields, ARRAY),
    JSON_FIELD(struct channel_row, notify_email, STR), JSON_FIELD(struct channel_row, tracking, BOOL),
    JSON_FIELD(struct channel_row, created_at, TIME),  JSON_FIELD(struct channel_row, updated_at, TIME),
};

/* The settings from the body; base is the stored channel for PATCH. */
static kefu_err read_settings(struct kefu_req *r, const struct channel_row *base, struct channel_settings *s)
{
	struct fault f = {0};
	struct channel_settings old;
	if (base != NULL)
		old = channel_settings_of(base);
	kefu_err e = channel_read_settings_all(r->arena, r->json, base ? &old : NULL, s, &f);
	return e == KEFU_OK ? KEFU_OK : req_fail_fault(r, e, &f);
}

static kefu_err answer(struct kefu_req *r, int status, int64_t id)
{
	struct channel_row c;
	kefu_err e = channel_get(r->db, r->arena, r->caller.tenant_id, id, &c);
	return e != KEFU_OK ? e : resp_json(r, status, JSON_VIEW(&c, channel_fields));
}

static kefu_err create(struct kefu_req *r)
{
	struct channel_settings s;
	kefu_err e = read_settings(r, NULL, &s);
	int64_t id = 0;
	if (e == KEFU_OK)
		e = channel_save(r->db, &r->actor, &id, &s);
	return e != KEFU_OK ? e : answer(r, 201, id);
}

static kefu_err list(struct kefu_req *r)
{
	struct channel_row *rows;
	size_t n;
	kefu_err e = channel_list(r->db, r->arena, r->caller.tenant_id, &rows, &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, JSON_VIEW(&rows[i], channel_fields));
	return resp_json(r, 200, json_items(items));
}

static kefu_err get(struct kefu_req *r)
{
	return answer(r, 200, r->ids[0]);
}

static kefu_err update(struct kefu_req *r)
{
	struct channel_row c;
	kefu_err e = channel_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &c);
	if (e != KEFU_OK)
		return e;
	struct channel_settings s;
	e = read_settings(r, &c, &s);
	if (e == KEFU_OK)
		e = channel_save(r->db, &r->actor, &c.id, &s);
	return e != KEFU_OK ? e : answer(r, 200, c.id);
}

static kefu_err destroy(struct kefu_req *r)
{
	kefu_err e = channel_delete(r->db, &r->actor, r->ids[0]);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

static kefu_err embed(struct kefu_req *r)
{
	struct channel_row c;
	kefu_err e = channel_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &c);
	if (e != KEFU_OK)
		return e;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "html",
	                       json_object_new_string(embed_snippet(r->arena, r->app->conf.public_url, c.key)));
	return resp_json(r, 200, o);
}

const struct route api_admin_channels_routes[] = {
    {"POST", "/api/v1/admin/channels", create, AUTH_ADMIN, BODY_JSON},
    {"GET", "/api/v1/admin/channels", list, AUTH_ADMIN, BODY_NONE},
    {"GET", "/api/v1/admin/channels/{id}", get, AUTH_ADMIN, BODY_NONE},
    {"PATCH", "/api/v1/admin/channels/{id}", update, AUTH_ADMIN, BODY_JSON},
    {"DELETE", "/api/v1/admin/channels/{id}", destroy, AUTH_ADMIN, BODY_JSON},
    {"GET", "/api/v1/admin/channels/{id}/embed", embed, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
