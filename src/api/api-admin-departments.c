/* api-admin-departments: /api/v1/admin/departments, the tree of the organisation chart (domain/org.c). */
#include "api/resource.h"
#include "domain/org.h"

const struct resource res_departments = RESOURCE("/api/v1/admin/departments", &org_dept_ops);
