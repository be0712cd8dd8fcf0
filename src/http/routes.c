/* routes: the table of tables; adding a resource file adds one line here. */
#include "http/routes.h"

#include <stddef.h>

const struct route *const route_tables[] = {
	api_system_routes,
	api_auth_routes,
	api_admin_channels_routes,
	api_widget_channels_routes,
	NULL,
};
