/* store-report-packs: SQL of the report packs (schema/0027); every statement on tenant data scoped by tenant_id. */
#include "store/store-report-packs.h"

#include "store/store-rows.h"

kefu_err db_pack_state(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
                       int64_t *mark_ms, int64_t **pending, size_t *npending)
{
	struct db_result *r;
	*mark_ms = -1;
	*npending = 0;
	kefu_err e = db_query(db, a, &r, "SELECT next_ms FROM report_pack_marks WHERE tenant_id = ?", "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 1)
		*mark_ms = db_i64(r, 0, 0);
	e = db_query(
	    db, a, &r,
	    "SELECT bucket_ms FROM report_pack_pending WHERE tenant_id = ? AND bucket_ms >= ? AND bucket_ms < ?"
	    " ORDER BY bucket_ms",
	    "iii", tenant_id, from_ms, to_ms);
	return e != KEFU_OK ? e : rows_ids(r, a, pending, npending);
}

kefu_err db_pack_read(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
                      struct report_pack_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT bucket_ms, n, data FROM report_packs WHERE tenant_id = ? AND bucket_ms >= ?"
	                      " AND bucket_ms < ? ORDER BY bucket_ms",
	                      "iii", tenant_id, from_ms, to_ms);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		(*rows)[i] = (struct report_pack_row){.bucket_ms = db_i64(r, i, 0),
		                                      .n = db_i64(r, i, 1),
		                                      .data = (const unsigned char *)db_str(r, i, 2),
		                                      .len = db_len(r, i, 2)};
	return KEFU_OK;
}

kefu_err db_pack_tenants(struct kefu_db *db, kefu_arena *a, int64_t after, int64_t limit, int64_t **ids, size_t *n)
{
	/* Cross-tenant on purpose: the job serves every tenant, each step then scoped to one. */
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT id FROM tenants WHERE id > ? ORDER BY id LIMIT ?", "ii", after, limit);
	return e != KEFU_OK ? e : rows_ids(r, a, ids, n);
}

kefu_err db_pack_mark_lock(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t bucket_ms, int64_t *next_ms,
                           bool *found)
{
	struct db_result *r;
	*found = false;
	kefu_err e =
	    db_query(db, a, &r, "SELECT next_ms FROM report_pack_marks WHERE tenant_id = ? FOR UPDATE", "i", tenant_id);
	if (e != KEFU_OK || r->nrows == 1)
		goto done;
	/* The first run for the tenant: start at the bucket of its first conversation (one index probe). */
	e = db_exec(db, NULL, NULL,
	            "INSERT IGNORE INTO report_pack_marks (tenant_id, next_ms)"
	            " SELECT ?, FLOOR(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP'1970-01-01 00:00:00', MIN(created_at))"
	            " DIV 1000 / ?) * ? FROM conversations WHERE tenant_id = ? HAVING MIN(created_at) IS NOT NULL",
	            "iiii", tenant_id, bucket_ms, bucket_ms, tenant_id);
	if (e == KEFU_OK)
		e = db_query(db, a, &r, "SELECT next_ms FROM report_pack_marks WHERE tenant_id = ? FOR UPDATE", "i",
		             tenant_id);
done:
	if (e == KEFU_OK && r->nrows == 1) {
		*next_ms = db_i64(r, 0, 0);
		*found = true;
	}
	return e;
}

kefu_err db_pack_mark_set(struct kefu_db *db, int64_t tenant_id, int64_t next_ms)
{
	return db_exec(db, NULL, NULL, "UPDATE report_pack_marks SET next_ms = ? WHERE tenant_id = ?", "ii", next_ms,
	               tenant_id);
}

kefu_err db_pack_put(struct kefu_db *db, int64_t tenant_id, int64_t bucket_ms, int64_t n, const void *data, size_t len)
{
	return db_exec(db, NULL, NULL,
	               "INSERT INTO report_packs (tenant_id, bucket_ms, n, data) VALUES (?, ?, ?, ?)"
	               " ON DUPLICATE KEY UPDATE n = VALUES(n), data = VALUES(data)",
	               "iiib", tenant_id, bucket_ms, n, data, len);
}

kefu_err db_pack_pending_add(struct kefu_db *db, int64_t tenant_id, int64_t bucket_ms)
{
	return db_exec(db, NULL, NULL, "INSERT IGNORE INTO report_pack_pending (tenant_id, bucket_ms) VALUES (?, ?)",
	               "ii", tenant_id, bucket_ms);
}

kefu_err db_pack_pending_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t limit, int64_t **buckets,
                              size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r, "SELECT bucket_ms FROM report_pack_pending WHERE tenant_id = ? ORDER BY bucket_ms LIMIT ?", "ii",
	    tenant_id, limit);
	return e != KEFU_OK ? e : rows_ids(r, a, buckets, n);
}

kefu_err db_pack_pending_drop(struct kefu_db *db, int64_t tenant_id, int64_t bucket_ms)
{
	return db_exec(db, NULL, NULL, "DELETE FROM report_pack_pending WHERE tenant_id = ? AND bucket_ms = ?", "ii",
	               tenant_id, bucket_ms);
}
