/* page-crm: the CRM object store in the console, read-mostly: look up records (by phone, name or external id, paged)
 * and see each object's field definitions. */
#include <string.h>

#include "domain/crm.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

#define PAGE_SIZE 50
/* Columns of the record table beyond id and external id. */
#define COLUMNS 6

static kefu_err view(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	const char *object = req_query(r, "object"), *by = req_query(r, "by"), *q = req_query(r, "q");
	if (object == NULL || crm_builtin(object) == NULL)
		object = "AccountObj";
	if (by == NULL || (strcmp(by, "phone") != 0 && strcmp(by, "name") != 0 && strcmp(by, "external_id") != 0))
		by = "phone";
	if (q != NULL && *q == '\0')
		q = NULL;
	int64_t after = 0;
	if (req_query_int(r, "after", 0, INT64_MAX, 0, &after) != KEFU_OK)
		after = 0;
	struct crm_object_def def;
	kefu_err e = crm_object_load(r->db, r->arena, r->caller.tenant_id, object, &def);
	if (e != KEFU_OK)
		return page_fail(r, e);

	/* The searched field: "name" means full_name where the object has one. */
	const char *field = strcmp(by, "name") == 0 ? (crm_field_find(&def, "full_name") ? "full_name" : "name") : by;
	struct crm_record *rows = NULL, one;
	size_t n = 0;
	int64_t next = 0;
	if (q == NULL)
		e = crm_record_find(r->db, r->arena, r->caller.tenant_id, object, NULL, 0, after, PAGE_SIZE, &rows, &n,
		                    &next);
	else if (strcmp(by, "external_id") == 0) {
		e = crm_record_by_external(r->db, r->arena, r->caller.tenant_id, object, q, false, &one);
		if (e == KEFU_OK)
			rows = &one, n = 1;
		else if (e == KEFU_E_NOT_FOUND)
			e = KEFU_OK;
	} else if (crm_field_find(&def, field) != NULL)
		/* Searches match a prefix ("1591" finds 15912345678); the first page only. */
		e = crm_record_prefix(r->db, r->arena, r->caller.tenant_id, object, field, q, PAGE_SIZE, &rows, &n);
	if (e != KEFU_OK)
		return page_fail(r, e);

	json_object *d = page_frame(r, "crm"), *objs = json_object_new_array(), *fields = json_object_new_array();
	size_t nb;
	const struct crm_object_def *b = crm_builtins(&nb);
	for (size_t i = 0; i < nb; i++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "name", json_object_new_string(b[i].name));
		json_object_object_add(x, "label",
		                       json_object_new_string(crm_label(b[i].label_zh, b[i].label_en, r->lang)));
		page_flag(x, "selected", strcmp(b[i].name, object) == 0);
		json_object_array_add(objs, x);
	}
	json_object *cols = json_object_new_array();
	for (size_t i = 0; i < def.nfields; i++) {
		const struct crm_field_def *f = &def.fields[i];
		json_object *x = json_object_new_object();
		json_object_object_add(x, "name", json_object_new_string(f->name));
		json_object_object_add(x, "label",
		                       json_object_new_string(crm_label(f->label_zh, f->label_en, r->lang)));
		json_object_object_add(x, "type", json_object_new_string(crm_type_name(f->type)));
		json_object_object_add(x, "ref_object", f->ref_object ? json_object_new_string(f->ref_object) : NULL);
		page_flag(x, "custom", f->custom);
		json_object_array_add(fields, x);
		if (i < COLUMNS)
			json_object_array_add(cols, json_object_get(x));
	}
	json_object *recs = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *x = json_object_new_object(), *vals = json_object_new_array();
		json_object_object_add(x, "id", json_object_new_int64(rows[i].id));
		json_object_object_add(x, "external_id", json_object_new_string(rows[i].external_id));
		json_object_object_add(x, "updated_at",
		                       json_object_new_string(rows[i].updated_at ? rows[i].updated_at : ""));
		for (size_t k = 0; k < def.nfields && k < COLUMNS; k++) {
			const char *v = crm_record_text(r->arena, &rows[i], def.fields[k].name);
			json_object_array_add(vals, json_object_new_string(v ? v : ""));
		}
		json_object_object_add(x, "values", vals);
		json_object_array_add(recs, x);
	}
	json_object *form = json_object_new_object(), *bysel = json_object_new_object();
	json_object_object_add(form, "q", json_object_new_string(q ? q : ""));
	page_flag(bysel, by, true);
	json_object_object_add(form, "by", bysel);
	json_object_object_add(d, "form", form);
	json_object_object_add(d, "objects", objs);
	json_object_object_add(d, "fields", fields);
	json_object_object_add(d, "columns", cols);
	json_object_object_add(d, "records", recs);
	json_object_object_add(d, "searched", json_object_new_boolean(q != NULL));
	if (q == NULL && next > 0)
		json_object_object_add(d, "next_href",
		                       json_object_new_string(arena_printf(
		                           r->arena, "/console/crm?object=%s&after=%lld", object, (long long)next)));
	if (q == NULL && after > 0)
		json_object_object_add(
		    d, "first_href", json_object_new_string(arena_printf(r->arena, "/console/crm?object=%s", object)));
	return page_render(r, "crm", d);
}

const struct route page_crm_routes[] = {
    {"GET", "/console/crm", view, AUTH_PAGE_ADMIN, BODY_NONE},
    ROUTES_END,
};
