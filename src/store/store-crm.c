/* store-crm: SQL for crm_fields, crm_records, crm_field_index and crm_visitor_records. */
#include "store/store-crm.h"

#include <string.h>

#include "store/store-rows.h"

#define RECORD_COLUMNS                                                                                                 \
	"r.id, r.tenant_id, r.object, r.external_id, r.owner_user_id, r.fields, r.created_at, r.updated_at"

static const struct row_spec spec =
    ROWS(struct crm_record, id, tenant_id, object, external_id, owner_user_id, fields, created_at, updated_at);

static const struct row_spec field_spec = ROWS(struct crm_field_row, object, name, label, type, ref_object);

/* The first CRM_INDEX_PREFIX code points of s (UTF-8, already validated). */
static const char *prefix(kefu_arena *a, const char *s)
{
	size_t cps = 0, i = 0;
	for (; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (cps == CRM_INDEX_PREFIX)
				return arena_strndup(a, s, i);
			cps++;
		}
	}
	return s;
}

kefu_err db_crm_fields_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                            struct crm_field_row **rows, size_t *n)
{
	return rows_query(db, a, &field_spec, (void **)rows, n,
	                  "SELECT object, name, label, type, ref_object FROM crm_fields"
	                  " WHERE tenant_id = ? AND (? IS NULL OR object = ?) ORDER BY object, name",
	                  "iss", tenant_id, object, object);
}

kefu_err db_crm_field_put(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object, const char *name,
                          const char *label, const char *type, const char *ref_object, bool *created)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT type, ref_object FROM crm_fields WHERE tenant_id = ? AND object = ? AND name = ?",
	                      "iss", tenant_id, object, name);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0) {
		*created = true;
		return db_exec(db, NULL, NULL,
		               "INSERT INTO crm_fields (tenant_id, object, name, label, type, ref_object)"
		               " VALUES (?, ?, ?, ?, ?, ?)",
		               "isssss", tenant_id, object, name, label, type, ref_object);
	}
	*created = false;
	const char *old_ref = db_str(r, 0, 1);
	if (strcmp(db_str(r, 0, 0), type) != 0 || (old_ref == NULL) != (ref_object == NULL) ||
	    (old_ref != NULL && strcmp(old_ref, ref_object) != 0))
		return KEFU_E_CONFLICT; /* stored values were validated as the old type */
	return db_exec(db, NULL, NULL,
	               "UPDATE crm_fields SET label = ? WHERE tenant_id = ? AND object = ? AND name = ?", "siss", label,
	               tenant_id, object, name);
}

kefu_err db_crm_record_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                                   const char *external_id, bool for_update, struct crm_record *out)
{
	return rows_query_one(db, a, &spec, out,
	                      for_update ? "SELECT " RECORD_COLUMNS " FROM crm_records r WHERE r.tenant_id = ? AND"
	                                   " r.object = ? AND r.external_id = ? FOR UPDATE"
	                                 : "SELECT " RECORD_COLUMNS " FROM crm_records r WHERE r.tenant_id = ? AND"
	                                   " r.object = ? AND r.external_id = ?",
	                      "iss", tenant_id, object, external_id);
}

kefu_err db_crm_record_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct crm_record *out)
{
	return rows_query_one(db, a, &spec, out,
	                      "SELECT " RECORD_COLUMNS " FROM crm_records r WHERE r.tenant_id = ? AND r.id = ?", "ii",
	                      tenant_id, id);
}

kefu_err db_crm_record_insert(struct kefu_db *db, int64_t tenant_id, const char *object, const char *external_id,
                              int64_t owner_user_id, const char *fields, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO crm_records (tenant_id, object, external_id, owner_user_id, fields)"
	               " VALUES (?, ?, ?, ?, ?)",
	               "issns", tenant_id, object, external_id, owner_user_id, fields);
}

kefu_err db_crm_record_update(struct kefu_db *db, int64_t tenant_id, int64_t id, bool set_owner, int64_t owner_user_id,
                              const char *fields)
{
	if (set_owner)
		return db_exec(db, NULL, NULL,
		               "UPDATE crm_records SET fields = ?, owner_user_id = ? WHERE tenant_id = ? AND id = ?",
		               "snii", fields, owner_user_id, tenant_id, id);
	return db_exec(db, NULL, NULL, "UPDATE crm_records SET fields = ? WHERE tenant_id = ? AND id = ?", "sii",
	               fields, tenant_id, id);
}

kefu_err db_crm_index_replace(struct kefu_db *db, int64_t tenant_id, const char *object, int64_t record_id,
                              const struct crm_kv *kv, size_t n)
{
	kefu_err e = db_exec(db, NULL, NULL, "DELETE FROM crm_field_index WHERE tenant_id = ? AND record_id = ?", "ii",
	                     tenant_id, record_id);
	kefu_arena *a = arena_new();
	for (size_t i = 0; e == KEFU_OK && i < n; i++)
		e = db_exec(db, NULL, NULL,
		            "INSERT IGNORE INTO crm_field_index (tenant_id, object, field, value, record_id)"
		            " VALUES (?, ?, ?, ?, ?)",
		            "isssi", tenant_id, object, kv[i].field, prefix(a, kv[i].value), record_id);
	arena_free(a);
	return e;
}

