/* api-admin-users: /api/v1/admin/users, the tenant's admins and agents (a resource descriptor; rules in domain/org.c),
 * and the caller's own language. */
#include "api/resource.h"
#include "core/json-doc.h"
#include "domain/org-read.h"
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"

/* The console's form (pages/page-users.c) is the body of a POST or PATCH. */
const struct resource res_users = RESOURCE("/api/v1/admin/users", &org_user_ops,
                                           .form = (const struct form_field[]){{"login", FORM_TEXT_EMPTY},
                                                                               {"name", FORM_TEXT_EMPTY},
                                                                               {"role", FORM_TEXT_EMPTY},
                                                                               {"password", FORM_SECRET},
                                                                               {"external_id", FORM_TEXT_OR_NULL},
                                                                               {"email", FORM_TEXT_OR_NULL},
                                                                               {"leave_digest", FORM_BOOL},
                                                                               {"department_ids", FORM_IDS},
                                                                               {NULL, 0}});

/* The caller's own UI language; null goes back to following the browser. */
static kefu_err set_lang(struct kefu_req *r)
{
	static const char *const langs[] = {"en", "zh-CN", NULL};
	const char *lang = NULL, *bad = NULL;
	kefu_err e = jb_is_null(r->json, "lang") ? KEFU_OK : jb_enum(r->json, "lang", true, langs, &lang, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	e = org_user_set_lang(r->db, r->caller.tenant_id, r->caller.user_id, lang);
	json_object *o;
	if (e == KEFU_OK)
		e = org_user_view(r->db, r->arena, r->caller.tenant_id, r->caller.user_id, &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

const struct route api_admin_users_routes[] = {
    {"PUT", "/api/v1/agent/lang", set_lang, AUTH_STAFF, BODY_JSON},
    ROUTES_END,
};
