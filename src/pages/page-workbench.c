/* page-workbench: the agent workbench page; static, htdocs/workbench/ drives it over the agent API. */
#include <json-c/json.h>
#include <stddef.h>

#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "view/i18n.h"

/* The strings the workbench modules show (their t() keys, checked by tools/i18n), handed over in one data
 * attribute (CSP allows no inline script, and templates keep <script> bodies static). */
static const char *const js_keys[] = {
    "workbench.no_conversations",
    "workbench.select_conversation",
    "workbench.confirm_close",
    "workbench.closed",
    "workbench.visitor_n",
    "workbench.new_conversation",
    "workbench.new_message",
    "workbench.image",
    "workbench.file",
    "workbench.prechat",
    "workbench.page",
    "workbench.identified",
    "workbench.guest",
    "workbench.reconnecting",
    "workbench.send_failed",
    "workbench.upload_failed",
    "workbench.too_large",
    "workbench.assigned",
    "workbench.status_closed",
    "workbench.status_offline",
    "workbench.visitor",
    "workbench.system",
    "workbench.download",
    "workbench.unread",
    "workbench.title",
    "workbench.left_transferred",
    "workbench.left_gone",
    "workbench.crm_title",
    "workbench.crm_none",
    "workbench.crm_link",
    "workbench.crm_search",
    "workbench.crm_unverified",
    "status.online",
    "status.away",
    "status.offline",
    "workbench2.queue",
    "workbench2.take",
    "workbench2.waiting",
    "workbench2.noQueue",
    "workbench2.transfer",
    "workbench2.transferTo",
    "workbench2.toAgent",
    "workbench2.toGroup",
    "workbench2.note",
    "workbench2.doTransfer",
    "workbench2.cancel",
    "workbench2.transferred",
    "workbench2.inbox",
    "workbench2.open",
    "workbench2.handled",
    "workbench2.handle",
    "workbench2.handleNote",
    "workbench2.noLeave",
    "workbench2.history",
    "workbench2.noHistory",
    "workbench2.transcript",
    "workbench2.typing",
    "workbench2.read",
    "workbench2.rating",
    "workbench2.notes",
    "workbench2.away",
    "workbench2.took",
    "workbench2.visitorHistory",
    "workbench2.canned",
    "workbench2.noCanned",
    "workbench2.from",
    "workbench2.close",
    "visitors.accepted",
    "visitors.address",
    "visitors.browsing",
    "visitors.cancel",
    "visitors.channel",
    "visitors.close",
    "visitors.col_actions",
    "visitors.col_device",
    "visitors.col_page",
    "visitors.col_pages",
    "visitors.col_referrer",
    "visitors.col_status",
    "visitors.col_time",
    "visitors.col_visitor",
    "visitors.conv_closed",
    "visitors.conv_open",
    "visitors.conversations",
    "visitors.count",
    "visitors.crm",
    "visitors.device_desktop",
    "visitors.device_mobile",
    "visitors.device_tablet",
    "visitors.direct",
    "visitors.dismissed",
    "visitors.empty",
    "visitors.first_seen",
    "visitors.identity",
    "visitors.in_conversation",
    "visitors.invite",
    "visitors.invite_capacity",
    "visitors.invite_empty",
    "visitors.invite_gone",
    "visitors.invite_hint",
    "visitors.invite_send",
    "visitors.invite_sent",
    "visitors.invite_text",
    "visitors.invite_title",
    "visitors.invited",
    "visitors.left",
    "visitors.locale",
    "visitors.next",
    "visitors.no",
    "visitors.no_conversations",
    "visitors.no_crm",
    "visitors.no_pages",
    "visitors.page",
    "visitors.pages_nav",
    "visitors.prev",
    "visitors.profile",
    "visitors.profile_of",
    "visitors.profile_title",
    "visitors.returning",
    "visitors.title",
    "visitors.toggle",
    "visitors.trail",
    "visitors.transcript",
    "visitors.yes",
};

static kefu_err workbench(struct kefu_req *r)
{
	json_object *strings = json_object_new_object();
	for (size_t i = 0; i < sizeof js_keys / sizeof *js_keys; i++)
		json_object_object_add(strings, js_keys[i],
		                       json_object_new_string(i18n_get(r->app->i18n, r->lang, js_keys[i])));
	json_object *d = json_object_new_object();
	json_object_object_add(d, "user_id", json_object_new_int64(r->caller.user_id));
	json_object_object_add(d, "user_name", json_object_new_string(r->caller.name ? r->caller.name : ""));
	json_object_object_add(d, "role", json_object_new_string(r->caller.role ? r->caller.role : "agent"));
	json_object_object_add(d, "csrf", json_object_new_string(r->caller.csrf ? r->caller.csrf : ""));
	json_object_object_add(d, "strings",
	                       json_object_new_string(json_object_to_json_string_ext(strings, JSON_C_TO_STRING_PLAIN)));
	json_object_put(strings);
	return resp_html(r, 200, "workbench", d);
}

const struct route page_workbench_routes[] = {
    {"GET", "/workbench", workbench, AUTH_PAGE_STAFF, BODY_NONE},
    ROUTES_END,
};
