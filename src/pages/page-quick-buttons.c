/* page-quick-buttons: the widget's quick-send buttons in the console: the list, and a form (channels, roles, object,
 * filter rows, card template) with a preview card rendered from a sample record. */
#include <stdlib.h>
#include <string.h>

#include "api/resource.h"
#include "domain/channels.h"
#include "domain/crm.h"
#include "domain/quick-buttons.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

/* Filter rows the form offers (the domain allows QUICK_MAX_CONDS). */
#define FORM_CONDS 4

static json_object *parsed(struct kefu_req *r, const char *text)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o == NULL)
		o = json_object_new_array();
	page_keep(r, o);
	json_object_put(o);
	return o;
}

/* A condition's value as the form's text: arrays comma-separated. */
static const char *value_text(struct kefu_req *r, json_object *v)
{
	if (!json_object_is_type(v, json_type_array))
		return v ? json_object_get_string(v) : "";
	const char *s = "";
	for (size_t i = 0; i < json_object_array_length(v); i++)
		s = arena_printf(r->arena, "%s%s%s", s, i ? "," : "",
		                 json_object_get_string(json_object_array_get_idx(v, i)));
	return s;
}

/* The form as the template shows it, from a button (stored or as typed). */
static json_object *form_view(struct kefu_req *r, const struct quick_button *b)
{
	json_object *f = json_object_new_object();
	json_object_object_add(f, "name", json_object_new_string(b->name ? b->name : ""));
	json_object_object_add(f, "icon", json_object_new_string(b->icon ? b->icon : ""));
	json_object_object_add(f, "template", json_object_new_string(b->template ? b->template : ""));
	json_object *roles = parsed(r, b->visible_roles);
	json_object_object_add(f, "roles", json_object_new_string(value_text(r, roles)));
	json_object *objsel = json_object_new_object();
	page_flag(objsel, b->object ? b->object : "SalesOrderObj", true);
	json_object_object_add(f, "obj", objsel);
	json_object *all = json_object_object_get(parsed(r, b->filter), "all"), *conds = json_object_new_array();
	for (size_t i = 0; i < FORM_CONDS; i++) {
		json_object *c = i < json_object_array_length(all) ? json_object_array_get_idx(all, i) : NULL;
		json_object *x = json_object_new_object(), *sel = json_object_new_object();
		const char *op = c ? json_object_get_string(json_object_object_get(c, "op")) : "eq";
		json_object_object_add(
		    x, "field",
		    json_object_new_string(c ? json_object_get_string(json_object_object_get(c, "field")) : ""));
		json_object_object_add(
		    x, "value", json_object_new_string(c ? value_text(r, json_object_object_get(c, "value")) : ""));
		page_flag(sel, op ? op : "eq", true);
		json_object_object_add(x, "sel", sel);
		json_object_object_add(x, "n", json_object_new_int((int)i));
		json_object_object_add(x, "f_name",
		                       json_object_new_string(arena_printf(r->arena, "cond_field_%zu", i)));
		json_object_object_add(x, "o_name", json_object_new_string(arena_printf(r->arena, "cond_op_%zu", i)));
		json_object_object_add(x, "v_name",
		                       json_object_new_string(arena_printf(r->arena, "cond_value_%zu", i)));
		json_object_array_add(conds, x);
	}
	json_object_object_add(f, "conds", conds);
	return f;
}

/* A card rendered from the object's first record, so the admin sees what the
 * template makes; null when the object has no record yet. */
static json_object *sample_card(struct kefu_req *r, const struct quick_button *b)
{
	struct crm_record *rows;
	size_t n;
	int64_t next;
	if (b->object == NULL || b->template == NULL ||
	    crm_record_find(r->db, r->arena, r->caller.tenant_id, b->object, NULL, 0, 0, 1, &rows, &n, &next) !=
	        KEFU_OK ||
	    n == 0)
		return NULL;
	const char *title;
	json_object *lines, *card = json_object_new_object();
	quick_template_render(r->arena, b->template, rows[0].id, rows[0].external_id,
	                      crm_record_fields(r->arena, &rows[0]), &title, &lines);
	json_object_object_add(card, "title", json_object_new_string(title ? title : ""));
	json_object_object_add(card, "lines", lines);
	json_object_object_add(card, "record", json_object_new_string(rows[0].external_id));
	return card;
}

