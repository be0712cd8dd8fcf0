/* routes: every resource file's route table, gathered in one list. */
#ifndef KEFU_ROUTES_H
#define KEFU_ROUTES_H

#include "api/resource.h"
#include "pages/page-resource.h"
#include "http/router.h"

/* The admin resources' routes come from their descriptors (api/resource.h, pages/page-resource.h). */

/* One extern per resource file (src/api/api-*.c, src/pages/page-*.c). */
extern const struct route api_system_routes[];
extern const struct route api_auth_routes[];
extern const struct route api_admin_channels_routes[];
extern const struct route api_widget_channels_routes[];
extern const struct route api_visitor_insight_routes[];
extern const struct route api_admin_users_routes[];
extern const struct route api_admin_audit_routes[];
extern const struct route api_crm_org_routes[];
extern const struct route page_login_routes[];
extern const struct route page_overview_routes[];
extern const struct route page_apikeys_routes[];
extern const struct route page_audit_routes[];
extern const struct route api_widget_conversations_routes[];
extern const struct route api_agent_conversations_routes[];
extern const struct route api_agent_status_routes[];
extern const struct route api_attachments_routes[];
extern const struct route page_workbench_routes[];
extern const struct route page_channels_routes[];
extern const struct route page_triggers_routes[];
extern const struct route api_crm_objects_routes[];
extern const struct route api_admin_identity_routes[];
extern const struct route api_admin_sidebar_routes[];
extern const struct route api_agent_sidebar_routes[];
extern const struct route api_widget_quick_routes[];
extern const struct route api_agent_queue_routes[];
extern const struct route api_agent_transfer_routes[];
extern const struct route api_leave_messages_routes[];
extern const struct route api_admin_webhooks_routes[];
extern const struct route api_canned_routes[];
extern const struct route api_typing_routes[];
extern const struct route api_ratings_routes[];
extern const struct route api_reports_routes[];
extern const struct route page_identity_routes[];
extern const struct route page_sidebar_routes[];
extern const struct route page_crm_routes[];
extern const struct route api_history_routes[];
extern const struct route page_history_routes[];
extern const struct route page_reports_routes[];
extern const struct route api_presence_routes[];
extern const struct route api_handover_routes[];
extern const struct route api_conv_tags_routes[];
extern const struct route api_strings_routes[];
extern const struct route api_privacy_routes[];
extern const struct route page_privacy_routes[];
extern const struct route api_openapi_routes[];
extern const struct route page_api_routes[];

/* The visitor's poll of its own stream (api-visitor-insight.c): the one
 * handler the poll socket (kefu.conf poll_listen) serves. Any other route
 * that arrives there is refused (server.c), so that no configuration can make
 * the long-poll tailer run a route's reads and writes on its own thread. */
kefu_err api_visitor_events(struct kefu_req *r);

/* The visitor's page view (api-visitor-insight.c): the one handler the page
 * views' socket (kefu.conf pageview_listen) serves, on their batcher's thread;
 * any other route that arrives there is refused the same way. From
 * api_pageviews_take_from on, that thread takes the socket fd (from
 * server_pageview_socket) at each of its turns. */
kefu_err api_visitor_pageview(struct kefu_req *r);
struct kefu_app;
void api_pageviews_take_from(int fd, const struct kefu_app *app);

/* NULL-terminated, in matching order. Defined in routes.c. */
extern const struct route *const route_tables[];

#endif
