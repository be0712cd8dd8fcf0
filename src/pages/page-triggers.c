/* page-triggers: a channel's proactive invitations in the console: the list with a sentence saying when each fires,
 * and the form (conditions with the condition builder, no JSON), through the same crud_ops as the REST resource. */
#include <string.h>

#include "api/resource.h"
#include "domain/channels.h"
#include "domain/insight.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/builders.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

static const struct form_field trigger_form[] = {
    {"name", FORM_TEXT_EMPTY},
    {"enabled", FORM_BOOL},
    {"match", FORM_JSON},
    {"after_seconds", FORM_INT},
    {"text", FORM_TEXT_EMPTY},
    {"once_per_hours", FORM_INT},
    {NULL, 0},
};

/* The builder's fields: the page (URL, title, referrer), the visitor as the live list shows them, and the
 * visitor's own attributes (kefu('set')); labels and the preview sentence's words in the page's language. */
static const char *builder(struct kefu_req *r)
{
	json_object *a = json_object_new_array(), *f;
	json_object_array_add(a, cb_field(r, "page.url", "triggers.f_url", "text", false));
	json_object_array_add(a, cb_field(r, "page.title", "triggers.f_title", "text", false));
	json_object_array_add(a, cb_field(r, "page.referrer", "triggers.f_referrer", "text", false));
	f = cb_field(r, "visitor.pages_viewed", "triggers.f_pages", "number", false);
	json_object *ops = json_object_new_array();
	static const char *const num_ops[] = {"gte", "lte", "eq", "ne"};
	for (size_t i = 0; i < sizeof num_ops / sizeof *num_ops; i++)
		json_object_array_add(ops, json_object_new_string(num_ops[i]));
	json_object_object_add(f, "ops", ops);
	json_object_array_add(a, f);
	f = cb_field(r, "visitor.device", "triggers.f_device", "enum", false);
	static const char *const devices[][2] = {{"desktop", "visitors.device_desktop"},
	                                         {"mobile", "visitors.device_mobile"},
	                                         {"tablet", "visitors.device_tablet"}};
	json_object *opts = json_object_new_array();
	for (size_t i = 0; i < sizeof devices / sizeof *devices; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(devices[i][0]));
		json_object_object_add(o, "label", json_object_new_string(page_t(r, devices[i][1])));
		json_object_array_add(opts, o);
	}
	json_object_object_add(f, "options", opts);
	json_object_object_add(f, "ops", json_object_new_array());
	json_object_array_add(json_object_object_get(f, "ops"), json_object_new_string("eq"));
	json_object_array_add(json_object_object_get(f, "ops"), json_object_new_string("ne"));
	json_object_array_add(a, f);
	json_object_array_add(a, cb_field(r, "visitor.returning", "triggers.f_returning", "bool", false));
	json_object_array_add(a, cb_field(r, "visitor.identified", "cb.f_identified", "bool", false));
	json_object_array_add(a, cb_field(r, "visitor.locale", "cb.f_locale", "text", false));
	json_object_array_add(a, cb_field(r, "visitor.", "cb.f_visitor", "text", true));

	json_object *c = json_object_new_object(), *labels = cb_labels(r);
	json_object_object_add(c, "fields", a);
	/* The numeric operators and the preview's words are this page's own. */
	static const char *const own[] = {"triggers.op_gte",    "triggers.op_lte", "triggers.preview",
	                                  "triggers.where_any", "triggers.where",  "triggers.and",
	                                  "triggers.after_now", "triggers.after_n"};
	for (size_t i = 0; i < sizeof own / sizeof *own; i++)
		json_object_object_add(labels, own[i] + strlen("triggers."), json_object_new_string(page_t(r, own[i])));
	json_object_object_add(c, "labels", labels);
	const char *s = arena_strdup(
	    r->arena, json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(c);
	return s;
}

static const char *base_of(struct kefu_req *r, int64_t channel_id)
{
	return arena_printf(r->arena, "/console/channels/%lld/triggers", (long long)channel_id);
}

/* The page: the channel's triggers and the form for a new one (id 0) or the one being edited; form what was
 * typed (NULL: the stored trigger, or the defaults), err the refusal being shown. */