/* The list beside the form: b the button being edited (id 0: a new one). */
static kefu_err show(struct kefu_req *r, const struct quick_button *b, kefu_err err, const char *bad)
{
	struct quick_button *rows;
	struct channel_row *chs;
	size_t n, nc;
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	kefu_err e = crud_list_rows(&c, &quick_button_ops, &rows, &n);
	if (e == KEFU_OK)
		e = channel_list(r->db, r->arena, r->caller.tenant_id, &chs, &nc);
	if (e != KEFU_OK)
		return page_fail(r, e);
	json_object *d = page_frame(r, "quick_buttons"), *items = json_object_new_array();
	if (err != KEFU_OK) {
		static const char *const controls[] = {"filter", "channel_ids", "visible_roles", NULL};
		page_set_error(r, d, err, page_control(bad, "name", controls));
	}
	for (size_t i = 0; i < n; i++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "name", json_object_new_string(rows[i].name));
		json_object_object_add(x, "icon", json_object_new_string(rows[i].icon));
		json_object_object_add(x, "object", json_object_new_string(rows[i].object));
		json_object_object_add(x, "roles",
		                       json_object_new_string(value_text(r, parsed(r, rows[i].visible_roles))));
		page_link(r, x, "href", "/console/quick-buttons", rows[i].id, "");
		json_object_array_add(items, x);
	}
	json_object_object_add(d, "buttons", items);
	json_object *chosen = parsed(r, b->channel_ids), *cl = json_object_new_array();
	for (size_t i = 0; i < nc; i++) {
		json_object *x = json_object_new_object();
		bool on = false;
		for (size_t k = 0; k < json_object_array_length(chosen); k++)
			on = on || json_object_get_int64(json_object_array_get_idx(chosen, k)) == chs[i].id;
		json_object_object_add(x, "id", json_object_new_int64(chs[i].id));
		json_object_object_add(x, "name", json_object_new_string(chs[i].name));
		page_flag(x, "checked", on);
		json_object_array_add(cl, x);
	}
	json_object_object_add(d, "channels", cl);
	size_t nb;
	const struct crm_object_def *defs = crm_builtins(&nb);
	json_object *objs = json_object_new_array();
	for (size_t i = 0; i < nb; i++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "name", json_object_new_string(defs[i].name));
		json_object_object_add(x, "label",
		                       json_object_new_string(crm_label(defs[i].label_zh, defs[i].label_en, r->lang)));
		page_flag(x, "selected",
		          b->object ? strcmp(b->object, defs[i].name) == 0
		                    : strcmp(defs[i].name, "SalesOrderObj") == 0);
		json_object_array_add(objs, x);
	}
	json_object_object_add(d, "objects", objs);
	json_object_object_add(d, "form", form_view(r, b));
	json_object_object_add(d, "editing", json_object_new_boolean(b->id != 0));
	json_object_object_add(
	    d, "form_action",
	    json_object_new_string(b->id ? arena_printf(r->arena, "/console/quick-buttons/%lld", (long long)b->id)
	                                 : "/console/quick-buttons"));
	if (b->id)
		page_link(r, d, "delete_action", "/console/quick-buttons", b->id, "/delete");
	json_object_object_add(d, "sample", err == KEFU_OK ? sample_card(r, b) : NULL);
	return page_render(r, "quick-buttons", d);
}

static void split_add(struct kefu_req *r, json_object *arr, const char *text)
{
	if (text == NULL)
		return;
	char *copy = arena_strdup(r->arena, text), *save = NULL;
	for (char *tok = strtok_r(copy, ",，\r\n", &save); tok; tok = strtok_r(NULL, ",，\r\n", &save)) {
		while (*tok == ' ')
			tok++;
		size_t k = strlen(tok);
		while (k > 0 && tok[k - 1] == ' ')
			tok[--k] = '\0';
		if (*tok)
			json_object_array_add(arr, json_object_new_string(tok));
	}
}

