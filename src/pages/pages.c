/* pages: shared helpers for console pages: frame data, form fields, field errors, error pages. */
#include "pages/pages.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/org-read.h"
#include "http/app.h"
#include "http/response.h"
#include "view/i18n.h"

const char *page_t(struct kefu_req *r, const char *key)
{
	return i18n_get(r->app->i18n, r->lang, key);
}

json_object *page_frame(struct kefu_req *r, const char *active)
{
	const struct kefu_caller *c = &r->caller;
	json_object *d = json_object_new_object(), *me = json_object_new_object(), *nav = json_object_new_object();
	json_object_object_add(me, "id", json_object_new_int64(c->user_id));
	json_object_object_add(me, "name", json_object_new_string(c->name ? c->name : ""));
	json_object_object_add(me, "admin", json_object_new_boolean(c->admin));
	json_object_object_add(d, "me", me);
	json_object_object_add(d, "csrf", json_object_new_string(c->csrf ? c->csrf : ""));
	json_object_object_add(d, "path", json_object_new_string(r->path ? r->path : "/console"));
	if (active)
		json_object_object_add(nav, active, json_object_new_string("page"));
	json_object_object_add(d, "nav", nav);
	json_object_object_add(d, "lang_en", json_object_new_boolean(strcmp(r->lang, "en") == 0));
	json_object_object_add(d, "lang_zh", json_object_new_boolean(strcmp(r->lang, "zh-CN") == 0));
	json_object_object_add(d, "saved", json_object_new_boolean(req_query(r, "saved") != NULL));
	json_object_object_add(d, "errors", json_object_new_object());
	return d;
}

const char *page_field(struct kefu_req *r, const char *name)
{
	const char *v = req_form(r, name);
	if (v == NULL)
		return NULL;
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	size_t n = strlen(v);
	while (n > 0 && strchr(" \t\r\n", v[n - 1]))
		n--;
	return n ? arena_strndup(r->arena, v, n) : NULL;
}

kefu_err page_ids(struct kefu_req *r, const char *name, json_object **out)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < r->form.n; i++) {
		const struct kv *kv = &r->form.items[i];
		if (strcmp(kv->name, name) != 0)
			continue;
		char *end;
		long long v = strtoll(kv->value, &end, 10);
		if (*kv->value == '\0' || *end != '\0' || v <= 0) {
			json_object_put(a);
			return KEFU_E_INVALID_FIELD;
		}
		json_object_array_add(a, json_object_new_int64(v));
	}
	*out = a;
	return KEFU_OK;
}

bool page_has_value(struct kefu_req *r, const char *name, const char *value)
{
	for (size_t i = 0; i < r->form.n; i++)
		if (strcmp(r->form.items[i].name, name) == 0 && strcmp(r->form.items[i].value, value) == 0)
			return true;
	return false;
}

bool page_form_error(kefu_err e)
{
	return e == KEFU_E_INVALID_FIELD || e == KEFU_E_CONFLICT;
}

/* The message for a field at fault: the catalog's "fault.<path without indices>" ("fault.routing.routes.group_id",
 * "fault.prechat_fields.name")
 * in the page's language, else the check's own message in English pages, else the generic one. */
static const char *fault_text(struct kefu_req *r, const char *field, const char *message, const char *generic)
{
	char *key = arena_printf(r->arena, "%s%s", "fault.", field), *w = key;
	for (const char *p = key; *p; p++) {
		if (*p == '[') { /* an index: "[2]" */
			while (*p && *p != ']')
				p++;
			if (!*p)
				break;
			continue;
		}
		if (*p == '.' && p[1] >= '0' && p[1] <= '9') { /* an index as a segment: ".2" */
			p++;
			while (p[1] >= '0' && p[1] <= '9')
				p++;
			continue;
		}
		*w++ = *p;
	}
	*w = '\0';
	if (i18n_has(r->app->i18n, key))
		return page_t(r, key);
	if (message && strncmp(r->lang ? r->lang : "en", "en", 2) == 0)
		return message;
	return page_t(r, generic);
}

/* "routing.routes[1].group_id" as a template key: "routing_routes[1]_group_id". */
static const char *flat_key(struct kefu_req *r, const char *f)
{
	char *flat = arena_strdup(r->arena, f);
	for (char *p = flat; *p; p++)
		if (*p == '.')
			*p = '_';
	return flat;
}

