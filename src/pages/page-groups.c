/* page-groups: agent groups in the console: members in order, departments, and the service hours editor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/org.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/page-resource.h"
#include "pages/pages.h"

/* "09:00-12:00, 13:00-18:00" → [["09:00","12:00"],["13:00","18:00"]]; NULL when malformed.
 * Range checks are domain/org.c's; this only splits the text. */
static json_object *spans_from_text(struct kefu_req *r, const char *text)
{
	json_object *arr = json_object_new_array();
	char *copy = arena_strdup(r->arena, text), *save = NULL;
	for (char *tok = strtok_r(copy, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save)) {
		char a[8], b[8], tail;
		while (*tok == ' ')
			tok++;
		if (*tok == '\0')
			continue;
		if (sscanf(tok, " %5[0-9:] - %5[0-9:] %c", a, b, &tail) != 2) {
			json_object_put(arr);
			return NULL;
		}
		json_object *pair = json_object_new_array();
		json_object_array_add(pair, json_object_new_string(a));
		json_object_array_add(pair, json_object_new_string(b));
		json_object_array_add(arr, pair);
	}
	return arr;
}

static kefu_err hours_json(struct kefu_req *r, json_object **out)
{
	*out = NULL;
	if (!page_field(r, "hours_enabled"))
		return KEFU_OK;
	json_object *h = json_object_new_object(), *weekly = json_object_new_object(),
	            *closed = json_object_new_array();
	*out = h;
	const char *tz = page_field(r, "timezone");
	if (tz)
		json_object_object_add(h, "timezone", json_object_new_string(tz));
	json_object_object_add(h, "weekly", weekly);
	json_object_object_add(h, "closed_dates", closed);
	for (int d = 0; d < 7; d++) {
		const char *text = page_field(r, arena_printf(r->arena, "hours_%s", org_weekdays[d]));
		if (text == NULL)
			continue;
		json_object *spans = spans_from_text(r, text);
		if (spans == NULL)
			return req_fail(r, KEFU_E_INVALID_FIELD,
			                arena_printf(r->arena, "service_hours.weekly.%s", org_weekdays[d]), NULL);
		json_object_object_add(weekly, org_weekdays[d], spans);
	}
	const char *dates = page_field(r, "closed_dates");
	if (dates) {
		char *copy = arena_strdup(r->arena, dates), *save = NULL;
		for (char *tok = strtok_r(copy, ", \t\r\n", &save); tok; tok = strtok_r(NULL, ", \t\r\n", &save))
			json_object_array_add(closed, json_object_new_string(tok));
	}
	return KEFU_OK;
}

/* Explicit members in the order of their position fields (ties: list order). */
struct member {
	int64_t id;
	long pos;
	size_t seq;
};

static int by_pos(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static kefu_err members_json(struct kefu_req *r, json_object **out)
{
	json_object *ids;
	if (page_ids(r, "member_user_ids", &ids) != KEFU_OK)
		return req_fail(r, KEFU_E_INVALID_FIELD, "member_user_ids", NULL);
	size_t n = json_object_array_length(ids);
	struct member *m = arena_calloc(r->arena, n + 1, sizeof *m);
	for (size_t i = 0; i < n; i++) {
		m[i].id = json_object_get_int64(json_object_array_get_idx(ids, i));
		m[i].seq = i;
		const char *p = page_field(r, arena_printf(r->arena, "pos_%lld", (long long)m[i].id));
		m[i].pos = p ? strtol(p, NULL, 10) : 1000000;
	}
	qsort(m, n, sizeof *m, by_pos);
	json_object_put(ids);
	*out = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(*out, json_object_new_int64(m[i].id));
	return KEFU_OK;
}

static kefu_err form_json(struct kefu_req *r, json_object **out)
{
	json_object *o = json_object_new_object(), *x;
	*out = o;
	const char *name = page_field(r, "name");
	json_object_object_add(o, "name", json_object_new_string(name ? name : ""));
	kefu_err e = members_json(r, &x);
	if (e != KEFU_OK)
		return e;
	json_object_object_add(o, "member_user_ids", x);
	if (page_ids(r, "member_department_ids", &x) != KEFU_OK)
		return req_fail(r, KEFU_E_INVALID_FIELD, "member_department_ids", NULL);
	json_object_object_add(o, "member_department_ids", x);
	e = hours_json(r, &x);
	json_object_object_add(o, "service_hours", x);
	return e;
}

static const char *day_key(int d)
{
	static const char *const keys[7] = {"day.mon", "day.tue", "day.wed", "day.thu",
	                                    "day.fri", "day.sat", "day.sun"};
	return keys[d];
}

/* The hours editor's rows: from the stored object (sh, may be NULL), or, after a
 * failed POST, from the fields as typed so nothing is lost. */
static json_object *hours_display(struct kefu_req *r, json_object *sh, bool from_form, json_object *errors)
{
	json_object *h = json_object_new_object(), *days = json_object_new_array(), *weekly = NULL, *v;
	bool enabled = from_form ? page_field(r, "hours_enabled") != NULL : sh != NULL;
	page_flag(h, "enabled", enabled);
	const char *tz = NULL, *closed = NULL;
	if (from_form) {
		tz = page_field(r, "timezone");
		closed = page_field(r, "closed_dates");
	} else if (sh) {
		if (json_object_object_get_ex(sh, "timezone", &v) && v)
			tz = json_object_get_string(v);
		json_object_object_get_ex(sh, "weekly", &weekly);
		if (json_object_object_get_ex(sh, "closed_dates", &v) && v) {
			char *s = arena_strdup(r->arena, "");
			for (size_t i = 0; i < json_object_array_length(v); i++)
				s = arena_printf(r->arena, "%s%s%s", s, i ? "\n" : "",
				                 json_object_get_string(json_object_array_get_idx(v, i)));
			closed = s;
		}
	}
	json_object_object_add(h, "timezone", json_object_new_string(tz ? tz : ""));
	json_object_object_add(h, "closed_dates", json_object_new_string(closed ? closed : ""));
	for (int d = 0; d < 7; d++) {
		json_object *row = json_object_new_object(), *spans = NULL, *err = NULL;
		const char *text = NULL;
		if (from_form) {
			text = page_field(r, arena_printf(r->arena, "hours_%s", org_weekdays[d]));
		} else if (weekly && json_object_object_get_ex(weekly, org_weekdays[d], &spans)) {
			char *s = arena_strdup(r->arena, "");
			for (size_t i = 0; i < json_object_array_length(spans); i++) {
				json_object *p = json_object_array_get_idx(spans, i);
				s = arena_printf(r->arena, "%s%s%s-%s", s, i ? ", " : "",
				                 json_object_get_string(json_object_array_get_idx(p, 0)),
				                 json_object_get_string(json_object_array_get_idx(p, 1)));
			}
			text = s;
		} else if (sh == NULL && d < 5) {
			text = "09:00-18:00"; /* a sensible start when hours are first switched on */
		}
		json_object_object_add(row, "key",
		                       json_object_new_string(arena_printf(r->arena, "hours_%s", org_weekdays[d])));
		json_object_object_add(row, "label", json_object_new_string(page_t(r, day_key(d))));
		json_object_object_add(row, "value", json_object_new_string(text ? text : ""));
		if (errors && json_object_object_get_ex(
		                  errors, arena_printf(r->arena, "service_hours_weekly_%s", org_weekdays[d]), &err))
			json_object_object_add(row, "error", json_object_get(err));
		json_object_array_add(days, row);
	}
	json_object_object_add(h, "days", days);
	return h;
}

static kefu_err list(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	json_object *groups;
	kefu_err e = org_group_list(r->db, r->arena, r->caller.tenant_id, &groups);
	if (e != KEFU_OK)
		return e;
	json_object *items, *d = page_frame(r, "groups");
	json_object_object_get_ex(groups, "items", &items);
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *g = json_object_array_get_idx(items, i), *x;
		json_object_object_get_ex(g, "effective_member_ids", &x);
		json_object_object_add(g, "member_count", json_object_new_int64((int64_t)json_object_array_length(x)));
		json_object_object_get_ex(g, "service_hours", &x);
		page_flag(g, "has_hours", x != NULL);
		json_object_object_get_ex(g, "id", &x);
		page_link(r, g, "href", page_res_groups.base, json_object_get_int64(x), "");
	}
	json_object_object_add(d, "groups", json_object_get(items));
	json_object_put(groups);
	return page_render(r, "groups", d);
}

