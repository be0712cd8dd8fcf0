/* api-reports: the Reports API (summary, per agent, time series, real time), as JSON or, with format=csv, as CSV. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "domain/reports.h"
#include "http/response.h"
#include "http/router.h"
#include "view/report-json.h"

/* format: absent or "json" → false, "csv" → true; anything else refused. */
static kefu_err want_csv(struct kefu_req *r, bool *csv)
{
	const char *f = req_query(r, "format");
	*csv = f != NULL && strcmp(f, "csv") == 0;
	if (f != NULL && f[0] != '\0' && !*csv && strcmp(f, "json") != 0)
		return req_fail(r, KEFU_E_INVALID_FIELD, "format", "json or csv");
	return KEFU_OK;
}

static kefu_err query(struct kefu_req *r, struct report_query *q)
{
	struct fault f = {0};
	kefu_err e =
	    report_query_parse(r->db, r->arena, &r->actor, req_query(r, "from"), req_query(r, "to"), req_query(r, "tz"),
	                       req_query(r, "channel_id"), req_query(r, "group_id"), req_query(r, "agent_id"), q, &f);
	return e == KEFU_E_INVALID_FIELD ? req_fail_fault(r, e, &f) : e;
}

/* Answer doc as JSON, or as CSV (rows from its member list) named name.csv. */
static kefu_err answer(struct kefu_req *r, bool csv, json_object *doc, const char *list, const char *name)
{
	if (!csv)
		return resp_json(r, 200, doc);
	size_t n;
	char *text = report_csv(r->arena, doc, list, &n);
	json_object_put(doc);
	char *disp = arena_calloc(r->arena, 96, 1);
	snprintf(disp, 96, "attachment; filename=\"kefu-%s.csv\"", name);
	resp_header(r, "Content-Disposition", disp);
	return resp_bytes(r, 200, "text/csv; charset=utf-8", text, n);
}

static kefu_err summary(struct kefu_req *r)
{
	bool csv;
	struct report_query q;
	struct report_summary s;
	kefu_err e = want_csv(r, &csv);
	if (e == KEFU_OK)
		e = query(r, &q);
	if (e == KEFU_OK)
		e = report_summary(r->db, r->arena, &r->actor, &q, &s);
	return e != KEFU_OK ? e : answer(r, csv, report_summary_json(&s), NULL, "summary");
}

static kefu_err agents(struct kefu_req *r)
{
	bool csv;
	struct report_query q;
	struct report_agent *rows;
	size_t n;
	kefu_err e = want_csv(r, &csv);
	if (e == KEFU_OK)
		e = query(r, &q);
	if (e == KEFU_OK)
		e = report_agents(r->db, r->arena, &r->actor, &q, &rows, &n);
	return e != KEFU_OK ? e : answer(r, csv, report_agents_json(rows, n), "items", "agents");
}

static kefu_err timeseries(struct kefu_req *r)
{
	bool csv;
	struct report_query q;
	struct report_point *p;
	size_t n;
	struct fault f = {0};
	kefu_err e = want_csv(r, &csv);
	if (e == KEFU_OK)
		e = query(r, &q);
	if (e == KEFU_OK) {
		e = report_timeseries(r->db, r->arena, &r->actor, &q, req_query(r, "metric"), req_query(r, "interval"),
		                      &p, &n, &f);
		if (e == KEFU_E_INVALID_FIELD)
			return req_fail_fault(r, e, &f);
	}
	return e != KEFU_OK ? e : answer(r, csv, report_points_json(p, n), "points", "timeseries");
}

static kefu_err realtime(struct kefu_req *r)
{
	bool csv;
	struct report_realtime rt;
	kefu_err e = want_csv(r, &csv);
	if (e == KEFU_OK)
		e = report_realtime(r->db, r->arena, &r->actor, &rt);
	return e != KEFU_OK ? e : answer(r, csv, report_realtime_json(&rt), NULL, "realtime");
}

const struct route api_reports_routes[] = {
    {"GET", "/api/v1/reports/summary", summary, AUTH_ADMIN, BODY_NONE},
    {"GET", "/api/v1/reports/agents", agents, AUTH_ADMIN, BODY_NONE},
    {"GET", "/api/v1/reports/timeseries", timeseries, AUTH_ADMIN, BODY_NONE},
    {"GET", "/api/v1/reports/realtime", realtime, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
