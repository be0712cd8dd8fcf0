/* page-sidebar: the workbench side panel's configuration in the console: which CRM objects, and per object which fields
 * in what order. */
#include <stdlib.h>
#include <string.h>

#include "domain/crm.h"
#include "domain/sidebar.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

/* An order box's number; blank or junk sorts last, in form order. */
static long order_of(struct kefu_req *r, const char *name)
{
	const char *v = page_field(r, name);
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;
	return v && *end == '\0' && n > 0 && n < 1000 ? n : 1000;
}

struct ranked {
	long order;
	size_t pos;
	const char *name;
};

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Position (1-based) of name in the JSON string array arr, 0 when absent. */
static int position(json_object *arr, const char *name)
{
	for (size_t i = 0; json_object_is_type(arr, json_type_array) && i < json_object_array_length(arr); i++) {
		json_object *x = json_object_array_get_idx(arr, i);
		const char *s = json_object_is_type(x, json_type_object)
		                    ? json_object_get_string(json_object_object_get(x, "object"))
		                    : json_object_get_string(x);
		if (s && strcmp(s, name) == 0)
			return (int)i + 1;
	}
	return 0;
}

/* The editor: every object (built-in fields and the tenant's custom ones)
 * with its checkbox and order, config the objects/fields to show as chosen. */
static kefu_err show(struct kefu_req *r, json_object *config, kefu_err err, const char *bad)
{
	size_t nb;
	const struct crm_object_def *b = crm_builtins(&nb);
	json_object *d = page_frame(r, "sidebar"), *objs = json_object_new_array();
	json_object *chosen = json_object_object_get(config, "objects");
	long bad_obj = -1;
	if (err != KEFU_OK) {
		page_set_error(r, d, err, "objects");
		if (bad && strncmp(bad, "objects.", 8) == 0)
			bad_obj = strtol(bad + 8, NULL, 10);
	}
	for (size_t i = 0; i < nb; i++) {
		struct crm_object_def def;
		kefu_err e = crm_object_load(r->db, r->arena, r->caller.tenant_id, b[i].name, &def);
		if (e != KEFU_OK) {
			json_object_put(d);
			json_object_put(objs);
			return page_fail(r, e);
		}
		int pos = position(chosen, def.name);
		json_object *cfg = pos ? json_object_array_get_idx(chosen, (size_t)pos - 1) : NULL;
		json_object *cfields = json_object_object_get(cfg, "fields");
		json_object *o = json_object_new_object(), *fields = json_object_new_array();
		json_object_object_add(o, "object", json_object_new_string(def.name));
		json_object_object_add(o, "label",
		                       json_object_new_string(crm_label(def.label_zh, def.label_en, r->lang)));
		page_flag(o, "checked", pos > 0);
		json_object_object_add(o, "order", pos ? json_object_new_int(pos) : json_object_new_string(""));
		json_object_object_add(o, "cb_name", json_object_new_string(arena_printf(r->arena, "f_%s", def.name)));
		json_object_object_add(o, "order_name",
		                       json_object_new_string(arena_printf(r->arena, "o_%s", def.name)));
		if (bad_obj >= 0 && pos == bad_obj + 1)
			json_object_object_add(o, "error", json_object_new_string(page_t(r, "sidebar.fields_invalid")));
		for (size_t k = 0; k < def.nfields; k++) {
			const struct crm_field_def *f = &def.fields[k];
			int fp = position(cfields, f->name);
			json_object *x = json_object_new_object();
			json_object_object_add(x, "name", json_object_new_string(f->name));
			json_object_object_add(x, "label",
			                       json_object_new_string(crm_label(f->label_zh, f->label_en, r->lang)));
			page_flag(x, "checked", fp > 0);
			page_flag(x, "custom", f->custom);
			json_object_object_add(x, "order", fp ? json_object_new_int(fp) : json_object_new_string(""));
			json_object_object_add(
			    x, "order_name",
			    json_object_new_string(arena_printf(r->arena, "o_%s.%s", def.name, f->name)));
			json_object_array_add(fields, x);
		}
		json_object_object_add(o, "fields", fields);
		json_object_array_add(objs, o);
	}
	json_object_object_add(d, "objects", objs);
	return page_render(r, "sidebar", d);
}

static kefu_err view(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	json_object *config;
	kefu_err e = sidebar_config(r->db, r->arena, r->caller.tenant_id, &config);
	if (e != KEFU_OK)
		return page_fail(r, e);
	page_keep(r, config);
	json_object_put(config);
	return show(r, config, KEFU_OK, NULL);
}

/* The checkboxes and order boxes as the API's PUT body, so both go through
 * sidebar_check: an object is shown when ticked, its fields are the ticked
 * f_<Object> values, both sorted by their order boxes (ties: form order). */
static json_object *form_body(struct kefu_req *r)
{
	size_t nb;
	const struct crm_object_def *b = crm_builtins(&nb);
	struct ranked *objs = arena_calloc(r->arena, nb, sizeof *objs);
	size_t no = 0;
	for (size_t i = 0; i < nb; i++)
		if (page_has_value(r, "objects", b[i].name))
			objs[no++] =
			    (struct ranked){order_of(r, arena_printf(r->arena, "o_%s", b[i].name)), i, b[i].name};
	qsort(objs, no, sizeof *objs, by_rank);
	json_object *body = json_object_new_object(), *list = json_object_new_array();
	for (size_t i = 0; i < no; i++) {
		const char *cb = arena_printf(r->arena, "f_%s", objs[i].name);
		struct ranked *fs = arena_calloc(r->arena, r->form.n + 1, sizeof *fs);
		size_t nf = 0;
		for (size_t k = 0; k < r->form.n; k++)
			if (strcmp(r->form.items[k].name, cb) == 0) {
				const char *f = r->form.items[k].value;
				fs[nf] = (struct ranked){
				    order_of(r, arena_printf(r->arena, "o_%s.%s", objs[i].name, f)), nf, f};
				nf++;
			}
		qsort(fs, nf, sizeof *fs, by_rank);
		json_object *o = json_object_new_object(), *fields = json_object_new_array();
		json_object_object_add(o, "object", json_object_new_string(objs[i].name));
		for (size_t k = 0; k < nf; k++)
			json_object_array_add(fields, json_object_new_string(fs[k].name));
		json_object_object_add(o, "fields", fields);
		json_object_array_add(list, o);
	}
	json_object_object_add(body, "objects", list);
	page_keep(r, body);
	json_object_put(body);
	return body;
}

static kefu_err save(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	json_object *body = form_body(r);
	const char *config = NULL, *bad = NULL;
	kefu_err e = sidebar_check(r->db, r->arena, r->caller.tenant_id, body, &config, &bad);
	if (e == KEFU_OK)
		e = sidebar_save(r->db, &r->actor, config);
	if (e == KEFU_OK)
		return resp_redirect(r, "/console/sidebar?saved=1");
	if (!page_form_error(e))
		return page_fail(r, e);
	return show(r, body, e, bad);
}

const struct route page_sidebar_routes[] = {
    {"GET", "/console/sidebar", view, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/sidebar", save, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
