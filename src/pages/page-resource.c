/* page-resource: the generic create/edit/update/delete of a console form page, driven by its descriptor. */
#include "pages/page-resource.h"

#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "http/response.h"
#include "pages/pages.h"

/* The descriptor whose routes[slot] r was routed to. */
static const struct page_resource *page_of(const struct kefu_req *r, enum page_route slot)
{
	const struct page_resource *p =
	    (const struct page_resource *)((const char *)(r->route - slot) - offsetof(struct page_resource, routes));
	assert(p->routes[slot].handler == r->route->handler);
	return p;
}

static json_object *id_value(const char *v, bool *ok)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	*ok = *end == '\0' && n > 0;
	return json_object_new_int64(n);
}

kefu_err page_form_body(struct kefu_req *r, const struct form_field *fields, json_object **body, json_object **typed)
{
	json_object *b = json_object_new_object(), *t = json_object_new_object();
	const char *bad = NULL;
	for (const struct form_field *f = fields; f->name; f++) {
		const char *v = f->type == FORM_SECRET ? req_form(r, f->name) : page_field(r, f->name);
		json_object *x = NULL, *shown = NULL;
		bool ok = true, add = true;
		switch (f->type) {
		case FORM_TEXT:
		case FORM_SECRET:
			add = v && *v;
			x = add ? json_object_new_string(v) : NULL;
			break;
		case FORM_TEXT_EMPTY: x = json_object_new_string(v ? v : ""); break;
		case FORM_TEXT_OR_NULL: x = v ? json_object_new_string(v) : NULL; break;
		case FORM_BOOL: x = json_object_new_boolean(req_form(r, f->name) != NULL); break;
		case FORM_ID_OR_NULL: x = v ? id_value(v, &ok) : NULL; break;
		case FORM_IDS: ok = page_ids(r, f->name, &x) == KEFU_OK; break;
		case FORM_INT: {
			/* Not a number: sent as the text, so the check names the field along with every other fault. */
			char *end = NULL;
			long long n = v ? strtoll(v, &end, 10) : 0;
			add = v != NULL;
			x = v ? (*end == '\0' ? json_object_new_int64(n) : json_object_new_string(v)) : NULL;
			shown = json_object_new_string(v ? v : "");
			break;
		}
		case FORM_JSON:
			add = v != NULL;
			x = v ? json_tokener_parse(v) : NULL;
			ok = !v || x != NULL;
			shown = json_object_new_string(v ? v : "");
			break;
		}
		if (!ok && bad == NULL)
			bad = f->name;
		if (ok && add)
			json_object_object_add(b, f->name, x);
		else
			json_object_put(x);
		if (f->type != FORM_SECRET && (shown || (ok && add)))
			json_object_object_add(t, f->name,
			                       shown ? shown : json_object_get(json_object_object_get(b, f->name)));
	}
	*body = b;
	*typed = t;
	return bad ? req_fail(r, KEFU_E_INVALID_FIELD, bad, NULL) : KEFU_OK;
}

void page_link(struct kefu_req *r, json_object *obj, const char *key, const char *base, int64_t id, const char *tail)
{
	json_object_object_add(obj, key,
	                       json_object_new_string(arena_printf(r->arena, "%s/%lld%s", base, (long long)id, tail)));
}

kefu_err page_res_frame(struct kefu_req *r, const struct page_resource *p, int64_t id, json_object *form, kefu_err err,
                        json_object **view, json_object **data)
{
	*view = NULL;
	if (id) {
		struct crud_ctx c = resource_ctx(r, &(struct fault){0});
		kefu_err e = crud_get(&c, p->res->ops, id, view);
		if (e != KEFU_OK) {
			json_object_put(form);
			return e;
		}
	}
	*data = page_form_frame(r, p->nav, err);
	return KEFU_OK;
}

void page_res_actions(struct kefu_req *r, const struct page_resource *p, json_object *data, int64_t id, bool can_delete)
{
	const char *self = id ? arena_printf(r->arena, "%s/%lld", p->base, (long long)id) : p->base;
	json_object_object_add(data, "form_action", json_object_new_string(self));
	json_object_object_add(data, "delete_action",
	                       id && can_delete ? json_object_new_string(arena_printf(r->arena, "%s/delete", self))
	                                        : NULL);
}

