/* page-apikeys: API keys in the console: list, create (the key is shown once, on the answer to the POST), revoke. */
#include <string.h>

#include "api/resource.h"
#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

static kefu_err show(struct kefu_req *r, json_object *form, kefu_err err, const char *new_key)
{
	json_object *keys;
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	kefu_err e = crud_list(&c, &org_key_ops, &keys);
	if (e != KEFU_OK) {
		json_object_put(form);
		return e;
	}
	json_object *d = page_form_frame(r, "api_keys", err), *items;
	json_object_object_get_ex(keys, "items", &items);
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *k = json_object_array_get_idx(items, i), *scopes;
		json_object_object_get_ex(k, "scopes", &scopes);
		bool admin = false, crm = false;
		for (size_t s = 0; s < json_object_array_length(scopes); s++) {
			const char *v = json_object_get_string(json_object_array_get_idx(scopes, s));
			admin |= strcmp(v, "admin") == 0;
			crm |= strcmp(v, "crm") == 0;
		}
		page_flag(k, "scope_admin", admin);
		page_flag(k, "scope_crm", crm);
		json_object *kid;
		json_object_object_get_ex(k, "id", &kid);
		page_link(r, k, "revoke_action", "/console/api-keys", json_object_get_int64(kid), "/revoke");
	}
	json_object_object_add(d, "keys", json_object_get(items));
	json_object_put(keys);
	json_object_object_add(d, "form", form ? form : json_object_new_object());
	json_object_object_add(d, "new_key", new_key ? json_object_new_string(new_key) : NULL);
	return page_render(r, "apikeys", d);
}

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show(r, NULL, KEFU_OK, NULL);
}

static kefu_err create(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	json_object *form = json_object_new_object(), *scopes = json_object_new_array();
	const char *name = page_field(r, "name");
	json_object_object_add(form, "name", json_object_new_string(name ? name : ""));
	if (page_has_value(r, "scopes", "admin"))
		json_object_array_add(scopes, json_object_new_string("admin"));
	if (page_has_value(r, "scopes", "crm"))
		json_object_array_add(scopes, json_object_new_string("crm"));
	json_object_object_add(form, "scopes", scopes);
	page_keep(r, form);
	page_flag(form, "scope_admin", page_has_value(r, "scopes", "admin"));
	page_flag(form, "scope_crm", page_has_value(r, "scopes", "crm"));
	/* The form is the API's JSON body: the same crud_save and rules. */
	return page_create_once(r, &org_key_ops, form, "key", show);
}

static kefu_err revoke(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	kefu_err e = crud_remove(&c, &org_key_ops, r->ids[0]);
	return e != KEFU_OK ? page_fail(r, e) : resp_redirect(r, "/console/api-keys?saved=1");
}

const struct route page_apikeys_routes[] = {
    {"GET", "/console/api-keys", list, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/api-keys", create, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/api-keys/{id}/revoke", revoke, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
