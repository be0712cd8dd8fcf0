/* page-cgroups: conversation groups in the console: list by priority, create and edit (conditions with the
 * condition builder, same validation as the API), delete. */
#include <stdlib.h>
#include <string.h>

#include "domain/cgroups.h"
#include "domain/channels.h"
#include "domain/org-read.h"
#include "domain/rules.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/builders.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

/* The builder's fields: the COND language's and the conversation's own (channel, group, rule by name). */
static kefu_err fields(struct kefu_req *r, json_object **out)
{
	struct channel_row *ch;
	struct group_row *gr;
	size_t nch, ng;
	json_object *rules = NULL, *items = NULL;
	kefu_err e = channel_list(r->db, r->arena, r->caller.tenant_id, &ch, &nch);
	if (e == KEFU_OK)
		e = org_group_rows(r->db, r->arena, r->caller.tenant_id, &gr, &ng);
	if (e == KEFU_OK)
		e = rule_list(r->db, r->arena, r->caller.tenant_id, &rules);
	if (e != KEFU_OK)
		return e;
	json_object *a = cb_cond_fields(r);
	cb_add_prechat(r, a, ch, nch);
	json_object *fc = cb_field(r, "conversation.channel_id", "cb.f_channel", "id", false);
	for (size_t i = 0; i < nch; i++)
		cb_option(fc, ch[i].id, ch[i].name);
	json_object *fg = cb_field(r, "conversation.group_id", "cb.f_group", "id", false);
	for (size_t i = 0; i < ng; i++)
		cb_option(fg, gr[i].id, gr[i].name);
	json_object *fr = cb_field(r, "conversation.rule_id", "cb.f_rule", "id", false);
	json_object_object_get_ex(rules, "items", &items);
	for (size_t i = 0; items && i < json_object_array_length(items); i++) {
		json_object *x = json_object_array_get_idx(items, i), *id, *name;
		json_object_object_get_ex(x, "id", &id);
		json_object_object_get_ex(x, "name", &name);
		cb_option(fr, json_object_get_int64(id), json_object_get_string(name));
	}
	json_object_put(rules);
	json_object_array_add(a, fc);
	json_object_array_add(a, fg);
	json_object_array_add(a, fr);
	*out = a;
	return KEFU_OK;
}

static kefu_err show(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	struct cgroup_row *rows;
	size_t n;
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	kefu_err e = crud_list_rows(&c, &cgroup_ops, &rows, &n);
	json_object *cf = NULL;
	if (e == KEFU_OK)
		e = fields(r, &cf);
	json_object *stored = NULL;
	if (e == KEFU_OK && id != 0 && form == NULL)
		e = crud_get(&c, &cgroup_ops, id, &stored);
	if (e != KEFU_OK) {
		json_object_put(cf);
		return page_fail_form(r, e, form);
	}
	json_object *d = page_frame(r, "conversation_groups"), *items = json_object_new_array();
	/* before page_set_error, which takes the error's fields over */
	cb_match_fault(r, d);
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *g = cgroup_json(&rows[i]);
		page_link(r, g, "edit_href", page_res_cgroups.base, rows[i].id, "");
		page_link(r, g, "delete_action", page_res_cgroups.base, rows[i].id, "/delete");
		page_flag(g, "editing", rows[i].id == id);
		json_object_array_add(items, g);
	}
	json_object_object_add(d, "groups", items);
	if (stored) {
		cb_form_match(stored);
		form = stored;
	}
	json_object_object_add(d, "form", form ? form : json_object_new_object());
	json_object_object_add(d, "builder", json_object_new_string(cb_config(r, cf)));
	page_flag(d, "editing", id != 0);
	page_res_actions(r, &page_res_cgroups, d, id, false);
	return page_render(r, "cgroups", d);
}

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	return show(r, 0, NULL, KEFU_OK);
}

PAGE_RESOURCE(page_res_cgroups, "/console/conversation-groups", "conversation_groups", res_cgroups, PAGE_ROUTES_EDIT,
              .show = show);