/* The form field a fault inside a JSON field's value is shown on. */
static const char *shown_on(const struct form_field *fields, const char *field)
{
	for (const struct form_field *f = fields; f && f->name && field; f++) {
		size_t n = strlen(f->name);
		if (f->type == FORM_JSON && strncmp(field, f->name, n) == 0)
			return f->name;
	}
	return field;
}

static kefu_err save(struct kefu_req *r, const struct page_resource *p, int64_t id)
{
	PAGE_NEED_SESSION(r);
	const struct form_field *fields = p->res->form;
	json_object *body = NULL, *typed = NULL;
	kefu_err e = p->body ? p->body(r, &body) : page_form_body(r, fields, &body, &typed);
	page_keep(r, body);
	if (e == KEFU_OK) {
		struct fault f = {0};
		struct crud_ctx c = resource_ctx(r, &f);
		e = crud_save(&c, p->res->ops, body, &id, NULL);
		if (e != KEFU_OK && (f.field || f.message)) {
			req_fail_fault(r, e, &f);
			r->err_field = shown_on(fields, f.field);
		}
	}
	if (e == KEFU_OK) {
		json_object_put(body);
		json_object_put(typed);
		bool item = p->done == DONE_ITEM || (p->done == DONE_ITEM_ON_UPDATE && r->ids[0]);
		return resp_redirect(r, item ? arena_printf(r->arena, "%s/%lld?saved=1", p->base, (long long)id)
		                             : arena_printf(r->arena, "%s?saved=1", p->base));
	}
	if (!page_form_error(e)) {
		json_object_put(body);
		json_object_put(typed);
		return page_fail(r, e);
	}
	/* What was typed, but never a password or secret. */
	if (typed) {
		json_object_put(body);
		body = typed;
	}
	return p->show(r, r->ids[0], body, e);
}

kefu_err page_res_create(struct kefu_req *r)
{
	return save(r, page_of(r, PAGE_R_CREATE), 0);
}

kefu_err page_create_once(struct kefu_req *r, const struct crud_ops *ops, json_object *form, const char *once_field,
                          kefu_err (*show)(struct kefu_req *r, json_object *form, kefu_err err, const char *once))
{
	struct fault f = {0};
	struct crud_ctx c = resource_ctx(r, &f);
	int64_t id = 0;
	json_object *view = NULL, *once = NULL;
	kefu_err e = resource_fail(r, crud_save(&c, ops, form, &id, &view), &f);
	if (e == KEFU_OK) {
		json_object_put(form);
		page_keep(r, view);
		json_object_object_get_ex(view, once_field, &once);
		json_object_put(view);
		return show(r, NULL, KEFU_OK, json_object_get_string(once));
	}
	return page_form_error(e) ? show(r, form, e, NULL) : page_fail_form(r, e, form);
}

kefu_err page_res_update(struct kefu_req *r)
{
	return save(r, page_of(r, PAGE_R_UPDATE), r->ids[0]);
}

kefu_err page_res_delete(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	const struct page_resource *p = page_of(r, PAGE_R_DELETE);
	struct fault f = {0};
	struct crud_ctx c = resource_ctx(r, &f);
	kefu_err e = resource_fail(r, crud_remove(&c, p->res->ops, r->ids[0]), &f);
	if (e == KEFU_E_CONFLICT && p->delete_shows)
		return p->show(r, r->ids[0], NULL, e);
	return e != KEFU_OK ? page_fail(r, e) : resp_redirect(r, arena_printf(r->arena, "%s?saved=1", p->base));
}

kefu_err page_res_edit(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return page_of(r, PAGE_R_EDIT)->show(r, r->ids[0], NULL, KEFU_OK);
}

kefu_err page_res_new(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return page_of(r, PAGE_R_NEW)->show(r, 0, NULL, KEFU_OK);
}

kefu_err page_res_list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return page_of(r, PAGE_R_LIST)->show(r, 0, NULL, KEFU_OK);
}
