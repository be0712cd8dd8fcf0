/* page-builders: the field lists and labels the console's builders (htdocs/console/cond-builder.js) are given. */
#include "pages/builders.h"

#include <string.h>

#include "pages/pages.h"

/* The catalog keys "cb.<name>" the builders ask for by name. */
static const char *const cb_keys[] = {"add",
                                      "remove",
                                      "up",
                                      "down",
                                      "drag",
                                      "empty",
                                      "field",
                                      "key",
                                      "key_placeholder",
                                      "op",
                                      "value",
                                      "op_eq",
                                      "op_ne",
                                      "op_contains",
                                      "op_prefix",
                                      "op_in",
                                      "op_exists",
                                      "exists_true",
                                      "exists_false",
                                      "yes",
                                      "no",
                                      "in_placeholder",
                                      "add_condition",
                                      "no_conditions",
                                      "condition",
                                      "route",
                                      "add_route",
                                      "route_group",
                                      "route_conditions",
                                      "route_all",
                                      "no_routes",
                                      "lf_name",
                                      "lf_label",
                                      "lf_type",
                                      "lf_required",
                                      "lf_options",
                                      "lf_options_placeholder",
                                      "add_field",
                                      "no_fields",
                                      "type_text",
                                      "type_textarea",
                                      "type_phone",
                                      "type_email",
                                      "type_select",
                                      "lf_field",
                                      "group_none",
                                      "fault",
                                      "op_gt",
                                      "op_gte",
                                      "op_lt",
                                      "op_lte",
                                      "moved",
                                      NULL};

json_object *cb_labels(struct kefu_req *r)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; cb_keys[i]; i++)
		json_object_object_add(o, cb_keys[i],
		                       json_object_new_string(page_t(r, arena_printf(r->arena, "cb.%s", cb_keys[i]))));
	return o;
}

json_object *cb_field(struct kefu_req *r, const char *id, const char *label_key, const char *type, bool family)
{
	json_object *f = json_object_new_object();
	json_object_object_add(f, "id", json_object_new_string(id));
	json_object_object_add(f, "label", json_object_new_string(page_t(r, label_key)));
	json_object_object_add(f, "type", json_object_new_string(type));
	if (family)
		json_object_object_add(f, "key", json_object_new_string(id));
	return f;
}

void cb_option(json_object *field, int64_t id, const char *label)
{
	json_object *opts;
	if (!json_object_object_get_ex(field, "options", &opts)) {
		opts = json_object_new_array();
		json_object_object_add(field, "options", opts);
	}
	json_object *o = json_object_new_object();
	json_object_object_add(o, "value", json_object_new_int64(id));
	json_object_object_add(o, "label", json_object_new_string(label));
	json_object_array_add(opts, o);
}

json_object *cb_cond_fields(struct kefu_req *r)
{
	json_object *a = json_object_new_array();
	json_object_array_add(a, cb_field(r, "visitor.identified", "cb.f_identified", "bool", false));
	json_object_array_add(a, cb_field(r, "visitor.name", "cb.f_name", "text", false));
	json_object_array_add(a, cb_field(r, "visitor.phone", "cb.f_phone", "text", false));
	json_object_array_add(a, cb_field(r, "visitor.locale", "cb.f_locale", "text", false));
	json_object_array_add(a, cb_field(r, "visitor.page_url", "cb.f_page_url", "text", false));
	json_object_array_add(a, cb_field(r, "visitor.", "cb.f_visitor", "text", true));
	json_object_array_add(a, cb_field(r, "prechat.", "cb.f_prechat", "text", true));
	json_object_array_add(a, cb_field(r, "account.", "cb.f_account", "text", true));
	return a;
}

const char *cb_config(struct kefu_req *r, json_object *fields)
{
	json_object *c = json_object_new_object();
	json_object_object_add(c, "fields", fields);
	json_object_object_add(c, "labels", cb_labels(r));
	const char *s = arena_strdup(
	    r->arena, json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(c);
	return s;
}