const char *page_control(const char *field, const char *fallback, const char *const *controls)
{
	if (field == NULL)
		return fallback;
	for (; *controls; controls++) {
		size_t n = strlen(*controls);
		if (strncmp(field, *controls, n) == 0 && (field[n] == '\0' || field[n] == '.' || field[n] == '['))
			return *controls;
	}
	return field;
}

json_object *page_form_frame(struct kefu_req *r, const char *active, kefu_err err)
{
	json_object *d = page_frame(r, active);
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	return d;
}

kefu_err page_fail_form(struct kefu_req *r, kefu_err e, json_object *form)
{
	json_object_put(form);
	return page_fail(r, e);
}

void page_set_error(struct kefu_req *r, json_object *data, kefu_err e, const char *field)
{
	const char *f = field ? field : r->err_field;
	const char *key = e == KEFU_E_CONFLICT ? "form.conflict" : "form.invalid";
	if (f && e == KEFU_E_INVALID_FIELD && strcmp(f, "password") == 0)
		key = "form.password_rule";
	else if (f && e == KEFU_E_CONFLICT && strcmp(f, "login") == 0)
		key = "form.login_taken";
	else if (f && e == KEFU_E_CONFLICT && strcmp(f, "external_id") == 0)
		key = "form.external_taken";
	else if (e == KEFU_E_CONFLICT && f == NULL)
		key = "form.conflict";
	json_object *errors;
	if (!json_object_object_get_ex(data, "errors", &errors)) {
		errors = json_object_new_object();
		json_object_object_add(data, "errors", errors);
	}
	/* Every field at fault, each with its own message: data.errors by flattened name for the template, and
	 * data.faults as JSON text for the builders (cond-builder.js), which mark the rows inside them. */
	json_object *faults = json_object_new_array();
	size_t n = e == KEFU_E_INVALID_FIELD ? r->err_nall : 0;
	for (size_t i = 0; i < n; i++) {
		const struct fault_item *it = &r->err_all[i];
		if (it->field == NULL)
			continue;
		const char *msg = fault_text(r, it->field, it->message, key);
		if (!json_object_object_get_ex(errors, flat_key(r, it->field), NULL))
			json_object_object_add(errors, flat_key(r, it->field), json_object_new_string(msg));
		/* A fault inside a field is also shown on the field that holds it: "prechat_fields.0.name" on the
		 * pre-chat editor with its message, "routing.routes[1].group_id" on the routes (whose builder marks
		 * the row itself) as "see below". */
		for (const char *p = it->field; (p = strpbrk(p, ".[")) != NULL; p++) {
			const char *up = flat_key(r, arena_strndup(r->arena, it->field, (size_t)(p - it->field)));
			if (!json_object_object_get_ex(errors, up, NULL))
				json_object_object_add(
				    errors, up,
				    json_object_new_string(strchr(it->field, '[') ? page_t(r, "form.see_below") : msg));
		}
		json_object *o = json_object_new_object();
		json_object_object_add(o, "field", json_object_new_string(it->field));
		json_object_object_add(o, "message", json_object_new_string(msg));
		json_object_array_add(faults, o);
	}
	if (n > 0 && f != NULL && !json_object_object_get_ex(errors, flat_key(r, f), NULL))
		json_object_object_add(errors, flat_key(r, f), json_object_new_string(page_t(r, "form.see_below")));
	if (n == 0 && f != NULL)
		json_object_object_add(errors, flat_key(r, f),
		                       json_object_new_string(e == KEFU_E_INVALID_FIELD
		                                                  ? fault_text(r, f, r->err_message, key)
		                                                  : page_t(r, key)));
	json_object_object_add(data, "faults",
	                       json_object_new_string(arena_strdup(
	                           r->arena, json_object_to_json_string_ext(
	                                         faults, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE))));
	json_object_put(faults);
	json_object_object_add(data, "error", json_object_new_string(page_t(r, f ? "form.check_fields" : key)));
	r->err_field = NULL;
	r->err_message = NULL;
	r->err_all = NULL;
	r->err_nall = 0;
}

kefu_err page_render(struct kefu_req *r, const char *tpl, json_object *data)
{
	return resp_html(r, 200, tpl, data);
}

