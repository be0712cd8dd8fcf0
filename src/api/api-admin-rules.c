/* api-admin-rules: /api/v1/admin/rules, assignment rules (validation in domain/rules.c, saving in
 * domain/rules-admin.c). */
#include "api/resource.h"
#include "domain/rules.h"

const struct resource res_rules = RESOURCE("/api/v1/admin/rules", &rule_ops);
