/* crm: the CRM object model (built-in objects, custom fields), field validation and record writes. */
#ifndef KEFU_DOMAIN_CRM_H
#define KEFU_DOMAIN_CRM_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store-crm.h"

enum crm_type {
	CRM_TEXT,   /* a string of at most CRM_TEXT_MAX code points */
	CRM_NUMBER, /* a JSON number */
	CRM_DATE,   /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" */
	CRM_REF,    /* our record id (a JSON number); written as an id or {"external_id": "..."} */
};

#define CRM_TEXT_MAX        10000
#define CRM_EXTERNAL_ID_MAX 200
#define CRM_MAX_FIELDS      200

struct crm_field_def {
	const char *name;
	const char *label_zh, *label_en;
	enum crm_type type;
	const char *ref_object; /* for CRM_REF: the object referred to, or NULL for any */
	bool custom;            /* a tenant's own field */
};

struct crm_object_def {
	const char *name; /* api name, e.g. "AccountObj" */
	const char *label_zh, *label_en;
	const struct crm_field_def *fields;
	size_t nfields;
};

/* The built-in object api name, or NULL when name is not one. */
const struct crm_object_def *crm_builtin(const char *name);
/* Every built-in object, in display order. */
const struct crm_object_def *crm_builtins(size_t *n);
/* The label in lang ("en..." gives English, anything else Chinese). */
const char *crm_label(const char *zh, const char *en, const char *lang);
const char *crm_type_name(enum crm_type t);
/* -1 when s is not a type name. */
int crm_type_parse(const char *s);
/* A field or custom field name: [a-z][a-z0-9_]{0,63}. */
bool crm_name_valid(const char *s);

/* The object's definition for a tenant: built-in fields, then its custom
 * fields; fields in a. KEFU_E_NOT_FOUND for an unknown object. */
kefu_err crm_object_load(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                         struct crm_object_def *out);
const struct crm_field_def *crm_field_find(const struct crm_object_def *def, const char *name);

/* The text form of a scalar field value (what the index stores, what
 * filters and templates compare and print): a string as is, a number in
 * JSON form, true/false. NULL for null, objects and arrays. In a. */
const char *crm_value_text(kefu_arena *a, json_object *v);
/* The text of field name of a record (its stored fields text), or NULL. In a. */
const char *crm_record_text(kefu_arena *a, const struct crm_record *rec, const char *name);
/* The record's fields parsed (tied to a; never NULL: {} when broken). */
json_object *crm_record_fields(kefu_arena *a, const struct crm_record *rec);

/*
 * Check fields (a JSON object) against def and return the stored form in
 * *out (tied to a): numbers stay numbers, references become our numeric id
 * (a {"external_id"} is looked up in the ref's object), null drops a field.
 * Unknown field, wrong type, a reference to no record: KEFU_E_INVALID_FIELD
 * with *bad = "fields.<name>" (in a). lenient keeps unknown keys whose
 * values are strings or numbers (a verified identity's extra keys on a
 * WebImVisitorObj record).
 */
kefu_err crm_fields_check(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct crm_object_def *def,
                          json_object *fields, bool lenient, json_object **out, const char **bad);

/*
 * Insert or update the record (object, external_id) with already checked
 * fields and rewrite its index rows. Must run inside db_tx (it locks the
 * record). set_owner false keeps the owner of an existing record.
 */
kefu_err crm_record_write(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                          const char *external_id, json_object *fields, bool set_owner, int64_t owner_user_id,
                          bool *created, int64_t *id);

/* The CRM API's upsert: body {"fields", "owner_external_id"?, "owner_user_id"?}.
 * On success *created and *out (the stored record, in a). Client mistakes
 * are KEFU_E_INVALID_FIELD with *bad set. */
kefu_err crm_record_put(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                        const char *external_id, json_object *body, bool *created, struct crm_record *out,
                        const char **bad);

/* Records of object matching every filter exactly (full value, not only
 * the indexed prefix), id > after, at most limit; *next_after is the last
 * id when the page is full, else 0. */
kefu_err crm_record_find(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                         const struct crm_kv *filters, size_t nfilters, int64_t after, int64_t limit,
                         struct crm_record **rows, size_t *n, int64_t *next_after);

/* The API's record JSON {"id","external_id","owner_user_id","fields",...}; a new object. */
json_object *crm_record_json(kefu_arena *a, const struct crm_record *rec);

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_crm_record_prefix (store/store-crm.h). */
kefu_err crm_record_prefix(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object, const char *field,
                           const char *prefix, int64_t limit, struct crm_record **rows, size_t *n);

/* As db_crm_record_by_external (store/store-crm.h). */
kefu_err crm_record_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                                const char *external_id, bool for_update, struct crm_record *out);

/* As db_crm_field_put (store/store-crm.h). */
kefu_err crm_field_put(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object, const char *name,
                       const char *label, const char *type, const char *ref_object, bool *created);

/* As db_crm_record_delete (store/store-crm.h). */
kefu_err crm_record_delete(struct kefu_db *db, int64_t tenant_id, int64_t id);

#endif
