/* api-admin-webhooks: /api/v1/admin/webhooks: the tenant's webhook subscriptions (a resource descriptor) and their
 * recent deliveries. */
#include <json-c/json.h>

#include "api/resource.h"
#include "domain/webhooks.h"
#include "http/response.h"
#include "http/router.h"

#define DELIVERIES_PAGE 50

const struct resource res_webhooks = RESOURCE("/api/v1/admin/webhooks", &webhook_ops);

/* The subscription's recent deliveries with their attempts, newest first. */
static kefu_err deliveries(struct kefu_req *r)
{
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	int64_t before;
	json_object *items;
	kefu_err e = req_query_int(r, "before", 0, INT64_MAX, 0, &before);
	if (e == KEFU_OK)
		e = webhook_deliveries(&c, r->ids[0], before, DELIVERIES_PAGE, &items);
	if (e != KEFU_OK)
		return e;
	size_t n = json_object_array_length(items);
	json_object *o = json_object_new_object(), *last = json_object_array_get_idx(items, n ? n - 1 : 0);
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "next_before",
	                       n == DELIVERIES_PAGE ? json_object_get(json_object_object_get(last, "id")) : NULL);
	return resp_json(r, 200, o);
}

const struct route api_admin_webhooks_routes[] = {
    {"GET", "/api/v1/admin/webhooks/{id}/deliveries", deliveries, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
