/* page-cgroups: conversation groups in the console: list by priority, create (conditions as JSON, same validation as
 * the API), delete. */
#include <stdlib.h>
#include <string.h>

#include "domain/cgroups.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

static kefu_err show(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	(void)id; /* one page: the list with the new form */
	struct cgroup_row *rows;
	size_t n;
	struct crud_ctx c = resource_ctx(r, &(struct fault){0});
	kefu_err e = crud_list_rows(&c, &cgroup_ops, &rows, &n);
	if (e != KEFU_OK) {
		json_object_put(form);
		return page_fail(r, e);
	}
	json_object *d = page_frame(r, "conversation_groups"), *items = json_object_new_array();
	if (err != KEFU_OK)
		page_set_error(r, d, err, NULL);
	for (size_t i = 0; i < n; i++) {
		json_object *g = cgroup_json(&rows[i]);
		json_object_object_add(g, "match_text", json_object_new_string(rows[i].match));
		page_link(r, g, "delete_action", page_res_cgroups.base, rows[i].id, "/delete");
		json_object_array_add(items, g);
	}
	json_object_object_add(d, "groups", items);
	json_object_object_add(d, "form", form ? form : json_object_new_object());
	return page_render(r, "cgroups", d);
}

PAGE_RESOURCE(page_res_cgroups, "/console/conversation-groups", "conversation_groups", res_cgroups, PAGE_ROUTES_LIST,
              .show = show);
