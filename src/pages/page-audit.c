/* page-audit: the audit log in the console, newest first, paged by id. */
#include <string.h>

#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

#define PAGE_SIZE 50

/* Actions and object types the log records (audit_record callers), shown in
 * words; one the catalogs do not name yet is shown as recorded. */
static const char *const actions[] = {"create", "update", "delete", "erase", "generate_key", "reveal_key", "revoke"};
static const char *const objects[] = {"api_key",
                                      "canned_reply",
                                      "channel",
                                      "channel_identity",
                                      "conversation_group",
                                      "department",
                                      "group",
                                      "presence_settings",
                                      "quick_button",
                                      "retention",
                                      "rule",
                                      "sidebar",
                                      "user",
                                      "visitor_record",
                                      "webhook"};

#define NAMES(x) (sizeof(x) / sizeof *(x))

static const char *field(json_object *x, const char *name)
{
	json_object *v;
	return json_object_object_get_ex(x, name, &v) ? json_object_get_string(v) : "";
}

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
		const char *action = field(x, "action"), *object = field(x, "object_type");
		for (size_t k = 0; k < NAMES(actions); k++)
			if (strcmp(action, actions[k]) == 0)
				action = page_t(r, arena_printf(r->arena, "audit.action_%s", actions[k]));
		for (size_t k = 0; k < NAMES(objects); k++)
			if (strcmp(object, objects[k]) == 0)
				object = page_t(r, arena_printf(r->arena, "audit.object_%s", objects[k]));
		json_object_object_add(x, "action_text", json_object_new_string(action));
		json_object_object_add(x, "object_text", json_object_new_string(object));
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
