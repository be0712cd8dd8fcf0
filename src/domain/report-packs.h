/* report-packs: the report facts of closed conversations packed per 15-minute bucket (schema/0027), the housekeeping
 * job that packs them, and the reports' read of a range: packs plus the live rest, the same rows as a full read. */
#ifndef KEFU_DOMAIN_REPORT_PACKS_H
#define KEFU_DOMAIN_REPORT_PACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-reports.h"

#define REPORT_PACK_BUCKET_MS (15 * 60 * 1000)   /* a bucket: every zone's midnight is an edge of one */
#define REPORT_PACK_LAG_MS    (2 * 60 * 1000)    /* a bucket is packed once it ended this long ago */
#define REPORT_PACK_WINDOW_MS (24 * 3600 * 1000) /* a step's buckets: one day, one transaction */
#define REPORT_PACK_MS        2000               /* the job's interval */
#define REPORT_PACK_BUDGET_MS 500                /* a run stops stepping after this much time */
#define REPORT_PACK_MAX_SPANS 32                 /* more live spans than this: a report reads the range live */

/* The rows of n conversations (sorted by start, then id) of bucket bucket_ms as a blob in a; *len its size. */
unsigned char *report_pack_encode(kefu_arena *a, int64_t bucket_ms, const struct report_conv_row *r, size_t n,
                                  size_t *len);

/* Decode a blob of n rows into out[0..n) (scores 0, closed true); false when it is not one (then read live). */
bool report_pack_decode(int64_t bucket_ms, const unsigned char *p, size_t len, struct report_conv_row *out, size_t n);

/* One run (claimed by housekeeping): for some tenants, pack the buckets past their mark and retry pending ones. */
void report_packs_tick(struct kefu_db *db);

/* The conversations of scope s (no spans) in (created, id) order, each with its rating's score: from the packs below
 * the tenant's mark and, live, those of pending buckets, past the mark, and of every bucket without a pack. */
kefu_err report_rows(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, struct report_conv_row **rows,
                     size_t *n);

#endif