static kefu_err show(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	int64_t channel_id = r->ids[0];
	struct channel_row ch;
	kefu_err e = channel_get(r->db, r->arena, r->caller.tenant_id, channel_id, &ch);
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	c.parent_id = channel_id;
	json_object *list = NULL, *stored = NULL;
	if (e == KEFU_OK)
		e = crud_list(&c, &trigger_ops, &list);
	if (e == KEFU_OK && id != 0 && form == NULL)
		e = crud_get(&c, &trigger_ops, id, &stored);
	if (e != KEFU_OK) {
		json_object_put(list);
		return page_fail_form(r, e, form);
	}
	page_keep(r, list);
	json_object_put(list);
	const char *base = base_of(r, channel_id);
	json_object *d = page_frame(r, "channels"), *items = json_object_new_array(), *all = NULL;
	/* before page_set_error, which takes the error's fields over */
	cb_match_fault(r, d);
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	json_object_object_get_ex(list, "items", &all);
	for (size_t i = 0; all && i < json_object_array_length(all); i++) {
		json_object *t = json_object_array_get_idx(all, i), *v;
		int64_t tid = json_object_object_get_ex(t, "id", &v) ? json_object_get_int64(v) : 0;
		json_object *row = json_object_new_object();
		json_object_object_add(row, "name", json_object_get(json_object_object_get(t, "name")));
		json_object_object_add(
		    row, "enabled",
		    json_object_new_boolean(json_object_get_boolean(json_object_object_get(t, "enabled"))));
		/* The whole trigger for the preview sentence triggers.js writes. */
		json_object_object_add(row, "json",
		                       json_object_new_string(json_object_to_json_string_ext(
		                           t, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)));
		page_link(r, row, "edit_href", base, tid, "");
		page_link(r, row, "delete_action", base, tid, "/delete");
		page_flag(row, "editing", tid == id);
		json_object_array_add(items, row);
	}
	json_object_object_add(d, "triggers", items);
	if (stored) {
		cb_form_match(stored);
		form = stored;
	}
	if (form == NULL) {
		/* A new trigger: on, 10 s on the page, once a day. */
		form = json_object_new_object();
		json_object_object_add(form, "enabled", json_object_new_boolean(true));
		json_object_object_add(form, "match", json_object_new_string("\"all\""));
		json_object_object_add(form, "after_seconds", json_object_new_int(10));
		json_object_object_add(form, "once_per_hours", json_object_new_int(24));
	}
	json_object_object_add(d, "form", form);
	json_object_object_add(d, "builder", json_object_new_string(builder(r)));
	json_object *cj = json_object_new_object();
	json_object_object_add(cj, "name", json_object_new_string(ch.name));
	json_object_object_add(
	    cj, "href",
	    json_object_new_string(arena_printf(r->arena, "/console/channels/%lld", (long long)channel_id)));
	page_flag(cj, "tracking", ch.tracking);
	json_object_object_add(d, "channel", cj);
	page_flag(d, "editing", id != 0);
	const char *self = id ? arena_printf(r->arena, "%s/%lld", base, (long long)id) : base;
	json_object_object_add(d, "form_action", json_object_new_string(self));
	json_object_object_add(d, "new_href", json_object_new_string(base));
	return page_render(r, "triggers", d);
}

static kefu_err save(struct kefu_req *r, int64_t id)
{
	PAGE_NEED_SESSION(r);
	json_object *body = NULL, *typed = NULL;
	kefu_err e = page_form_body(r, trigger_form, &body, &typed);
	page_keep(r, body);
	if (e == KEFU_OK) {
		struct fault f = {0};
		struct crud_ctx c = resource_ctx(r, &f);
		c.parent_id = r->ids[0];
		e = crud_save(&c, &trigger_ops, body, &id, NULL);
		if (e != KEFU_OK && (f.field || f.message)) {
			req_fail_fault(r, e, &f);
			/* A fault inside the conditions is shown on the builder as a whole, and on its row. */
			if (f.field && strncmp(f.field, "match.", 6) == 0)
				r->err_field = "match";
		}
	}
	if (e == KEFU_OK) {
		json_object_put(body);
		json_object_put(typed);
		return resp_redirect(r, arena_printf(r->arena, "%s?saved=1", base_of(r, r->ids[0])));
	}
	json_object_put(body);
	if (!page_form_error(e))
		return page_fail_form(r, e, typed);
	return show(r, id, typed, e);
}

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show(r, 0, NULL, KEFU_OK);
}

static kefu_err edit(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show(r, r->ids[1], NULL, KEFU_OK);
}

static kefu_err create(struct kefu_req *r)
{
	return save(r, 0);
}

static kefu_err update(struct kefu_req *r)
{
	return save(r, r->ids[1]);
}

static kefu_err destroy(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	struct fault f = {0};
	struct crud_ctx c = resource_ctx(r, &f);
	c.parent_id = r->ids[0];
	kefu_err e = resource_fail(r, crud_remove(&c, &trigger_ops, r->ids[1]), &f);
	return e != KEFU_OK ? page_fail(r, e)
	                    : resp_redirect(r, arena_printf(r->arena, "%s?saved=1", base_of(r, r->ids[0])));
}

const struct route page_triggers_routes[] = {
    {"GET", "/console/channels/{channel_id}/triggers", list, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/channels/{channel_id}/triggers", create, AUTH_PAGE_ADMIN, BODY_FORM},
    {"GET", "/console/channels/{channel_id}/triggers/{id}", edit, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/channels/{channel_id}/triggers/{id}", update, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/channels/{channel_id}/triggers/{id}/delete", destroy, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
