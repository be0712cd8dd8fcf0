/* page-tags: the tenant's conversation tags in the console: the list with how many conversations carry each (a link
 * to them in history), a new tag, delete (which untags its conversations). Agents add tags while tagging too. */
#include "domain/tags.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

static kefu_err show(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	(void)id; /* one page: the list with the new form */
	struct tag_row *rows;
	size_t n;
	kefu_err e = tag_vocabulary(r->db, r->arena, r->caller.tenant_id, &rows, &n);
	if (e != KEFU_OK)
		return page_fail_form(r, e, form);
	json_object *d = page_form_frame(r, "tags", err), *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *t = tag_json(&rows[i], true);
		/* An SVG fill, not a style attribute: the CSP allows no inline style. */
		json_object_object_add(t, "swatch", json_object_new_string(rows[i].color ? rows[i].color : "#0b5ed7"));
		json_object_object_add(t, "history",
		                       json_object_new_string(arena_printf(
		                           r->arena, "/console/history?status=&tag_id=%lld", (long long)rows[i].id)));
		page_link(r, t, "delete_action", page_res_tags.base, rows[i].id, "/delete");
		json_object_array_add(items, t);
	}
	json_object_object_add(d, "tags", items);
	if (form == NULL)
		form = json_object_new_object();
	json_object *color = NULL;
	if (!json_object_object_get_ex(form, "color", &color) || !json_object_is_type(color, json_type_string))
		json_object_object_add(form, "color",
		                       json_object_new_string("#0b5ed7")); /* <input type=color> has no empty */
	json_object_object_add(d, "form", form);
	return page_render(r, "tags", d);
}

PAGE_RESOURCE(page_res_tags, "/console/tags", "tags", res_tags, PAGE_ROUTES_LIST, .show = show);
