/* sidebar: validation of the side panel's configuration and the records it shows for a visitor. */
#include "domain/sidebar.h"

#include <string.h>

#include "domain/crm.h"
#include "store/store-audit.h"
#include "store/store-crm.h"
#include "store/store-sidebar.h"
#include "store/store-visitors.h"

const char sidebar_default[] = "{\"objects\":[{\"object\":\"AccountObj\",\"fields\":[\"name\",\"level\",\"phone\"]},"
                               "{\"object\":\"ContactObj\",\"fields\":[\"full_name\",\"phone\",\"email\"]},"
                               "{\"object\":\"LeadObj\",\"fields\":[\"name\",\"status\"]},"
                               "{\"object\":\"CaseObj\",\"fields\":[\"title\",\"status\",\"priority\"]},"
                               "{\"object\":\"SalesOrderObj\",\"fields\":[\"name\",\"amount\",\"status\"]}]}";

static void put_json(void *p)
{
	json_object_put(p);
}

kefu_err sidebar_check(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object *body, const char **out,
                       const char **bad)
{
	json_object *objs;
	if (body == NULL || !json_object_is_type(body, json_type_object) ||
	    !json_object_object_get_ex(body, "objects", &objs) || !json_object_is_type(objs, json_type_array) ||
	    json_object_array_length(objs) > SIDEBAR_MAX_OBJECTS) {
		*bad = "objects";
		return body != NULL && !json_object_is_type(body, json_type_object) ? KEFU_E_INVALID_JSON
		                                                                    : KEFU_E_INVALID_FIELD;
	}
	json_object *norm = json_object_new_object(), *list = json_object_new_array();
	arena_defer(a, put_json, norm);
	json_object_object_add(norm, "objects", list);
	size_t n = json_object_array_length(objs);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(objs, i), *name, *fields;
		*bad = arena_printf(a, "objects.%zu.object", i);
		if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "object", &name) ||
		    !json_object_is_type(name, json_type_string))
			return KEFU_E_INVALID_FIELD;
		struct crm_object_def def;
		kefu_err e = crm_object_load(db, a, tenant_id, json_object_get_string(name), &def);
		if (e == KEFU_E_NOT_FOUND)
			return KEFU_E_INVALID_FIELD;
		if (e != KEFU_OK)
			return e;
		for (size_t j = 0; j < i; j++)
			if (strcmp(json_object_get_string(
			               json_object_object_get(json_object_array_get_idx(list, j), "object")),
			           def.name) == 0)
				return KEFU_E_INVALID_FIELD;
		*bad = arena_printf(a, "objects.%zu.fields", i);
		if (!json_object_object_get_ex(o, "fields", &fields) || !json_object_is_type(fields, json_type_array) ||
		    json_object_array_length(fields) < 1 || json_object_array_length(fields) > SIDEBAR_MAX_FIELDS)
			return KEFU_E_INVALID_FIELD;
		json_object *nf = json_object_new_array(), *no = json_object_new_object();
		json_object_object_add(no, "object", json_object_new_string(def.name));
		json_object_object_add(no, "fields", nf);
		json_object_array_add(list, no);
		for (size_t k = 0; k < json_object_array_length(fields); k++) {
			const char *f = json_object_is_type(json_object_array_get_idx(fields, k), json_type_string)
			                    ? json_object_get_string(json_object_array_get_idx(fields, k))
			                    : NULL;
			*bad = arena_printf(a, "objects.%zu.fields.%zu", i, k);
			if (f == NULL || crm_field_find(&def, f) == NULL)
				return KEFU_E_INVALID_FIELD;
			for (size_t m = 0; m < k; m++)
				if (strcmp(json_object_get_string(json_object_array_get_idx(nf, m)), f) == 0)
					return KEFU_E_INVALID_FIELD;
			json_object_array_add(nf, json_object_new_string(f));
		}
	}
	*bad = NULL;
	*out = arena_strdup(a, json_object_to_json_string_ext(norm, JSON_C_TO_STRING_PLAIN));
	return KEFU_OK;
}

struct save_ctx {
	const struct actor *who;
	const char *config;
};

static kefu_err save_tx(struct kefu_db *db, void *p)
{
	struct save_ctx *c = p;
	kefu_err e = db_sidebar_put(db, c->who->tenant_id, c->config);
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "after", json_tokener_parse(c->config));
	return audit_record(db, c->who, "update", "sidebar", 0, sum);
}

kefu_err sidebar_save(struct kefu_db *db, const struct actor *who, const char *config)
{
	struct save_ctx c = {who, config};
	return db_tx(db, save_tx, &c);
}

kefu_err sidebar_config(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out)
{
	const char *text = NULL;
	kefu_err e = db_sidebar_get(db, a, tenant_id, &text);
	if (e != KEFU_OK)
		return e;
	json_object *o = json_tokener_parse(text ? text : sidebar_default);
	if (o == NULL)
		o = json_tokener_parse(sidebar_default);
	*out = o;
	return KEFU_OK;
}

