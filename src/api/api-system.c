/* api-system: /healthz and /metrics. */
#include <json-c/json.h>
#include <string.h>

#include "domain/system.h"
#include "http/longpoll.h"
#include "http/metrics.h"
#include "http/response.h"
#include "http/router.h"

static kefu_err healthz(struct kefu_req *r)
{
	bool up = system_db_ping(r->db) == KEFU_OK;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "status", json_object_new_string(up ? "ok" : "unavailable"));
	json_object_object_add(o, "db", json_object_new_string(up ? "ok" : "unavailable"));
	if (!up)
		resp_header(r, "Retry-After", "5");
	return resp_json(r, up ? 200 : 503, o);
}

static kefu_err metrics(struct kefu_req *r)
{
	char *db_text;
	kefu_err e = system_metrics_text(r->db, r->arena, &db_text);
	if (e != KEFU_OK)
		db_text = "# the database is unavailable: no queue or load gauges\n";
	char *text = arena_printf(r->arena, "%s%s", metrics_render(r->arena, longpoll_parked()), db_text);
	return resp_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
}

const struct route api_system_routes[] = {
    {"GET", "/healthz", healthz, AUTH_NONE, BODY_NONE},
    {"GET", "/metrics", metrics, AUTH_METRICS, BODY_NONE},
    ROUTES_END,
};
