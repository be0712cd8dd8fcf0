/* api-cgroups: /api/v1/admin/conversation-groups: how conversations are grouped in agents' workbenches
 * (domain/cgroups.c). */
#include "api/resource.h"
#include "domain/cgroups.h"

const struct resource res_cgroups = RESOURCE("/api/v1/admin/conversation-groups", &cgroup_ops);
