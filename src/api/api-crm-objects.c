/* api-crm-objects: /api/v1/crm/objects, the CRM's view of kefu's object store (definitions, custom fields, record
 * upsert/list/get/delete). */
#include <string.h>

#include <json-c/json.h>

#include "core/json-doc.h"
#include "core/utf8.h"
#include "domain/crm.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX     200

static json_object *field_json(const struct crm_field_def *f, const char *lang)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(f->name));
	json_object_object_add(o, "label", json_object_new_string(crm_label(f->label_zh, f->label_en, lang)));
	json_object_object_add(o, "type", json_object_new_string(crm_type_name(f->type)));
	if (f->type == CRM_REF)
		json_object_object_add(o, "ref_object", f->ref_object ? json_object_new_string(f->ref_object) : NULL);
	json_object_object_add(o, "custom", json_object_new_boolean(f->custom));
	return o;
}

static json_object *object_json(const struct crm_object_def *d, const char *lang)
{
	json_object *o = json_object_new_object(), *fields = json_object_new_array();
	json_object_object_add(o, "object", json_object_new_string(d->name));
	json_object_object_add(o, "api_name", json_object_new_string(d->name));
	json_object_object_add(o, "label", json_object_new_string(crm_label(d->label_zh, d->label_en, lang)));
	for (size_t i = 0; i < d->nfields; i++)
		json_object_array_add(fields, field_json(&d->fields[i], lang));
	json_object_object_add(o, "fields", fields);
	return o;
}

static kefu_err objects(struct kefu_req *r)
{
	size_t n;
	const struct crm_object_def *b = crm_builtins(&n);
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct crm_object_def d;
		kefu_err e = crm_object_load(r->db, r->arena, r->caller.tenant_id, b[i].name, &d);
		if (e != KEFU_OK) {
			json_object_put(items);
			return e;
		}
		json_object_array_add(items, object_json(&d, r->lang));
	}
	return resp_json(r, 200, json_items(items));
}

/* PUT .../fields/{field} {"label", "type", "ref_object"?}: a custom field;
 * a built-in name is a conflict, a second PUT relabels. */
static kefu_err put_field(struct kefu_req *r)
{
	const char *object = r->params[0], *name = r->params[1], *label, *ref = NULL, *bad = NULL;
	static const char *const types[] = {"text", "number", "date", "ref", NULL};
	const char *type;
	if (crm_builtin(object) == NULL)
		return KEFU_E_NOT_FOUND;
	if (!crm_name_valid(name))
		return req_fail(r, KEFU_E_INVALID_FIELD, "field", "a field name is [a-z][a-z0-9_]{0,63}");
	kefu_err e = jb_string(r->json, "label", true, 1, 200, &label, &bad);
	if (e == KEFU_OK)
		e = jb_enum(r->json, "type", true, types, &type, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "ref_object", false, 1, 64, &ref, &bad);
	if (e == KEFU_OK && ref != NULL && (strcmp(type, "ref") != 0 || crm_builtin(ref) == NULL))
		e = KEFU_E_INVALID_FIELD, bad = "ref_object";
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if (crm_field_find(crm_builtin(object), name) != NULL)
		return req_fail(r, KEFU_E_CONFLICT, "field", "a built-in field");
	bool created = false;
	e = crm_field_put(r->db, r->arena, r->caller.tenant_id, object, name, label, type, ref, &created);
	if (e != KEFU_OK)
		return e;
	struct crm_field_def f = {name, label, label, (enum crm_type)crm_type_parse(type), ref, true};
	return resp_json(r, created ? 201 : 200, field_json(&f, r->lang));
}

static kefu_err put_record(struct kefu_req *r)
{
	bool created = false;
	struct crm_record rec;
	const char *bad = NULL;
	kefu_err e = crm_record_put(r->db, r->arena, r->caller.tenant_id, r->params[0], r->params[1], r->json, &created,
	                            &rec, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	return resp_json(r, created ? 201 : 200, crm_record_json(r->arena, &rec));
}

/* The record of the path's {object}/{external_id}: NOT_FOUND for an object that is not built in. */
static kefu_err path_record(struct kefu_req *r, struct crm_record *rec)
{
	if (crm_builtin(r->params[0]) == NULL)
		return KEFU_E_NOT_FOUND;
	return crm_record_by_external(r->db, r->arena, r->caller.tenant_id, r->params[0], r->params[1], false, rec);
}

static kefu_err get_record(struct kefu_req *r)
{
	struct crm_record rec;
	kefu_err e = path_record(r, &rec);
	return e != KEFU_OK ? e : resp_json(r, 200, crm_record_json(r->arena, &rec));
}

static kefu_err delete_record(struct kefu_req *r)
{
	struct crm_record rec;
	kefu_err e = path_record(r, &rec);
	if (e == KEFU_OK)
		e = crm_record_delete(r->db, r->caller.tenant_id, rec.id);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

/* GET .../records?field.<name>=<value>&limit=&after=: exact matches on the
 * full value (text as stored; numbers and references in their JSON form,
 * e.g. field.account_id=42), all filters ANDed, keyset paging by id. */
static kefu_err list_records(struct kefu_req *r)
{
	struct crm_object_def def;
	kefu_err e = crm_object_load(r->db, r->arena, r->caller.tenant_id, r->params[0], &def);
	int64_t limit = PAGE_DEFAULT, after = 0;
	if (e == KEFU_OK)
		e = req_query_int(r, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &limit);
	if (e == KEFU_OK)
		e = req_query_int(r, "after", 0, INT64_MAX - 1, 0, &after);
	if (e != KEFU_OK)
		return e;
	struct crm_kv filters[CRM_MAX_FILTERS];
	size_t nf = 0;
	for (size_t i = 0; i < r->query.n; i++) {
		const struct kv *q = &r->query.items[i];
		if (strncmp(q->name, "field.", 6) != 0)
			continue;
		if (crm_field_find(&def, q->name + 6) == NULL)
			return req_fail(r, KEFU_E_INVALID_FIELD, q->name, "no such field");
		if (nf == CRM_MAX_FILTERS)
			return req_fail(r, KEFU_E_INVALID_FIELD, q->name, "at most 4 field filters");
		if (!utf8_valid(q->value, q->value_len))
			return req_fail(r, KEFU_E_INVALID_UTF8, q->name, NULL);
		filters[nf++] = (struct crm_kv){q->name + 6, q->value};
	}
	struct crm_record *rows;
	size_t n;
	int64_t next = 0;
	e = crm_record_find(r->db, r->arena, r->caller.tenant_id, def.name, filters, nf, after, limit, &rows, &n,
	                    &next);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, crm_record_json(r->arena, &rows[i]));
	return resp_json(r, 200, json_page(items, next));
}

const struct route api_crm_objects_routes[] = {
    {"GET", "/api/v1/crm/objects", objects, AUTH_CRM, BODY_NONE},
    {"PUT", "/api/v1/crm/objects/{object}/fields/{field}", put_field, AUTH_CRM, BODY_JSON},
    {"GET", "/api/v1/crm/objects/{object}/records", list_records, AUTH_CRM, BODY_NONE},
    {"PUT", "/api/v1/crm/objects/{object}/records/{ext}", put_record, AUTH_CRM, BODY_JSON},
    {"GET", "/api/v1/crm/objects/{object}/records/{ext}", get_record, AUTH_CRM, BODY_NONE},
    {"DELETE", "/api/v1/crm/objects/{object}/records/{ext}", delete_record, AUTH_CRM, BODY_NONE},
    ROUTES_END,
};
