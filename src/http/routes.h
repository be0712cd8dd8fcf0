/* routes: every resource file's route table, gathered in one list. */
#ifndef KEFU_ROUTES_H
#define KEFU_ROUTES_H

#include "http/router.h"

/* One extern per resource file (src/api/api-*.c, src/pages/page-*.c). */
extern const struct route api_system_routes[];
extern const struct route api_auth_routes[];
extern const struct route api_admin_channels_routes[];
extern const struct route api_widget_channels_routes[];

/* NULL-terminated, in matching order. Defined in routes.c. */
extern const struct route *const route_tables[];

#endif
