/* api-admin-webhooks: /api/v1/admin/webhooks: the tenant's webhook subscriptions (a resource descriptor) and their
 * recent deliveries. */
#include <json-c/json.h>

#include "api/resource.h"
#include "domain/webhooks.h"
#include "http/response.h"
#include "http/router.h"
#include "store/store-webhooks.h"

#define DELIVERIES_PAGE 50

const struct resource res_webhooks = RESOURCE("/api/v1/admin/webhooks", &webhook_ops);

/* The subscription's recent deliveries with their attempts, newest first. */
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
    {"GET", "/api/v1/admin/webhooks/{id}/deliveries", deliveries, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
