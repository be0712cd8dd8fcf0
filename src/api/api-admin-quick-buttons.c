/* api-admin-quick-buttons: /api/v1/admin/quick-buttons, the widget's quick-send record buttons
 * (domain/quick-buttons.c). */
#include "api/resource.h"
#include "domain/quick-buttons.h"

const struct resource res_quick_buttons = RESOURCE("/api/v1/admin/quick-buttons", &quick_button_ops);
