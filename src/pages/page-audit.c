/* page-audit: the audit log in the console, newest first, paged by id. */
#include <string.h>

#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

#define PAGE_SIZE 50

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	int64_t after;
	kefu_err e = req_query_int(r, "after", 0, INT64_MAX, 0, &after);
	json_object *page;
	if (e == KEFU_OK)
		e = org_audit_page(r->db, r->arena, r->caller.tenant_id, after, PAGE_SIZE, &page);
	if (e != KEFU_OK)
		return e;
	json_object *items, *next, *d = page_frame(r, "audit");
	json_object_object_get_ex(page, "items", &items);
	json_object_object_get_ex(page, "next_after", &next);
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *x = json_object_array_get_idx(items, i), *sum, *actor, *type;
		json_object_object_get_ex(x, "summary", &sum);
		json_object_object_add(x, "summary_text",
		                       json_object_new_string(json_object_to_json_string_ext(
		                           sum, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)));
		json_object_object_get_ex(x, "actor", &actor);
		json_object_object_get_ex(actor, "type", &type);
		page_flag(x, "by_key", type && strcmp(json_object_get_string(type), "api_key") == 0);
	}
	json_object_object_add(d, "items", json_object_get(items));
	json_object_object_add(d, "next_href",
	                       next ? json_object_new_string(arena_printf(r->arena, "/console/audit?after=%lld",
	                                                                  (long long)json_object_get_int64(next)))
	                            : NULL);
	page_flag(d, "paged", after > 0);
	json_object_put(page);
	return page_render(r, "audit", d);
}

const struct route page_audit_routes[] = {
    {"GET", "/console/audit", list, AUTH_PAGE_ADMIN, BODY_NONE},
    ROUTES_END,
};
