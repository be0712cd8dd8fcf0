/* page-history: the admins' conversation history: search closed (or any) conversations and download transcripts. */
#include <string.h>

#include "domain/receipts.h"
#include "domain/tags.h"
#include "domain/transcript.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"
#include "view/json.h"
#include "view/conv-json.h"

#define PAGE_SIZE 50

static void keep_query(struct kefu_req *r, json_object *form, const char *name)
{
	const char *v = req_query(r, name);
	json_object_object_add(form, name, json_object_new_string(v ? v : ""));
}

static kefu_err search(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	json_object *d = page_frame(r, "history"), *form = json_object_new_object();
	json_object_object_add(d, "form", form);
	static const char *const fields[] = {"q", "phone", "from", "to", "status", "agent_id", "tag_id", NULL};
	for (size_t i = 0; fields[i]; i++)
		keep_query(r, form, fields[i]);
	const char *status = req_query(r, "status");
	struct history_filter f = {.q = req_query(r, "q"),
	                           .phone = req_query(r, "phone"),
	                           .status = status == NULL ? "closed"
	                                     : *status      ? status
	                                                    : NULL,
	                           .limit = PAGE_SIZE};
	if (f.q && *f.q == '\0')
		f.q = NULL;
	if (f.phone && *f.phone == '\0')
		f.phone = NULL;
	kefu_err e = req_query_int(r, "after", 0, INT64_MAX, 0, &f.after);
	if (e == KEFU_OK)
		e = req_query_int(r, "agent_id", 0, INT64_MAX, 0, &f.agent_id);
	if (e == KEFU_OK)
		e = req_query_int(r, "tag_id", 0, INT64_MAX, 0, &f.tag_id);
	if (e == KEFU_OK && f.status && strcmp(f.status, "closed") != 0 && strcmp(f.status, "assigned") != 0 &&
	    strcmp(f.status, "queued") != 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "status", NULL);
	if (e == KEFU_OK && receipts_day_bound(r->arena, req_query(r, "from"), false, &f.from) != 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "from", NULL);
	if (e == KEFU_OK && receipts_day_bound(r->arena, req_query(r, "to"), true, &f.to) != 0)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "to", NULL);
	page_flag(form, "st_closed", f.status && strcmp(f.status, "closed") == 0);
	page_flag(form, "st_assigned", f.status && strcmp(f.status, "assigned") == 0);
	page_flag(form, "st_queued", f.status && strcmp(f.status, "queued") == 0);
	page_flag(form, "st_any", f.status == NULL);
	if (e != KEFU_OK) {
		if (!page_form_error(e))
			return page_fail_form(r, e, d);
		page_set_error(r, d, e, NULL);
		return page_render(r, "history", d);
	}
	json_object *agents;
	int64_t sel = f.agent_id;
	if ((e = page_user_choices(r, &sel, f.agent_id ? 1 : 0, &agents)) != KEFU_OK) {
		json_object_put(d);
		return page_fail(r, e);
	}
	json_object_object_add(d, "agents", agents);
	struct tag_row *tags;
	size_t nt;
	if ((e = tag_vocabulary(r->db, r->arena, r->caller.tenant_id, &tags, &nt)) != KEFU_OK) {
		json_object_put(d);
		return page_fail(r, e);
	}
	json_object *tj = json_object_new_array();
	for (size_t i = 0; i < nt; i++) {
		json_object *t = tag_json(&tags[i], false);
		json_object_object_add(t, "checked", json_object_new_boolean(tags[i].id == f.tag_id));
		json_object_array_add(tj, t);
	}
	json_object_object_add(d, "tags", tj);
	struct history_row *rows;
	size_t n;
	if ((e = history_search(r->db, r->arena, r->caller.tenant_id, &f, &rows, &n)) != KEFU_OK) {
		json_object_put(d);
		return page_fail(r, e);
	}
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *x = history_json(&rows[i]);
		json_object_object_add(
		    x, "txt",
		    json_object_new_string(arena_printf(r->arena, "/api/v1/agent/conversations/%lld/transcript.txt",
		                                        (long long)rows[i].id)));
		json_object_object_add(
		    x, "html",
		    json_object_new_string(arena_printf(r->arena, "/api/v1/agent/conversations/%lld/transcript.html",
		                                        (long long)rows[i].id)));
		json_object_object_add(x, "created",
		                       json_object_new_string(arena_printf(r->arena, "%.16s", rows[i].created_at)));
		json_object_object_add(x, "created_iso",
		                       json_time(rows[i].created_at)); /* shown in the viewer's zone */
		json_object_array_add(items, x);
	}
	json_object_object_add(d, "items", items);
	if (n == PAGE_SIZE) {
		/* The next page keeps every filter and moves the keyset cursor. */
		const char *qs = "";
		for (size_t i = 0; fields[i]; i++) {
			const char *v = req_query(r, fields[i]);
			char *enc;
			if (v && *v && req_url_encode(r->arena, v, &enc) == KEFU_OK)
				qs = arena_printf(r->arena, "%s%s=%s&", qs, fields[i], enc);
		}
		json_object_object_add(d, "next_href",
		                       json_object_new_string(arena_printf(r->arena, "/console/history?%safter=%lld",
		                                                           qs, (long long)rows[n - 1].id)));
	}
	return page_render(r, "history", d);
}

const struct route page_history_routes[] = {
    {"GET", "/console/history", search, AUTH_PAGE_ADMIN, BODY_NONE},
    ROUTES_END,
};