static kefu_err show_form(struct kefu_req *r, int64_t id, json_object *form, kefu_err err)
{
	json_object *view, *d, *errors = NULL;
	kefu_err e = page_res_frame(r, &page_res_groups, id, form, err, &view, &d);
	if (e != KEFU_OK)
		return page_fail(r, e);
	json_object_object_get_ex(d, "errors", &errors);
	/* d holds what the page shows from here on: an error releases d alone. */
	json_object *f = form ? form : view ? json_object_get(view) : json_object_new_object();
	json_object_object_add(d, "form", f);
	json_object_object_add(d, "group", view);
	json_object *mids = NULL, *dids = NULL, *sh = NULL, *users, *tree, *eff = NULL;
	json_object_object_get_ex(f, "member_user_ids", &mids);
	json_object_object_get_ex(f, "member_department_ids", &dids);
	json_object_object_get_ex(f, "service_hours", &sh);
	size_t nm, nd;
	int64_t *m = page_id_array(r, mids, &nm), *dp = page_id_array(r, dids, &nd);
	e = page_user_choices(r, m, nm, &users);
	if (e == KEFU_OK)
		e = page_dept_tree(r, dp, nd, &tree);
	if (e != KEFU_OK) {
		json_object_put(d);
		return e;
	}
	/* Position fields: 1, 2, ... for members in order; empty for the rest. */
	for (size_t i = 0; i < json_object_array_length(users); i++) {
		json_object *u = json_object_array_get_idx(users, i);
		json_object_object_add(u, "pos",
		                       i < nm ? json_object_new_string(arena_printf(r->arena, "%zu", i + 1)) : NULL);
		json_object *uid;
		json_object_object_get_ex(u, "id", &uid);
		json_object_object_add(
		    u, "pos_name",
		    json_object_new_string(arena_printf(r->arena, "pos_%lld", (long long)json_object_get_int64(uid))));
	}
	/* The effective members by name, as the group stands now. */
	json_object *names = json_object_new_array();
	if (view && json_object_object_get_ex(view, "effective_member_ids", &eff)) {
		json_object *all;
		size_t ne;
		int64_t *ei = page_id_array(r, eff, &ne);
		if (page_user_choices(r, ei, ne, &all) == KEFU_OK) {
			for (size_t i = 0; i < ne && i < json_object_array_length(all); i++)
				json_object_array_add(names, json_object_get(json_object_array_get_idx(all, i)));
			json_object_put(all);
		}
	}
	json_object_object_add(d, "effective", names);
	json_object_object_add(d, "users", users);
	json_object_object_add(d, "departments", tree);
	json_object_object_add(d, "hours", hours_display(r, form ? NULL : sh, form != NULL, errors));
	page_res_actions(r, &page_res_groups, d, id, true);
	return page_render(r, "groups-form", d);
}

PAGE_RESOURCE(page_res_groups, "/console/groups", "groups", res_groups, PAGE_ROUTES_FULL, .body = form_json,
              .show = show_form, .done = DONE_ITEM);
