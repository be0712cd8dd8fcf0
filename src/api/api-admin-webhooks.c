/* api-admin-webhooks: /api/v1/admin/webhooks: the tenant's webhook subscriptions (CRUD) and their recent deliveries. */
#include <json-c/json.h>

#include "domain/webhooks.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "store/store-webhooks.h"

#define DELIVERIES_PAGE 50

static kefu_err answer(struct kefu_req *r, int status, int64_t id, bool show_secret)
{
	struct webhook_row w;
	kefu_err e = db_webhook_get(r->db, r->arena, r->caller.tenant_id, id, &w);
	return e != KEFU_OK ? e : resp_json(r, status, webhook_json(&w, show_secret));
}

static kefu_err create(struct kefu_req *r)
{
	struct webhook_row w;
	const char *bad = NULL, *why = NULL;
	kefu_err e = webhook_check(r->arena, r->json, NULL, r->app->webhook_allow, &w, &bad, &why);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, why);
	e = webhook_save(r, "create", &w);
	/* The secret is shown in full once, at creation, like an API key. */
	return e != KEFU_OK ? e : answer(r, 201, w.id, true);
}

static kefu_err list(struct kefu_req *r)
{
	struct webhook_row *rows;
	size_t n;
	kefu_err e = db_webhook_list(r->db, r->arena, r->caller.tenant_id, &rows, &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array(), *o = json_object_new_object();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, webhook_json(&rows[i], false));
	json_object_object_add(o, "items", items);
	return resp_json(r, 200, o);
}

static kefu_err get(struct kefu_req *r)
{
	return answer(r, 200, r->ids[0], false);
}

static kefu_err patch(struct kefu_req *r)
{
	struct webhook_row base, w;
	const char *bad = NULL, *why = NULL;
	kefu_err e = db_webhook_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &base);
	if (e != KEFU_OK)
		return e;
	if ((e = webhook_check(r->arena, r->json, &base, r->app->webhook_allow, &w, &bad, &why)) != KEFU_OK)
		return req_fail(r, e, bad, why);
	e = webhook_save(r, "update", &w);
	return e != KEFU_OK ? e : answer(r, 200, w.id, false);
}

static kefu_err delete (struct kefu_req *r)
{
	struct webhook_row w;
	kefu_err e = db_webhook_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &w);
	if (e == KEFU_OK)
		e = webhook_save(r, "delete", &w);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

static kefu_err deliveries(struct kefu_req *r)
{
	struct webhook_row w;
	int64_t before;
	kefu_err e = req_query_int(r, "before", 0, INT64_MAX, 0, &before);
	if (e == KEFU_OK)
		e = db_webhook_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &w);
	struct webhook_delivery *rows;
	size_t n;
	if (e == KEFU_OK)
		e = db_webhook_deliveries(r->db, r->arena, r->caller.tenant_id, w.id, before, DELIVERIES_PAGE, &rows,
		                          &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array(), *o = json_object_new_object();
	for (size_t i = 0; i < n; i++) {
		json_object *d = webhook_delivery_json(&rows[i]);
		struct webhook_attempt *at;
		size_t na;
		if ((e = db_webhook_attempts(r->db, r->arena, r->caller.tenant_id, rows[i].id, &at, &na)) != KEFU_OK) {
			json_object_put(d);
			json_object_put(items);
			json_object_put(o);
			return e;
		}
		json_object *aj = json_object_new_array();
		for (size_t k = 0; k < na; k++) {
			json_object *x = json_object_new_object();
			json_object_object_add(x, "attempt", json_object_new_int64(at[k].attempt));
			json_object_object_add(x, "status_code",
			                       at[k].status_code ? json_object_new_int64(at[k].status_code) : NULL);
			json_object_object_add(x, "error", at[k].error ? json_object_new_string(at[k].error) : NULL);
			json_object_object_add(x, "duration_ms", json_object_new_int64(at[k].duration_ms));
			json_object_object_add(x, "at", json_time(at[k].created_at));
			json_object_array_add(aj, x);
		}
		json_object_object_add(d, "attempt_log", aj);
		json_object_array_add(items, d);
	}
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "next_before", n == DELIVERIES_PAGE ? json_object_new_int64(rows[n - 1].id) : NULL);
	return resp_json(r, 200, o);
}

const struct route api_admin_webhooks_routes[] = {
    {"POST", "/api/v1/admin/webhooks", create, AUTH_ADMIN, BODY_JSON},
    {"GET", "/api/v1/admin/webhooks", list, AUTH_ADMIN, BODY_NONE},
    {"GET", "/api/v1/admin/webhooks/{id}", get, AUTH_ADMIN, BODY_NONE},
    {"PATCH", "/api/v1/admin/webhooks/{id}", patch, AUTH_ADMIN, BODY_JSON},
    {"DELETE", "/api/v1/admin/webhooks/{id}", delete, AUTH_ADMIN, BODY_NONE},
    {"GET", "/api/v1/admin/webhooks/{id}/deliveries", deliveries, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
