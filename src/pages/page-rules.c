/* page-rules: assignment rules in the console: the list by priority and one form per rule (same validation and save as
 * the API). */
#include <stdlib.h>
#include <string.h>

#include "domain/channels.h"
#include "domain/org-read.h"
#include "domain/rules.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/builders.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	json_object *rules;
	kefu_err e = rule_list(r->db, r->arena, r->caller.tenant_id, &rules);
	if (e != KEFU_OK)
		return page_fail(r, e);
	json_object *items, *d = page_frame(r, "rules");
	json_object_object_get_ex(rules, "items", &items);
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *x = json_object_array_get_idx(items, i), *v;
		json_object_object_get_ex(x, "id", &v);
		page_link(r, x, "href", page_res_rules.base, json_object_get_int64(v), "");
		json_object_object_get_ex(x, "channel_ids", &v);
		json_object_object_add(x, "channel_count", json_object_new_int64((int64_t)json_object_array_length(v)));
		json_object_object_get_ex(x, "strategy", &v);
		json_object_object_add(x, "strategy_label",
		                       json_object_new_string(page_t(
		                           r, arena_printf(r->arena, "rules.strategy_%s", json_object_get_string(v)))));
	}
	json_object_object_add(d, "rules", json_object_get(items));
	json_object_put(rules);
	return page_render(r, "rules", d);
}

/* A JSON textarea's value; NULL (and the field's error) when it does not parse to the wanted type. */
static json_object *json_field(struct kefu_req *r, const char *name, json_type want, const char *field, kefu_err *e)
{
	const char *text = page_field(r, name);
	if (text == NULL)
		return want == json_type_array ? json_object_new_array() : NULL;
	json_object *v = json_tokener_parse(text);
	if (v == NULL || !json_object_is_type(v, want)) {
		json_object_put(v);
		if (*e == KEFU_OK)
			*e = req_fail(r, KEFU_E_INVALID_FIELD, field, NULL);
		return NULL;
	}
	return v;
}

static json_object *message_json(struct kefu_req *r, const char *key)
{
	json_object *m = json_object_new_object();
	json_object_object_add(
	    m, "enabled", json_object_new_boolean(page_field(r, arena_printf(r->arena, "%s_enabled", key)) != NULL));
	const char *t = page_field(r, arena_printf(r->arena, "%s_text", key));
	json_object_object_add(m, "text", json_object_new_string(t ? t : ""));
	return m;
}

static json_object *num_field(struct kefu_req *r, const char *name)
{
	const char *v = page_field(r, name);
	char *end;
	long long n = v ? strtoll(v, &end, 10) : 0;
	if (v == NULL)
		return NULL;
	if (*end != '\0')
		return json_object_new_string(v); /* the validator names the field */
	return json_object_new_int64(n);
}

/* The posted form as the API's rule document. */
static kefu_err form_doc(struct kefu_req *r, json_object **out)
{
	kefu_err e = KEFU_OK;
	json_object *d = json_object_new_object(), *x;
	*out = d;
	const char *name = page_field(r, "name");
	json_object_object_add(d, "name", json_object_new_string(name ? name : ""));
	if ((x = num_field(r, "priority")) != NULL)
		json_object_object_add(d, "priority", x);
	if ((x = num_field(r, "max_concurrent")) != NULL)
		json_object_object_add(d, "max_concurrent", x);
	json_object_object_add(d, "require_identity",
	                       json_object_new_boolean(page_field(r, "require_identity") != NULL));
	/* A field that cannot be read is marked, and the rest of the form is still read: a form shown again keeps
	 * everything typed. */
	x = NULL;
	if (page_ids(r, "channel_ids", &x) != KEFU_OK && e == KEFU_OK)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "channel_ids", NULL);
	json_object_object_add(d, "channel_ids", x ? x : json_object_new_array());
	const char *t = page_field(r, "welcome_message");
	json_object_object_add(d, "welcome_message", json_object_new_string(t ? t : ""));
	t = page_field(r, "promo_message");
	json_object_object_add(d, "promo_message", json_object_new_string(t ? t : ""));
	json_object *routing = json_object_new_object();
	t = page_field(r, "routing_mode");
	json_object_object_add(routing, "mode", json_object_new_string(t ? t : "rules"));
	json_object *routes = json_field(r, "routes", json_type_array, "routing.routes", &e);
	json_object_object_add(routing, "routes", routes ? routes : json_object_new_array());
	x = num_field(r, "fallback_group_id");
	json_object_object_add(routing, "fallback_group_id",
	                       x && json_object_is_type(x, json_type_int) && json_object_get_int64(x) == 0 ? NULL : x);
	if (x && json_object_is_type(x, json_type_int) && json_object_get_int64(x) == 0)
		json_object_put(x);
	t = page_field(r, "choice_prompt");
	json_object_object_add(routing, "choice_prompt", json_object_new_string(t ? t : ""));
	x = NULL;
	if (page_ids(r, "choice_group_ids", &x) != KEFU_OK && e == KEFU_OK)
		e = req_fail(r, KEFU_E_INVALID_FIELD, "routing.choice_group_ids", NULL);
	json_object_object_add(routing, "choice_group_ids", x ? x : json_object_new_array());
	json_object_object_add(d, "routing", routing);
	t = page_field(r, "strategy");
	json_object_object_add(d, "strategy", json_object_new_string(t ? t : "load"));
	t = page_field(r, "owner_fallback");
	json_object_object_add(d, "owner_fallback", json_object_new_string(t ? t : "load"));
	json_object *msgs = json_object_new_object();
	json_object_object_add(msgs, "all_busy", message_json(r, "all_busy"));
	json_object_object_add(msgs, "all_offline", message_json(r, "all_offline"));
	json_object_object_add(msgs, "out_of_hours", message_json(r, "out_of_hours"));
	json_object_object_add(d, "messages", msgs);
	json_object *lm = json_object_new_object();
	json_object_object_add(lm, "enabled", json_object_new_boolean(page_field(r, "leave_enabled") != NULL));
	json_object *fields = json_field(r, "leave_fields", json_type_array, "leave_message.fields", &e);
	json_object_object_add(lm, "fields", fields ? fields : json_object_new_array());
	json_object_object_add(d, "leave_message", lm);
	return e;
}