kefu_err db_crm_record_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	uint64_t affected = 0;
	kefu_err e =
	    db_exec(db, &affected, NULL, "DELETE FROM crm_records WHERE tenant_id = ? AND id = ?", "ii", tenant_id, id);
	if (e != KEFU_OK)
		return e;
	if (affected == 0)
		return KEFU_E_NOT_FOUND;
	e = db_exec(db, NULL, NULL, "DELETE FROM crm_field_index WHERE tenant_id = ? AND record_id = ?", "ii",
	            tenant_id, id);
	if (e == KEFU_OK)
		e = db_exec(db, NULL, NULL, "DELETE FROM crm_visitor_records WHERE tenant_id = ? AND record_id = ?",
		            "ii", tenant_id, id);
	return e;
}

/* One extra filter slot of the list query: unused slots bind NULL and test true. */
#define EXTRA_FILTER                                                                                                   \
	" AND (? IS NULL OR EXISTS (SELECT 1 FROM crm_field_index x WHERE x.tenant_id = ? AND x.object = ?"            \
	" AND x.field = ? AND x.value = ? AND x.record_id = i.record_id))"

kefu_err db_crm_record_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                            const struct crm_kv *filters, size_t nfilters, int64_t after, int64_t limit,
                            struct crm_record **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e;
	if (nfilters == 0) {
		e = db_query(db, a, &r,
		             "SELECT " RECORD_COLUMNS " FROM crm_records r WHERE r.tenant_id = ? AND r.object = ?"
		             " AND r.id > ? ORDER BY r.id LIMIT ?",
		             "isii", tenant_id, object, after, limit);
		return e != KEFU_OK ? e : rows_all(r, a, &spec, (void **)rows, n);
	}
	if (nfilters > CRM_MAX_FILTERS)
		return KEFU_E_INVALID_FIELD;
	const char *f[CRM_MAX_FILTERS] = {0}, *v[CRM_MAX_FILTERS] = {0};
	for (size_t i = 0; i < nfilters; i++) {
		f[i] = filters[i].field;
		v[i] = prefix(a, filters[i].value);
	}
	/* The first filter drives: a range scan of the index's primary key in
	 * record id order, so keyset paging reads only the page it returns. */
	e = db_query(db, a, &r,
	             "SELECT " RECORD_COLUMNS " FROM crm_field_index i JOIN crm_records r ON r.id = i.record_id"
	             " WHERE i.tenant_id = ? AND i.object = ? AND i.field = ? AND i.value = ? AND i.record_id > ?"
	             " AND r.tenant_id = ?" EXTRA_FILTER EXTRA_FILTER EXTRA_FILTER " ORDER BY i.record_id LIMIT ?",
	             "isssii"
	             "sisss"
	             "sisss"
	             "sisss"
	             "i",
	             tenant_id, object, f[0], v[0], after, tenant_id, f[1], tenant_id, object, f[1], v[1], f[2],
	             tenant_id, object, f[2], v[2], f[3], tenant_id, object, f[3], v[3], limit);
	return e != KEFU_OK ? e : rows_all(r, a, &spec, (void **)rows, n);
}

kefu_err db_crm_record_prefix(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *object,
                              const char *field, const char *pfx, int64_t limit, struct crm_record **rows, size_t *n)
{
	/* LIKE with the pattern's wildcards escaped: a prefix range on the index. */
	size_t len = strlen(pfx);
	char *pat = arena_alloc(a, 2 * len + 2), *p = pat;
	for (size_t i = 0; i < len; i++) {
		if (pfx[i] == '%' || pfx[i] == '_' || pfx[i] == '\\')
			*p++ = '\\';
		*p++ = pfx[i];
	}
	*p++ = '%';
	*p = '\0';
	return rows_query(db, a, &spec, (void **)rows, n,
	                  "SELECT " RECORD_COLUMNS " FROM crm_field_index i JOIN crm_records r ON r.id = i.record_id"
	                  " WHERE i.tenant_id = ? AND i.object = ? AND i.field = ? AND i.value LIKE ?"
	                  " AND r.tenant_id = ? GROUP BY r.id ORDER BY r.id LIMIT ?",
	                  "isssii", tenant_id, object, field, pat, tenant_id, limit);
}

kefu_err db_crm_user_by_external(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *external_id,
                                 int64_t *user_id)
{
	return db_query_i64(db, a, user_id,
	                    "SELECT id FROM users WHERE tenant_id = ? AND external_id = ? AND deleted_at IS NULL", "is",
	                    tenant_id, external_id);
}

kefu_err db_crm_user_exists(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT id FROM users WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
	                      "ii", tenant_id, user_id);
	if (e != KEFU_OK)
		return e;
	return r->nrows ? KEFU_OK : KEFU_E_NOT_FOUND;
}

kefu_err db_crm_visitor_record(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                               int64_t *record_id)
{
	return db_query_i64(db, a, record_id,
	                    "SELECT record_id FROM crm_visitor_records WHERE tenant_id = ? AND visitor_id = ?", "ii",
	                    tenant_id, visitor_id);
}

kefu_err db_crm_visitor_record_set(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int64_t record_id)
{
	return db_exec(
	    db, NULL, NULL,
	    "INSERT INTO crm_visitor_records (visitor_id, tenant_id, record_id) VALUES (?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE record_id = IF(tenant_id = VALUES(tenant_id), VALUES(record_id), record_id)",
	    "iii", visitor_id, tenant_id, record_id);
}