kefu_err page_fail(struct kefu_req *r, kefu_err e)
{
	/* Only what a person can act on gets a page; the rest is the router's. */
	if (e != KEFU_E_NOT_FOUND && e != KEFU_E_FORBIDDEN && e != KEFU_E_CONFLICT)
		return e;
	json_object *d = page_frame(r, NULL);
	const char *code = kefu_err_code(e);
	json_object_object_add(d, "message",
	                       json_object_new_string(page_t(r, arena_printf(r->arena, "error.%s", code))));
	json_object_object_add(d, "status", json_object_new_int(kefu_err_status(e)));
	r->err_field = NULL;
	r->err_all = NULL;
	r->err_nall = 0;
	return resp_html(r, kefu_err_status(e), "console-error", d);
}

void page_flag(json_object *obj, const char *key, bool on)
{
	json_object_object_add(obj, key, json_object_new_boolean(on));
}

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Depth-first from parent; rows are sorted by name, so siblings are too. */
static void tree_walk(struct kefu_req *r, const struct dept_row *rows, size_t nrows, bool *done, int64_t parent,
                      int depth, const int64_t *checked, size_t n, json_object *out)
{
	for (size_t i = 0; i < nrows; i++) {
		if (done[i] || rows[i].parent_id != parent)
			continue;
		done[i] = true;
		json_object *o = json_object_new_object();
		int shown = depth > 6 ? 6 : depth;
		char *label = arena_alloc(r->arena, (size_t)shown * 4 + strlen(rows[i].name) + 1);
		label[0] = '\0';
		for (int k = 0; k < shown; k++)
			strcat(label, "\xe3\x80\x80"); /* U+3000: an indent that survives option labels */
		strcat(label, rows[i].name);
		json_object_object_add(o, "id", json_object_new_int64(rows[i].id));
		json_object_object_add(o, "name", json_object_new_string(rows[i].name));
		json_object_object_add(o, "label", json_object_new_string(label));
		json_object_object_add(o, "depth", json_object_new_string(arena_printf(r->arena, "depth-%d", shown)));
		json_object_object_add(o, "parent_id", json_id(rows[i].parent_id));
		json_object_object_add(
		    o, "href",
		    json_object_new_string(arena_printf(r->arena, "/console/departments/%lld", (long long)rows[i].id)));
		json_object_object_add(o, "members", json_object_new_int64(rows[i].members));
		json_object_object_add(o, "checked", json_object_new_boolean(has_id(checked, n, rows[i].id)));
		json_object_array_add(out, o);
		tree_walk(r, rows, nrows, done, rows[i].id, depth + 1, checked, n, out);
	}
}

kefu_err page_dept_tree(struct kefu_req *r, const int64_t *checked, size_t n, json_object **out)
{
	struct dept_row *rows;
	size_t nrows;
	kefu_err e = org_dept_rows(r->db, r->arena, r->caller.tenant_id, &rows, &nrows);
	if (e != KEFU_OK)
		return e;
	bool *done = arena_calloc(r->arena, nrows + 1, sizeof *done);
	*out = json_object_new_array();
	tree_walk(r, rows, nrows, done, 0, 0, checked, n, *out);
	return KEFU_OK;
}

static json_object *user_choice(const struct user_row *u, bool checked)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(u->id));
	json_object_object_add(o, "name", json_object_new_string(u->name));
	json_object_object_add(o, "login", json_object_new_string(u->login));
	json_object_object_add(o, "checked", json_object_new_boolean(checked));
	return o;
}

kefu_err page_user_choices(struct kefu_req *r, const int64_t *checked, size_t n, json_object **out)
{
	struct user_row *rows;
	size_t nrows;
	kefu_err e = org_user_rows(r->db, r->arena, r->caller.tenant_id, &rows, &nrows);
	if (e != KEFU_OK)
		return e;
	*out = json_object_new_array();
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < nrows; i++)
			if (rows[i].id == checked[k])
				json_object_array_add(*out, user_choice(&rows[i], true));
	for (size_t i = 0; i < nrows; i++)
		if (!has_id(checked, n, rows[i].id))
			json_object_array_add(*out, user_choice(&rows[i], false));
	return KEFU_OK;
}

int64_t *page_id_array(struct kefu_req *r, json_object *arr, size_t *n)
{
	size_t len = arr ? json_object_array_length(arr) : 0;
	int64_t *ids = arena_calloc(r->arena, len + 1, sizeof *ids);
	for (size_t i = 0; i < len; i++)
		ids[i] = json_object_get_int64(json_object_array_get_idx(arr, i));
	*n = len;
	return ids;
}

static void put_json(void *p)
{
	json_object_put(p);
}

void page_keep(struct kefu_req *r, json_object *o)
{
	arena_defer(r->arena, put_json, json_object_get(o));
}
