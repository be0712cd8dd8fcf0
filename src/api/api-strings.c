/* api-strings: the workbench's workbench2.* texts in the agent's language (the page now hands them over itself). */
#include <json-c/json.h>
#include <string.h>

#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "view/i18n.h"

/* The keys without their "workbench2." prefix, as the API has always named them (the
 * workbench page ships the same texts in its data-strings, page-workbench.c).
 * A fixed list: the catalogs hold every key in every language (i18n.h), so
 * each lookup succeeds. */
static const char *const keys[] = {
    "queue",   "take",           "waiting",    "noQueue",  "transfer",    "transferTo", "toAgent",
    "toGroup", "note",           "doTransfer", "cancel",   "transferred", "inbox",      "open",
    "handled", "handle",         "handleNote", "noLeave",  "history",     "noHistory",  "transcript",
    "typing",  "read",           "rating",     "notes",    "away",        "took",       "offline",
    "online",  "visitorHistory", "canned",     "noCanned", "from",        "close",      NULL,
};

static kefu_err workbench2(struct kefu_req *r)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; keys[i]; i++) {
		const char *full = arena_printf(r->arena, "workbench2.%s", keys[i]);
		json_object_object_add(o, keys[i], json_object_new_string(i18n_get(r->app->i18n, r->lang, full)));
	}
	resp_header(r, "Cache-Control", "private, max-age=300");
	return resp_json(r, 200, o);
}

const struct route api_strings_routes[] = {
    {"GET", "/api/v1/agent/strings/workbench2", workbench2, AUTH_STAFF, BODY_NONE},
    ROUTES_END,
};
