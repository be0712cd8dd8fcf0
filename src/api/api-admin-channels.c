/* api-admin-channels: /api/v1/admin/channels, web channels' CRUD (a resource descriptor) and the embed snippet. */
#include <json-c/json.h>

#include "api/resource.h"
#include "domain/channels.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "view/embed.h"

/* The channels' CRUD is the resource's (api/resource.h); DELETE takes the
 * API reference's empty body or {}. */
const struct resource res_channels = RESOURCE_BODIES("/api/v1/admin/channels", &channel_ops, BODY_JSON);

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
    {"GET", "/api/v1/admin/channels/{id}/embed", embed, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
