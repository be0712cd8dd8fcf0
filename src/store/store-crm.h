/* store-crm: SQL for the CRM object store (custom fields, records, the field-value index, visitor records). */
#ifndef KEFU_STORE_CRM_H
#define KEFU_STORE_CRM_H

#include <stdbool.h>

#include "store/db.h"

/* Longest indexed prefix of a value, in code points (VARCHAR(191), utf8mb4). */
#define CRM_INDEX_PREFIX 191
/* Most field filters one list query takes. */
#define CRM_MAX_FILTERS 4

/* A tenant's custom field. Strings in the caller's arena. */
struct crm_field_row {
	const char *object, *name, *label, *type, *ref_object; /* ref_object NULL when not a ref or any object */
};

/* One record; strings in the caller's arena. fields is the stored JSON object text. */
struct crm_record {
	int64_t id, tenant_id, owner_user_id; /* owner 0: none */
	const char *object, *external_id, *fields, *created_at, *updated_at;
};

/* One (field, value) pair: an index row or a list filter; value is the full text. */
struct crm_kv {
	const char *field, *value;
};

/* The tenant's custom fields of object (NULL: of every object), by object then name; *rows in a. */
kefu_err db_crm_fields_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                            struct crm_field_row **rows, size_t *n);
/* Create or relabel a custom field; *created says which. A field of the
 * same name with another type or ref_object is KEFU_E_CONFLICT. */
kefu_err db_crm_field_put(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object, const char *name,
                          const char *label, const char *type, const char *ref_object, bool *created);

/* The record (object, external_id) of tenant_id; for_update locks it (inside db_tx). KEFU_E_NOT_FOUND. */
kefu_err db_crm_record_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                                   const char *external_id, bool for_update, struct crm_record *out);
/* Record id of tenant_id (any object); KEFU_E_NOT_FOUND. */
kefu_err db_crm_record_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct crm_record *out);
/* A new record; owner 0 = none. KEFU_E_CONFLICT when (object, external_id) exists. */
kefu_err db_crm_record_insert(struct kefu_db *db, int64_t tenant_id, const char *object, const char *external_id,
                              int64_t owner_user_id, const char *fields, int64_t *id);
/* Replace fields (and the owner when set_owner; 0 clears it). */
kefu_err db_crm_record_update(struct kefu_db *db, int64_t tenant_id, int64_t id, bool set_owner, int64_t owner_user_id,
                              const char *fields);
/* Replace the record's index rows by kv[0..n) (values cut to CRM_INDEX_PREFIX code points here). */
kefu_err db_crm_index_replace(struct kefu_db *db, int64_t tenant_id, const char *object, int64_t record_id,
                              const struct crm_kv *kv, size_t n);
/* Delete the record and its index rows; KEFU_E_NOT_FOUND when there is none. */
kefu_err db_crm_record_delete(struct kefu_db *db, int64_t tenant_id, int64_t id);

/* Records of object with id > after, by id, at most limit, whose indexed
 * value of each filter equals its value's prefix (callers re-check long
 * values against the fields). At most CRM_MAX_FILTERS filters. *rows in a. */
kefu_err db_crm_record_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                            const struct crm_kv *filters, size_t nfilters, int64_t after, int64_t limit,
                            struct crm_record **rows, size_t *n);
/* Records of object whose field's value starts with prefix (searches), by id, at most limit. */
kefu_err db_crm_record_prefix(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                              const char *field, const char *prefix, int64_t limit, struct crm_record **rows,
                              size_t *n);

/* A live user of the tenant by external id (CRM owners); KEFU_E_NOT_FOUND. */
kefu_err db_crm_user_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *external_id,
                                 int64_t *user_id);
/* KEFU_OK when user_id is a live user of the tenant, else KEFU_E_NOT_FOUND. */
kefu_err db_crm_user_exists(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id);

/* The WebImVisitorObj record of a visitor; KEFU_E_NOT_FOUND when none yet. */
kefu_err db_crm_visitor_record(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                               int64_t *record_id);
/* Point the visitor at record_id (insert or replace). */
kefu_err db_crm_visitor_record_set(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int64_t record_id);

#endif