/* The form as the API's JSON body, so both go through quick_button_check. */
static json_object *form_body(struct kefu_req *r, kefu_err *e)
{
	json_object *b = json_object_new_object(), *roles = json_object_new_array(), *all = json_object_new_array(),
	            *ids;
	const char *v;
	json_object_object_add(b, "name", json_object_new_string((v = page_field(r, "name")) ? v : ""));
	json_object_object_add(b, "icon", json_object_new_string((v = page_field(r, "icon")) ? v : ""));
	json_object_object_add(b, "object", json_object_new_string((v = page_field(r, "object")) ? v : ""));
	/* Keep the template's inner spaces and lines: only the ends are trimmed. */
	json_object_object_add(b, "template", json_object_new_string((v = page_field(r, "template")) ? v : ""));
	*e = page_ids(r, "channel_ids", &ids);
	json_object_object_add(b, "channel_ids", *e == KEFU_OK ? ids : json_object_new_array());
	split_add(r, roles, page_field(r, "visible_roles"));
	json_object_object_add(b, "visible_roles", roles);
	for (size_t i = 0; i < FORM_CONDS; i++) {
		const char *f = page_field(r, arena_printf(r->arena, "cond_field_%zu", i));
		const char *op = page_field(r, arena_printf(r->arena, "cond_op_%zu", i));
		const char *val = page_field(r, arena_printf(r->arena, "cond_value_%zu", i));
		if (f == NULL)
			continue;
		json_object *c = json_object_new_object(), *value;
		json_object_object_add(c, "field", json_object_new_string(f));
		json_object_object_add(c, "op", json_object_new_string(op ? op : "eq"));
		if (op && strcmp(op, "in") == 0)
			split_add(r, value = json_object_new_array(), val);
		else if (op && strcmp(op, "exists") == 0)
			value = json_object_new_boolean(val == NULL || strcmp(val, "false") != 0);
		else
			value = json_object_new_string(val ? val : "");
		json_object_object_add(c, "value", value);
		json_object_array_add(all, c);
	}
	json_object *filter = json_object_new_object();
	json_object_object_add(filter, "all", all);
	json_object_object_add(b, "filter", filter);
	page_keep(r, b);
	json_object_put(b);
	return b;
}

/* The form as the body for page-resource (the conditions' rows are not form fields). */
static kefu_err body(struct kefu_req *r, json_object **out)
{
	kefu_err e;
	*out = json_object_get(form_body(r, &e));
	return e != KEFU_OK ? req_fail(r, e, "channel_ids", NULL) : KEFU_OK;
}

/* The page: a new button's defaults, a stored one, or what was typed (form, the body) with err on r's field. */
static kefu_err show_page(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	struct quick_button b = {.icon = "order",
	                         .channel_ids = "[]",
	                         .visible_roles = "[]",
	                         .filter = "{\"all\":[]}",
	                         .object = "SalesOrderObj",
	                         .template = "{{name}}\n{{amount}}"};
	if (form) {
		/* Show what was typed: the body's texts, unchecked (kept alive by page-resource). */
		b = (struct quick_button){
		    .id = id,
		    .name = json_object_get_string(json_object_object_get(form, "name")),
		    .icon = json_object_get_string(json_object_object_get(form, "icon")),
		    .object = json_object_get_string(json_object_object_get(form, "object")),
		    .template = json_object_get_string(json_object_object_get(form, "template")),
		    .channel_ids = json_object_to_json_string(json_object_object_get(form, "channel_ids")),
		    .visible_roles = json_object_to_json_string(json_object_object_get(form, "visible_roles")),
		    .filter = json_object_to_json_string(json_object_object_get(form, "filter")),
		};
		page_keep(r, form);
		json_object_put(form);
		return show(r, &b, err, r->err_field);
	}
	if (id) {
		struct crud_ctx c = resource_ctx(r, &(struct fault){0});
		kefu_err e = crud_row(&c, &quick_button_ops, id, &b);
		if (e != KEFU_OK)
			return page_fail(r, e);
	}
	return show(r, &b, err, NULL);
}

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show_page(r, 0, NULL, KEFU_OK);
}

PAGE_RESOURCE(page_res_quick_buttons, "/console/quick-buttons", "quick_buttons", res_quick_buttons, PAGE_ROUTES_EDIT,
              .body = body, .show = show_page, .done = DONE_ITEM);
