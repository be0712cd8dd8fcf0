/* store-report-packs: SQL of the report packs (schema/0027): packed buckets, each tenant's mark and pending buckets. */
#ifndef KEFU_STORE_REPORT_PACKS_H
#define KEFU_STORE_REPORT_PACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* A packed bucket: its start (UTC ms), how many conversations, and the blob of domain/report-packs.c. */
struct report_pack_row {
	int64_t bucket_ms;
	int64_t n;
	const unsigned char *data;
	size_t len;
};

/* The tenant's mark (*mark_ms -1: none yet) and its pending buckets in [from_ms, to_ms), ascending. */
kefu_err db_pack_state(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
                       int64_t *mark_ms, int64_t **pending, size_t *npending);

/* The tenant's packs of buckets in [from_ms, to_ms), ascending. */
kefu_err db_pack_read(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t from_ms, int64_t to_ms,
                      struct report_pack_row **rows, size_t *n);

/* Tenant ids above after, ascending, at most limit (housekeeping serves every tenant). */
kefu_err db_pack_tenants(struct kefu_db *db, kefu_arena *a, int64_t after, int64_t limit, int64_t **ids, size_t *n);

/* Inside a transaction: the tenant's mark, locked (FOR UPDATE); created at the bucket (bucket_ms wide) of its first
 * conversation when missing. *found false: the tenant has no conversation. */
kefu_err db_pack_mark_lock(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t bucket_ms, int64_t *next_ms,
                           bool *found);
kefu_err db_pack_mark_set(struct kefu_db *db, int64_t tenant_id, int64_t next_ms);

/* Write (replace) a bucket's pack; add a pending bucket; list and drop pending ones. */
kefu_err db_pack_put(struct kefu_db *db, int64_t tenant_id, int64_t bucket_ms, int64_t n, const void *data, size_t len);
kefu_err db_pack_pending_add(struct kefu_db *db, int64_t tenant_id, int64_t bucket_ms);
kefu_err db_pack_pending_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t limit, int64_t **buckets,
                              size_t *n);
kefu_err db_pack_pending_drop(struct kefu_db *db, int64_t tenant_id, int64_t bucket_ms);

#endif