/* Append rec to list unless it is there already (a ticket may name both the account and the contact). */
static void add_unique(struct crm_record *list, size_t *n, const struct crm_record *rec)
{
	for (size_t i = 0; i < *n; i++)
		if (list[i].id == rec->id)
			return;
	list[(*n)++] = *rec;
}

static kefu_err related(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct crm_object_def *def,
                        const char *field, int64_t id, struct crm_record *list, size_t *n)
{
	if (id <= 0 || crm_field_find(def, field) == NULL)
		return KEFU_OK;
	struct crm_kv kv = {field, arena_printf(a, "%lld", (long long)id)};
	struct crm_record *rows;
	size_t rn;
	int64_t next;
	kefu_err e = crm_record_find(db, a, tenant_id, def->name, &kv, 1, 0, SIDEBAR_MAX_RECORDS, &rows, &rn, &next);
	for (size_t i = 0; e == KEFU_OK && i < rn && *n < 2 * SIDEBAR_MAX_RECORDS; i++)
		add_unique(list, n, &rows[i]);
	return e;
}

static kefu_err one(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object, int64_t id,
                    struct crm_record *list, size_t *n)
{
	struct crm_record rec;
	if (id <= 0)
		return KEFU_OK;
	kefu_err e = db_crm_record_get(db, a, tenant_id, id, &rec);
	if (e == KEFU_E_NOT_FOUND || (e == KEFU_OK && strcmp(rec.object, object) != 0))
		return KEFU_OK; /* deleted since it was linked */
	if (e == KEFU_OK)
		add_unique(list, n, &rec);
	return e;
}

kefu_err sidebar_build(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *lang,
                       const struct visitor_row *v, json_object **out)
{
	json_object *cfg;
	kefu_err e = sidebar_config(db, a, tenant_id, &cfg);
	if (e != KEFU_OK)
		return e;
	arena_defer(a, put_json, cfg);
	json_object *res = json_object_new_object(), *objs = json_object_new_array();
	json_object_object_add(res, "objects", objs);
	json_object *list = json_object_object_get(cfg, "objects");
	for (size_t i = 0; e == KEFU_OK && i < json_object_array_length(list); i++) {
		json_object *c = json_object_array_get_idx(list, i);
		struct crm_object_def def;
		if (crm_object_load(db, a, tenant_id, json_object_get_string(json_object_object_get(c, "object")),
		                    &def) != KEFU_OK)
			continue; /* validated when stored; a database error shows as an empty panel section */
		struct crm_record *recs = arena_calloc(a, 2 * SIDEBAR_MAX_RECORDS + 1, sizeof *recs);
		size_t n = 0;
		if (strcmp(def.name, "AccountObj") == 0) {
			e = one(db, a, tenant_id, def.name, v->account_id, recs, &n);
		} else if (strcmp(def.name, "ContactObj") == 0) {
			e = one(db, a, tenant_id, def.name, v->contact_id, recs, &n);
		} else if (strcmp(def.name, "WebImVisitorObj") == 0) {
			int64_t rid = 0;
			e = db_crm_visitor_record(db, a, tenant_id, v->id, &rid);
			if (e == KEFU_E_NOT_FOUND)
				e = KEFU_OK;
			if (e == KEFU_OK)
				e = one(db, a, tenant_id, def.name, rid, recs, &n);
		} else {
			e = related(db, a, tenant_id, &def, "account_id", v->account_id, recs, &n);
			if (e == KEFU_OK)
				e = related(db, a, tenant_id, &def, "contact_id", v->contact_id, recs, &n);
		}
		json_object *o = json_object_new_object(), *records = json_object_new_array();
		json_object_object_add(o, "object", json_object_new_string(def.name));
		json_object_object_add(o, "label", json_object_new_string(crm_label(def.label_zh, def.label_en, lang)));
		json_object_object_add(o, "records", records);
		json_object_array_add(objs, o);
		json_object *fields = json_object_object_get(c, "fields");
		for (size_t k = 0; k < n; k++) {
			json_object *rec = json_object_new_object(), *fl = json_object_new_array();
			json_object *vals = crm_record_fields(a, &recs[k]);
			json_object_object_add(rec, "id", json_object_new_int64(recs[k].id));
			json_object_object_add(rec, "external_id", json_object_new_string(recs[k].external_id));
			json_object_object_add(rec, "fields", fl);
			for (size_t f = 0; f < json_object_array_length(fields); f++) {
				const char *name = json_object_get_string(json_object_array_get_idx(fields, f));
				const struct crm_field_def *fd = crm_field_find(&def, name);
				json_object *val = NULL, *fo = json_object_new_object();
				json_object_object_get_ex(vals, name, &val);
				json_object_object_add(fo, "name", json_object_new_string(name));
				json_object_object_add(
				    fo, "label",
				    json_object_new_string(fd ? crm_label(fd->label_zh, fd->label_en, lang) : name));
				json_object_object_add(fo, "value", json_object_get(val));
				json_object_array_add(fl, fo);
			}
			json_object_array_add(records, rec);
		}
	}
	if (e != KEFU_OK) {
		json_object_put(res);
		return e;
	}
	*out = res;
	return KEFU_OK;
}
