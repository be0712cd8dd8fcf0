/* api-history: past conversations: a visitor's history for the side panel, the admins' search, and transcript downloads
 * (text and HTML). */
#include <json-c/json.h>
#include <string.h>

#include "domain/receipts.h"
#include "domain/transcript.h"
#include "domain/visitors.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"
#include "pages/pages.h"
#include "view/conv-json.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX     200

/* An agent reads the history of visitors they are serving now (and their
 * own conversations); admins read everything in their tenant. */
static kefu_err may_read_visitor(struct kefu_req *r, int64_t visitor_id)
{
	if (r->caller.admin)
		return KEFU_OK;
	bool yes = false;
	kefu_err e = history_agent_serves(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, visitor_id, &yes);
	return e != KEFU_OK ? e : yes ? KEFU_OK : KEFU_E_NOT_FOUND;
}

static kefu_err page(struct kefu_req *r, struct history_row *rows, size_t n, int64_t limit)
{
	/* A full page may have more after it. */
	return resp_json(r, 200,
	                 json_page(history_rows_json(rows, n), n > 0 && (int64_t)n == limit ? rows[n - 1].id : 0));
}

static kefu_err visitor_history(struct kefu_req *r)
{
	int64_t after, limit;
	kefu_err e = req_query_int(r, "after", 0, INT64_MAX, 0, &after);
	if (e == KEFU_OK)
		e = req_query_int(r, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &limit);
	struct visitor_row v;
	if (e == KEFU_OK)
		e = visitor_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &v);
	if (e == KEFU_OK)
		e = may_read_visitor(r, v.id);
	struct history_row *rows;
	size_t n;
	if (e == KEFU_OK)
		e = history_visitor(r->db, r->arena, r->caller.tenant_id, v.id, after, limit, &rows, &n);
	return e != KEFU_OK ? e : page(r, rows, n, limit);
}

/* The search's query parameters into f (q, phone, status, from, to,
 * agent_id, tag_id, after, limit): what the admins' search and an agent's
 * search of their own conversations share. */
static kefu_err search_filter(struct kefu_req *r, struct history_filter *f)
{
	static const char *const statuses[] = {"assigned", "queued", "offline", "out_of_hours", "closed", NULL};
	*f = (struct history_filter){
	    .q = req_query(r, "q"), .phone = req_query(r, "phone"), .status = req_query(r, "status")};
	kefu_err e = req_query_int(r, "after", 0, INT64_MAX, 0, &f->after);
	if (e == KEFU_OK)
		e = req_query_int(r, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &f->limit);
	if (e == KEFU_OK)
		e = req_query_int(r, "agent_id", 0, INT64_MAX, 0, &f->agent_id);
	if (e == KEFU_OK)
		e = req_query_int(r, "tag_id", 0, INT64_MAX, 0, &f->tag_id);
	if (e != KEFU_OK)
		return e;
	if (f->q && *f->q == '\0')
		f->q = NULL;
	if (f->phone && *f->phone == '\0')
		f->phone = NULL;
	if (f->status && *f->status == '\0')
		f->status = NULL;
	if (f->status) {
		size_t i = 0;
		while (statuses[i] && strcmp(statuses[i], f->status) != 0)
			i++;
		if (statuses[i] == NULL)
			return req_fail(r, KEFU_E_INVALID_FIELD, "status", NULL);
	}
	if (receipts_day_bound(r->arena, req_query(r, "from"), false, &f->from) != 0)
		return req_fail(r, KEFU_E_INVALID_FIELD, "from", "A date as YYYY-MM-DD.");
	if (receipts_day_bound(r->arena, req_query(r, "to"), true, &f->to) != 0)
		return req_fail(r, KEFU_E_INVALID_FIELD, "to", "A date as YYYY-MM-DD.");
	return KEFU_OK;
}

static kefu_err search(struct kefu_req *r)
{
	struct history_filter f;
	struct history_row *rows;
	size_t n;
	kefu_err e = search_filter(r, &f);
	if (e == KEFU_OK)
		e = history_search(r->db, r->arena, r->caller.tenant_id, &f, &rows, &n);
	return e != KEFU_OK ? e : page(r, rows, n, f.limit);
}

/* GET /agent/history: the caller's own conversations (the ones they hold
 * or held last), with the admins' filters; agent_id is always the caller,
 * admins included: the workbench searches "my" history. */
static kefu_err my_history(struct kefu_req *r)
{
	struct history_filter f;
	struct history_row *rows;
	size_t n;
	kefu_err e = search_filter(r, &f);
	if (e != KEFU_OK)
		return e;
	f.agent_id = r->caller.user_id;
	e = history_search(r->db, r->arena, r->caller.tenant_id, &f, &rows, &n);
	return e != KEFU_OK ? e : page(r, rows, n, f.limit);
}

/* The conversation for a transcript: an admin any of the tenant's; an
 * agent the ones they held, or any of a visitor they are serving now. */
static kefu_err transcript_target(struct kefu_req *r, struct history_row *h)
{
	kefu_err e = history_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], h);
	if (e != KEFU_OK || r->caller.admin || h->agent_user_id == r->caller.user_id)
		return e;
	return may_read_visitor(r, h->visitor_id);
}

static struct transcript_labels labels(struct kefu_req *r)
{
	return (struct transcript_labels){.title = page_t(r, "history.transcript"),
	                                  .visitor = page_t(r, "history.visitor"),
	                                  .system = page_t(r, "history.system"),
	                                  .agent = page_t(r, "history.agent"),
	                                  .file = page_t(r, "history.file")};
}

static void attachment(struct kefu_req *r, int64_t id, const char *ext)
{
	resp_header(r, "Content-Disposition",
	            arena_printf(r->arena, "attachment; filename=\"conversation-%lld.%s\"", (long long)id, ext));
	resp_header(r, "Cache-Control", "private, no-store");
}

static kefu_err transcript_txt(struct kefu_req *r)
{
	struct history_row h;
	struct transcript_labels l = labels(r);
	const char *text;
	size_t len;
	kefu_err e = transcript_target(r, &h);
	if (e == KEFU_OK)
		e = transcript_text(r->db, r->arena, r->caller.tenant_id, &h, &l, &text, &len);
	if (e != KEFU_OK)
		return e;
	attachment(r, h.id, "txt");
	return resp_bytes(r, 200, "text/plain; charset=utf-8", text, len);
}

static kefu_err transcript_html(struct kefu_req *r)
{
	struct history_row h;
	struct transcript_labels l = labels(r);
	json_object *d;
	kefu_err e = transcript_target(r, &h);
	if (e == KEFU_OK)
		e = transcript_data(r->db, r->arena, r->caller.tenant_id, &h, &l, &d);
	if (e != KEFU_OK)
		return e;
	attachment(r, h.id, "html");
	return resp_html(r, 200, "transcript", d);
}

const struct route api_history_routes[] = {
    {"GET", "/api/v1/agent/visitors/{id}/conversations", visitor_history, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/admin/conversations", search, AUTH_ADMIN, BODY_NONE},
    {"GET", "/api/v1/agent/history", my_history, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/agent/conversations/{id}/transcript.txt", transcript_txt, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/agent/conversations/{id}/transcript.html", transcript_html, AUTH_STAFF, BODY_NONE},
    ROUTES_END,
};
