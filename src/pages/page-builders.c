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

static bool has_field(json_object *fields, const char *id)
{
	for (size_t i = 0; i < json_object_array_length(fields); i++) {
		json_object *v;
		if (json_object_object_get_ex(json_object_array_get_idx(fields, i), "id", &v) &&
		    strcmp(json_object_get_string(v), id) == 0)
			return true;
	}
	return false;
}

void cb_add_prechat(struct kefu_req *r, json_object *fields, const struct channel_row *ch, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_object *pf = ch[i].prechat_fields ? json_tokener_parse(ch[i].prechat_fields) : NULL;
		for (size_t j = 0; json_object_is_type(pf, json_type_array) && j < json_object_array_length(pf); j++) {
			json_object *f = json_object_array_get_idx(pf, j), *name, *label, *opts = NULL;
			if (!json_object_object_get_ex(f, "name", &name))
				continue;
			const char *id = arena_printf(r->arena, "prechat.%s", json_object_get_string(name));
			if (has_field(fields, id))
				continue;
			json_object_object_get_ex(f, "options", &opts);
			bool choice = json_object_is_type(opts, json_type_array) && json_object_array_length(opts) > 0;
			json_object *o = json_object_new_object();
			json_object_object_add(o, "id", json_object_new_string(id));
			json_object_object_add(
			    o, "label",
			    json_object_new_string(arena_printf(r->arena, "%s%s", page_t(r, "cb.f_prechat_one"),
			                                        json_object_object_get_ex(f, "label", &label)
			                                            ? json_object_get_string(label)
			                                            : json_object_get_string(name))));
			json_object_object_add(o, "type", json_object_new_string(choice ? "enum" : "text"));
			if (choice) {
				json_object *list = json_object_new_array();
				for (size_t k = 0; k < json_object_array_length(opts); k++) {
					json_object *op = json_object_new_object(),
					            *v = json_object_array_get_idx(opts, k);
					json_object_object_add(op, "value", json_object_get(v));
					json_object_object_add(op, "label", json_object_get(v));
					json_object_array_add(list, op);
				}
				json_object_object_add(o, "options", list);
			}
			json_object_array_add(fields, o);
		}
		json_object_put(pf);
	}
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

void cb_match_fault(const struct kefu_req *r, json_object *d)
{
	for (size_t i = 0; i < r->err_nall; i++)
		if (r->err_all[i].field && strncmp(r->err_all[i].field, "match.", 6) == 0) {
			json_object_object_add(d, "match_fault", json_object_new_string(r->err_all[i].field + 6));
			return;
		}
}

void cb_form_match(json_object *stored)
{
	json_object *m = NULL;
	json_object_object_get_ex(stored, "match", &m);
	json_object_object_add(
	    stored, "match",
	    json_object_new_string(
	        m ? json_object_to_json_string_ext(m, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
	          : "\"all\""));
}
