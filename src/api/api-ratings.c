/* api-ratings: the visitor's satisfaction rating after close, the rating on a conversation, and the ratings report. */
#include <json-c/json.h>
#include <string.h>

#include "api/conv-actions.h"
#include "core/json-doc.h"
#include "domain/receipts.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"

static const struct json_field rating_fields[] = {
    JSON_FIELD(struct rating_row, conversation_id, I64),
    JSON_FIELD(struct rating_row, score, I64),
    JSON_FIELD(struct rating_row, comment, STR),
    JSON_FIELD_AS("agent_id", struct rating_row, agent_user_id, ID),
    JSON_FIELD(struct rating_row, created_at, TIME),
};

static kefu_err answer(struct kefu_req *r, int status, int64_t conv)
{
	struct rating_row x;
	kefu_err e = receipts_rating_get(r->db, r->arena, r->caller.tenant_id, conv, &x);
	return e != KEFU_OK ? e : resp_json(r, status, JSON_VIEW(&x, rating_fields));
}

static kefu_err rate(struct kefu_req *r)
{
	int64_t score = 0;
	const char *comment = NULL, *bad = NULL;
	kefu_err e = jb_int64(r->json, "score", true, 1, 5, &score, NULL, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "comment", false, 0, 1000, &comment, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if (comment && strspn(comment, " \t\r\n") == strlen(comment))
		comment = NULL;
	struct conv_actor who = conv_visitor_actor(r);
	e = receipts_rate(r->db, r->arena, &who, r->ids[0], (int)score, comment);
	if (e == KEFU_E_CONFLICT)
		return req_fail(r, e, NULL, "Only a closed conversation can be rated, and only once.");
	return e != KEFU_OK ? e : answer(r, 201, r->ids[0]);
}

static kefu_err widget_get(struct kefu_req *r)
{
	struct conv_actor who = conv_visitor_actor(r);
	struct conversation_row c;
	kefu_err e = conv_find(r->db, r->arena, &who, r->ids[0], &c);
	return e != KEFU_OK ? e : answer(r, 200, c.id);
}

static kefu_err agent_get(struct kefu_req *r)
{
	struct conv_actor who = conv_agent_actor(r);
	struct conversation_row c;
	kefu_err e = conv_find(r->db, r->arena, &who, r->ids[0], &c);
	return e != KEFU_OK ? e : answer(r, 200, c.id);
}

/* from / to: YYYY-MM-DD (UTC days, to inclusive). */
static kefu_err days(struct kefu_req *r, const char **from, const char **to)
{
	const char *f = req_query(r, "from"), *t = req_query(r, "to");
	if (receipts_day_bound(r->arena, f, false, from) != 0)
		return req_fail(r, KEFU_E_INVALID_FIELD, "from", "A date as YYYY-MM-DD.");
	if (receipts_day_bound(r->arena, t, true, to) != 0)
		return req_fail(r, KEFU_E_INVALID_FIELD, "to", "A date as YYYY-MM-DD.");
	return KEFU_OK;
}

static kefu_err report(struct kefu_req *r)
{
	const char *from, *to;
	json_object *o;
	kefu_err e = days(r, &from, &to);
	if (e == KEFU_OK)
		e = receipts_report(r->db, r->arena, r->caller.tenant_id, from, to, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

const struct route api_ratings_routes[] = {
    {"POST", "/api/v1/widget/conversations/{id}/rating", rate, AUTH_VISITOR, BODY_JSON},
    {"GET", "/api/v1/widget/conversations/{id}/rating", widget_get, AUTH_VISITOR, BODY_NONE},
    {"GET", "/api/v1/agent/conversations/{id}/rating", agent_get, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/admin/reports/ratings", report, AUTH_ADMIN, BODY_NONE},
    ROUTES_END,
};
