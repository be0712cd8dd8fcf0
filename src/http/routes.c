/* routes: the table of tables; adding a resource file adds one line here. */
#include "http/routes.h"

#include <stddef.h>

const struct route *const route_tables[] = {
	api_system_routes,
	api_auth_routes,
	api_admin_channels_routes,
	api_widget_channels_routes,
	api_admin_users_routes,
	api_admin_departments_routes,
	api_admin_groups_routes,
	api_admin_apikeys_routes,
	api_admin_audit_routes,
	api_crm_org_routes,
	page_login_routes,
	page_overview_routes,
	page_users_routes,
	page_departments_routes,
	page_groups_routes,
	page_apikeys_routes,
	page_audit_routes,
	api_widget_conversations_routes,
	api_agent_conversations_routes,
	api_agent_status_routes,
	api_attachments_routes,
	page_workbench_routes,
	page_channels_routes,
	api_crm_objects_routes,
	api_admin_identity_routes,
	api_admin_sidebar_routes,
	api_agent_sidebar_routes,
	api_admin_quick_buttons_routes,
	api_widget_quick_routes,
	NULL,
};
