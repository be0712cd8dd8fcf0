/* api-admin-departments: /api/v1/admin/departments, the tree of the organisation chart (domain/org.c). */
#include "api/resource.h"
#include "domain/org.h"

const struct resource res_departments = RESOURCE(
    "/api/v1/admin/departments", &org_dept_ops,
    .form = (const struct form_field[]){
        {"name", FORM_TEXT_EMPTY}, {"external_id", FORM_TEXT_OR_NULL}, {"parent_id", FORM_ID_OR_NULL}, {NULL, 0}});
