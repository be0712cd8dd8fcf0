/* api-admin-groups: /api/v1/admin/groups, agent groups with members, departments and service hours (domain/org.c). */
#include "api/resource.h"
#include "domain/org.h"

const struct resource res_groups = RESOURCE("/api/v1/admin/groups", &org_group_ops);