/* An array as compact JSON text ("[]" when absent or not an array). */
static const char *json_text(json_object *v)
{
	return v && json_object_is_type(v, json_type_array)
	           ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
	           : "[]";
}

static bool has_id(json_object *arr, int64_t id)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		if (json_object_get_int64(json_object_array_get_idx(arr, i)) == id)
			return true;
	return false;
}

static json_object *options(struct kefu_req *r, const char *const *values, const char *prefix, const char *current)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; values[i]; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(values[i]));
		json_object_object_add(
		    o, "label", json_object_new_string(page_t(r, arena_printf(r->arena, "%s%s", prefix, values[i]))));
		page_flag(o, "selected", current && strcmp(current, values[i]) == 0);
		json_object_array_add(arr, o);
	}
	return arr;
}

static const char *str_at(json_object *o, const char *k1, const char *k2)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(o, k1, &v) || v == NULL)
		return NULL;
	if (k2 && (!json_object_object_get_ex(v, k2, &v) || v == NULL))
		return NULL;
	return json_object_get_string(v);
}

/* The form's display data from a rule document (stored, or as posted). */
static kefu_err show_form(struct kefu_req *r, int64_t id, json_object *doc, kefu_err err)
{
	static const char *const modes[] = {"rules", "visitor_choice", NULL};
	static const char *const fallbacks[] = {"load", "queue", NULL};
	json_object *d = page_form_frame(r, "rules", err);
	if (doc == NULL) {
		doc = json_object_new_object();
		if (id != 0) {
			json_object_put(doc);
			kefu_err e = rule_view(r->db, r->arena, r->caller.tenant_id, id, &doc);
			if (e != KEFU_OK)
				return page_fail_form(r, e, d);
		}
	}
	page_keep(r, doc);
	json_object_put(doc);
	json_object *routing = NULL, *msgs = NULL, *lm = NULL, *v;
	json_object_object_get_ex(doc, "routing", &routing);
	json_object_object_get_ex(doc, "messages", &msgs);
	json_object_object_get_ex(doc, "leave_message", &lm);
	json_object *f = json_object_new_object();
	const char *s = str_at(doc, "name", NULL);
	json_object_object_add(f, "name", json_object_new_string(s ? s : ""));
	s = str_at(doc, "priority", NULL);
	json_object_object_add(f, "priority", json_object_new_string(s ? s : "100"));
	s = str_at(doc, "max_concurrent", NULL);
	json_object_object_add(f, "max_concurrent", json_object_new_string(s ? s : "5"));
	page_flag(f, "require_identity",
	          json_object_object_get_ex(doc, "require_identity", &v) && json_object_get_boolean(v));
	s = str_at(doc, "welcome_message", NULL);
	json_object_object_add(f, "welcome_message", json_object_new_string(s ? s : ""));
	s = str_at(doc, "promo_message", NULL);
	json_object_object_add(f, "promo_message", json_object_new_string(s ? s : ""));
	s = str_at(routing, "choice_prompt", NULL);
	json_object_object_add(f, "choice_prompt", json_object_new_string(s ? s : ""));
	/* The builders' start values (rules.js): routes and leave-message fields as the API has them. */
	v = NULL;
	json_object_object_get_ex(routing, "routes", &v);
	json_object_object_add(f, "routes", json_object_new_string(json_text(v)));
	v = NULL;
	json_object_object_get_ex(lm, "fields", &v);
	json_object_object_add(f, "leave_fields", json_object_new_string(json_text(v)));
	page_flag(f, "leave_enabled", json_object_object_get_ex(lm, "enabled", &v) && json_object_get_boolean(v));
	json_object *m = json_object_new_array();
	static const char *const mkeys[] = {"all_busy", "all_offline", "out_of_hours"};
	for (int i = 0; i < 3; i++) {
		json_object *o = json_object_new_object(), *mm = NULL;
		json_object_object_get_ex(msgs, mkeys[i], &mm);
		json_object_object_add(o, "enabled_name",
		                       json_object_new_string(arena_printf(r->arena, "%s_enabled", mkeys[i])));
		json_object_object_add(o, "text_name",
		                       json_object_new_string(arena_printf(r->arena, "%s_text", mkeys[i])));
		json_object_object_add(
		    o, "label", json_object_new_string(page_t(r, arena_printf(r->arena, "rules.msg_%s", mkeys[i]))));
		page_flag(o, "enabled", json_object_object_get_ex(mm, "enabled", &v) && json_object_get_boolean(v));
		s = str_at(mm, "text", NULL);
		json_object_object_add(o, "text", json_object_new_string(s ? s : ""));
		json_object_array_add(m, o);
	}
	json_object_object_add(f, "messages", m);
	json_object_object_add(d, "form", f);
	json_object_object_add(d, "modes", options(r, modes, "rules.mode_", str_at(routing, "mode", NULL)));
	json_object_object_add(d, "strategies",
	                       options(r, strategy_names, "rules.strategy_", str_at(doc, "strategy", NULL)));
	json_object_object_add(d, "fallbacks",
	                       options(r, fallbacks, "rules.owner_fallback_", str_at(doc, "owner_fallback", NULL)));

	struct channel_row *ch;
	struct group_row *gr;
	size_t nch, ng;
	kefu_err e = channel_list(r->db, r->arena, r->caller.tenant_id, &ch, &nch);
	if (e == KEFU_OK)
		e = org_group_rows(r->db, r->arena, r->caller.tenant_id, &gr, &ng);
	if (e != KEFU_OK)
		return page_fail_form(r, e, d);
	json_object *cids = NULL, *choice = NULL, *fb = NULL;
	json_object_object_get_ex(doc, "channel_ids", &cids);
	json_object_object_get_ex(routing, "choice_group_ids", &choice);
	json_object_object_get_ex(routing, "fallback_group_id", &fb);
	json_object *channels = json_object_new_array(), *groups = json_object_new_array(),
	            *fallback = json_object_new_array();
	for (size_t i = 0; i < nch; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(ch[i].id));
		json_object_object_add(o, "name", json_object_new_string(ch[i].name));
		page_flag(o, "checked", has_id(cids, ch[i].id));
		json_object_array_add(channels, o);
	}
	json_object *none = json_object_new_object();
	json_object_object_add(none, "id", json_object_new_int64(0));
	json_object_object_add(none, "name", json_object_new_string(page_t(r, "rules.no_fallback")));
	page_flag(none, "selected", fb == NULL);
	json_object_array_add(fallback, none);
	for (size_t i = 0; i < ng; i++) {
		json_object *o = json_object_new_object(), *o2 = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(gr[i].id));
		json_object_object_add(o, "name", json_object_new_string(gr[i].name));
		page_flag(o, "checked", has_id(choice, gr[i].id));
		json_object_array_add(groups, o);
		json_object_object_add(o2, "id", json_object_new_int64(gr[i].id));
		json_object_object_add(o2, "name", json_object_new_string(gr[i].name));
		page_flag(o2, "selected", fb && json_object_get_int64(fb) == gr[i].id);
		json_object_array_add(fallback, o2);
	}
	json_object_object_add(d, "channels", channels);
	json_object *cfg_fields = cb_cond_fields(r);
	cb_add_prechat(r, cfg_fields, ch, nch);
	json_object *gopts = cb_field(r, "group", "cb.route_group", "id", false);
	for (size_t i = 0; i < ng; i++)
		cb_option(gopts, gr[i].id, gr[i].name);
	json_object *cfg = json_tokener_parse(cb_config(r, cfg_fields));
	json_object *go = NULL;
	json_object_object_get_ex(gopts, "options", &go);
	json_object_object_add(cfg, "groups", go ? json_object_get(go) : json_object_new_array());
	json_object_put(gopts);
	json_object_object_add(d, "builder",
	                       json_object_new_string(arena_strdup(
	                           r->arena, json_object_to_json_string_ext(cfg, JSON_C_TO_STRING_PLAIN |
	                                                                             JSON_C_TO_STRING_NOSLASHESCAPE))));
	json_object_put(cfg);
	page_flag(d, "no_channels", !cids || json_object_array_length(cids) == 0);
	json_object_object_add(d, "choice_groups", groups);
	json_object_object_add(d, "fallback_groups", fallback);
	page_flag(d, "editing", id != 0);
	page_res_actions(r, &page_res_rules, d, id, true);
	return page_render(r, "rules-form", d);
}

PAGE_RESOURCE(page_res_rules, "/console/rules", "rules", res_rules, PAGE_ROUTES_FULL, .body = form_doc,
              .show = show_form, .done = DONE_ITEM);
