/* api-cgroups: /api/v1/admin/conversation-groups: how conversations are grouped in agents' workbenches
 * (domain/cgroups.c). */
#include "api/resource.h"
#include "domain/cgroups.h"

/* The console's form: match is the conditions as JSON text. */
const struct resource res_cgroups = RESOURCE(
    "/api/v1/admin/conversation-groups", &cgroup_ops,
    .form = (const struct form_field[]){{"name", FORM_TEXT}, {"priority", FORM_INT}, {"match", FORM_JSON}, {NULL, 0}});
