/* report-packs: compact per-bucket copies of closed conversations' report facts, kept by a housekeeping job, and the
 * reports' read of a range from them plus the live rest (schema/0027, docs/reports.md). */
#include "domain/report-packs.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "store/store-report-packs.h"

/*
 * Why: a 30-day report read tens of thousands of rows of the covering index, each produced by MariaDB and
 * converted column by column: most of its time at a million conversations. A closed conversation's facts do not
 * change any more (only its rating may come, and ratings are read live), so once a bucket is over and all its
 * conversations are closed, its rows are written once as one blob of varints (about 20 bytes a conversation) and a
 * report reads a month as ~3,000 blobs. Everything else (open conversations, the last minutes, the buckets not yet
 * packed) is read live with the same query as before, so a report's figures are those of a full read.
 */

#define PACK_VERSION 1

enum { F_ASSIGNED = 1, F_FIRST = 2, F_CLOSED_AT = 4, F_QUEUED = 8, F_OFFLINE = 16, F_HOURS = 32 };

static unsigned char *put_u(unsigned char *p, uint64_t x)
{
	while (x >= 0x80) {
		*p++ = (unsigned char)(x | 0x80);
		x >>= 7;
	}
	*p++ = (unsigned char)x;
	return p;
}

static unsigned char *put_s(unsigned char *p, int64_t x)
{
	return put_u(p, ((uint64_t)x << 1) ^ (uint64_t)(x >> 63));
}

static bool get_u(const unsigned char **p, const unsigned char *end, uint64_t *x)
{
	*x = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*p == end)
			return false;
		unsigned char b = *(*p)++;
		*x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
	}
	return false;
}

static bool get_s(const unsigned char **p, const unsigned char *end, int64_t *x)
{
	uint64_t u;
	if (!get_u(p, end, &u))
		return false;
	*x = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	return true;
}

unsigned char *report_pack_encode(kefu_arena *a, int64_t bucket_ms, const struct report_conv_row *r, size_t n,
                                  size_t *len)
{
	/* At most 10 bytes a varint, 10 of them and a flag byte a row. */
	unsigned char *buf = arena_calloc(a, 2 + n * 11 * 10, 1), *p = buf;
	*p++ = PACK_VERSION;
	int64_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		const struct report_conv_row *c = &r[i];
		unsigned flags = (c->first_assigned_ms >= 0 ? F_ASSIGNED : 0) |
		                 (c->first_agent_message_ms >= 0 ? F_FIRST : 0) |
		                 (c->closed_ms >= 0 ? F_CLOSED_AT : 0) | (c->closed_queued ? F_QUEUED : 0) |
		                 (c->offline ? F_OFFLINE : 0) | (c->out_of_hours ? F_HOURS : 0);
		*p++ = (unsigned char)flags;
		p = put_s(p, c->id - prev);
		prev = c->id;
		p = put_s(p, c->created_ms - bucket_ms);
		p = put_u(p, (uint64_t)c->channel_id);
		p = put_u(p, (uint64_t)c->group_id);
		p = put_u(p, (uint64_t)c->agent_user_id);
		p = put_u(p, (uint64_t)c->transfers);
		if (flags & F_ASSIGNED)
			p = put_s(p, c->first_assigned_ms - c->created_ms);
		if (flags & F_FIRST)
			p = put_s(p, c->first_agent_message_ms - c->created_ms);
		if (flags & F_CLOSED_AT)
			p = put_s(p, c->closed_ms - c->created_ms);
	}
	*len = (size_t)(p - buf);
	return buf;
}

bool report_pack_decode(int64_t bucket_ms, const unsigned char *p, size_t len, struct report_conv_row *out, size_t n)
{
	const unsigned char *end = p + len;
	if (len < 1 || *p++ != PACK_VERSION)
		return false;
	int64_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		if (p == end)
			return false;
		unsigned flags = *p++;
		int64_t id, created, x;
		uint64_t channel, group, agent, transfers;
		if (!get_s(&p, end, &id) || !get_s(&p, end, &created) || !get_u(&p, end, &channel) ||
		    !get_u(&p, end, &group) || !get_u(&p, end, &agent) || !get_u(&p, end, &transfers))
			return false;
		struct report_conv_row *c = &out[i];
		prev += id;
		*c = (struct report_conv_row){.id = prev,
		                              .channel_id = (int64_t)channel,
		                              .group_id = (int64_t)group,
		                              .agent_user_id = (int64_t)agent,
		                              .created_ms = bucket_ms + created,
		                              .first_assigned_ms = -1,
		                              .first_agent_message_ms = -1,
		                              .closed_ms = -1,
		                              .closed = true,
		                              .closed_queued = flags & F_QUEUED,
		                              .offline = flags & F_OFFLINE,
		                              .out_of_hours = flags & F_HOURS,
		                              .transfers = (int64_t)transfers};
		if (flags & F_ASSIGNED) {
			if (!get_s(&p, end, &x))
				return false;
			c->first_assigned_ms = c->created_ms + x;
		}
		if (flags & F_FIRST) {
			if (!get_s(&p, end, &x))
				return false;
			c->first_agent_message_ms = c->created_ms + x;
		}
		if (flags & F_CLOSED_AT) {
			if (!get_s(&p, end, &x))
				return false;
			c->closed_ms = c->created_ms + x;
		}
	}
	return p == end;
}

/* ---- the job ---- */

static int64_t floor_bucket(int64_t ms)
{
	int64_t b = ms / REPORT_PACK_BUCKET_MS * REPORT_PACK_BUCKET_MS;
	return b > ms ? b - REPORT_PACK_BUCKET_MS : b;
}

static int64_t wall_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Pack the bucket of rows r[0..n) (all of it) when all are closed; else leave it pending. */
static kefu_err pack_bucket(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t bucket_ms,
                            const struct report_conv_row *r, size_t n, bool *packed)
{
	*packed = false;
	for (size_t i = 0; i < n; i++)
		if (!r[i].closed)
			return KEFU_OK;
	size_t len;
	unsigned char *blob = report_pack_encode(a, bucket_ms, r, n, &len);
	*packed = true;
	return db_pack_put(db, tenant_id, bucket_ms, (int64_t)n, blob, len);
}

struct step {
	int64_t tenant_id, limit_ms;
	bool more;
};

/* One window past the tenant's mark, in one transaction holding the mark's row: a second worker's run waits and
 * then starts where this one ended, so each bucket is looked at once. */
static kefu_err step_tx(struct kefu_db *db, void *ctx)
{
	struct step *st = ctx;
	st->more = false;
	kefu_arena *a = arena_new();
	int64_t next;
	bool found;
	kefu_err e = db_pack_mark_lock(db, a, st->tenant_id, REPORT_PACK_BUCKET_MS, &next, &found);
	if (e != KEFU_OK || !found || next >= st->limit_ms)
		goto out;
	int64_t end = next + REPORT_PACK_WINDOW_MS < st->limit_ms ? next + REPORT_PACK_WINDOW_MS : st->limit_ms;
	struct report_scope s = {.tenant_id = st->tenant_id, .start_ms = next, .end_ms = end};
	struct report_conv_row *r;
	size_t n, i = 0;
	if ((e = db_report_conversations(db, a, &s, &r, &n)) != KEFU_OK)
		goto out;
	while (i < n && e == KEFU_OK) {
		int64_t b = floor_bucket(r[i].created_ms);
		size_t j = i;
		while (j < n && r[j].created_ms < b + REPORT_PACK_BUCKET_MS)
			j++;
		bool packed;
		e = pack_bucket(db, a, st->tenant_id, b, r + i, j - i, &packed);
		if (e == KEFU_OK && !packed)
			e = db_pack_pending_add(db, st->tenant_id, b);
		i = j;
	}
	if (e == KEFU_OK)
		e = db_pack_mark_set(db, st->tenant_id, end);
	st->more = e == KEFU_OK && end < st->limit_ms;
out:
	arena_free(a);
	return e;
}

struct retry {
	int64_t tenant_id, bucket_ms;
};

/* A pending bucket whose conversations are all closed now: its pack and the end of its pending row together (a
 * report that saw it pending reads it live and ignores a pack it may find). */
static kefu_err retry_tx(struct kefu_db *db, void *ctx)
{
	struct retry *rt = ctx;
	kefu_arena *a = arena_new();
	struct report_scope s = {
	    .tenant_id = rt->tenant_id, .start_ms = rt->bucket_ms, .end_ms = rt->bucket_ms + REPORT_PACK_BUCKET_MS};
	struct report_conv_row *r;
	size_t n;
	bool packed = false;
	kefu_err e = db_report_conversations(db, a, &s, &r, &n);
	if (e == KEFU_OK)
		e = pack_bucket(db, a, rt->tenant_id, rt->bucket_ms, r, n, &packed);
	if (e == KEFU_OK && packed)
		e = db_pack_pending_drop(db, rt->tenant_id, rt->bucket_ms);
	arena_free(a);
	return e;
}

#define TENANTS_PER_RUN 20
#define PENDING_PER_RUN 16

void report_packs_tick(struct kefu_db *db)
{
	/* This process's tenant cursor (as retention_tick's): with several workers each walks all tenants. */
	static _Atomic int64_t cursor;
	int64_t deadline = mono_ms() + REPORT_PACK_BUDGET_MS;
	int64_t limit = floor_bucket(wall_ms() - REPORT_PACK_LAG_MS);
	kefu_arena *a = arena_new();
	int64_t *ids;
	size_t n;
	kefu_err e = db_pack_tenants(db, a, atomic_load(&cursor), TENANTS_PER_RUN, &ids, &n);
	if (e != KEFU_OK) {
		log_warn("housekeeping", "report_packs: %s", kefu_err_code(e));
		goto out;
	}
	atomic_store(&cursor, n == TENANTS_PER_RUN ? ids[n - 1] : 0);
	for (size_t k = 0; k < n && mono_ms() < deadline; k++) {
		struct step st = {.tenant_id = ids[k], .limit_ms = limit, .more = true};
		while (st.more && mono_ms() < deadline) {
			if ((e = db_tx(db, step_tx, &st)) != KEFU_OK) {
				log_warn("housekeeping", "report_packs: tenant %lld: %s", (long long)ids[k],
				         kefu_err_code(e));
				break;
			}
		}
		int64_t *pend;
		size_t np;
		if (db_pack_pending_list(db, a, ids[k], PENDING_PER_RUN, &pend, &np) != KEFU_OK)
			continue;
		for (size_t i = 0; i < np && mono_ms() < deadline; i++) {
			struct retry rt = {ids[k], pend[i]};
			if ((e = db_tx(db, retry_tx, &rt)) != KEFU_OK)
				log_warn("housekeeping", "report_packs: tenant %lld: %s", (long long)ids[k],
				         kefu_err_code(e));
		}
	}
out:
	arena_free(a);
}

/* ---- the reports' read ---- */

static bool in_scope(const struct report_scope *s, const struct report_conv_row *c)
{
	return c->created_ms >= s->start_ms && c->created_ms < s->end_ms &&
	       (!s->by_channel || c->channel_id == s->channel_id) && (!s->by_group || c->group_id == s->group_id) &&
	       (!s->by_agent || c->agent_user_id == s->agent_id);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

static bool before(const struct report_conv_row *x, const struct report_conv_row *y)
{
	return x->created_ms < y->created_ms || (x->created_ms == y->created_ms && x->id < y->id);
}

/* Append span [from, to) to sp (merging with the last one it touches); false when there are too many. */
static bool add_span(int64_t (*sp)[2], size_t *n, int64_t from, int64_t to)
{
	if (to <= from)
		return true;
	if (*n > 0 && sp[*n - 1][1] >= from) {
		sp[*n - 1][1] = to > sp[*n - 1][1] ? to : sp[*n - 1][1];
		return true;
	}
	if (*n == REPORT_PACK_MAX_SPANS)
		return false;
	sp[*n][0] = from;
	sp[(*n)++][1] = to;
	return true;
}

/* The rows of scope s in the packs of [from, to) except pending buckets; *total: all rows of those packs (*ok false:
 * a pack was not readable). */
static kefu_err packed_rows(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, int64_t from, int64_t to,
                            const int64_t *pend, size_t np, struct report_conv_row **rows, size_t *n, int64_t *total,
                            bool *ok)
{
	struct report_pack_row *pk;
	size_t npk, cap = 0, all = 0;
	*ok = true;
	*n = 0;
	*total = 0;
	kefu_err e = db_pack_read(db, a, s->tenant_id, from, to, &pk, &npk);
	if (e != KEFU_OK)
		return e;
	for (size_t i = 0; i < npk; i++) {
		cap = (size_t)pk[i].n > cap ? (size_t)pk[i].n : cap;
		all += (size_t)pk[i].n;
	}
	*rows = arena_calloc(a, all ? all : 1, sizeof **rows);
	struct report_conv_row *tmp = arena_calloc(a, cap ? cap : 1, sizeof *tmp);
	for (size_t i = 0; i < npk; i++) {
		if (np && bsearch(&pk[i].bucket_ms, pend, np, sizeof *pend, cmp_i64))
			continue; /* pending when the report began: read live */
		if (!report_pack_decode(pk[i].bucket_ms, pk[i].data, pk[i].len, tmp, (size_t)pk[i].n)) {
			log_warn("reports", "tenant %lld: pack %lld unreadable, read live", (long long)s->tenant_id,
			         (long long)pk[i].bucket_ms);
			*ok = false;
			return KEFU_OK;
		}
		*total += pk[i].n;
		for (size_t j = 0; j < (size_t)pk[i].n; j++)
			if (in_scope(s, &tmp[j]))
				(*rows)[(*n)++] = tmp[j];
	}
	return KEFU_OK;
}

kefu_err report_rows(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, struct report_conv_row **rows,
                     size_t *n)
{
	/* The mark and the pending buckets first, then the packs, then the live rows: a bucket packed meanwhile was
	 * pending or past the mark when this began, so it is read live only (a pack never changes once written).
	 * Packs serve the whole buckets [from, to) of the range below the mark; the range's partial buckets at
	 * either end, the pending ones and everything past the mark are read live. */
	int64_t mark, *pend;
	size_t np, npacked = 0, nlive = 0;
	struct report_conv_row *packed = NULL, *live = NULL;
	int64_t(*sp)[2] = arena_calloc(a, REPORT_PACK_MAX_SPANS, sizeof *sp);
	int64_t(*psp)[2] = arena_calloc(a, REPORT_PACK_MAX_SPANS, sizeof *psp);
	size_t nsp = 0, npsp = 0;
	int64_t from = floor_bucket(s->start_ms + REPORT_PACK_BUCKET_MS - 1), to = floor_bucket(s->end_ms);
	kefu_err e = db_pack_state(db, a, s->tenant_id, from, to, &mark, &pend, &np);
	if (e != KEFU_OK)
		return e;
	to = mark < to ? mark : to;
	bool use = to > from;
	if (use) {
		/* Live: [start, from), the pending buckets, [to, end); packed: [from, to) but the pending buckets. */
		use = add_span(sp, &nsp, s->start_ms, from);
		int64_t at = from;
		for (size_t i = 0; i < np && use && pend[i] < to; i++) {
			use = add_span(sp, &nsp, pend[i], pend[i] + REPORT_PACK_BUCKET_MS) &&
			      add_span(psp, &npsp, at, pend[i]);
			at = pend[i] + REPORT_PACK_BUCKET_MS;
		}
		use = use && add_span(psp, &npsp, at, to) && add_span(sp, &nsp, to, s->end_ms);
	}
	int64_t total = 0, counted = -1;
	if (use && (e = packed_rows(db, a, s, from, to, pend, np, &packed, &npacked, &total, &use)) != KEFU_OK)
		return e;
	if (use && npsp > 0) {
		/* The guard: the packs hold exactly the conversations that started in their buckets (an index range
		 * count). A conversation whose start was moved into a packed bucket (data imported or edited by
		 * hand: kefu never changes created_at) would be missed; then the whole range is read live. */
		struct report_scope all = {
		    .tenant_id = s->tenant_id, .spans = (const int64_t(*)[2])psp, .nspans = npsp};
		if ((e = db_report_count(db, a, &all, &counted)) != KEFU_OK)
			return e;
		if (counted != total) {
			log_info("reports", "tenant %lld: %lld conversations in packed buckets, %lld packed: read live",
			         (long long)s->tenant_id, (long long)counted, (long long)total);
			use = false;
		}
	}
	struct report_scope ls = *s;
	if (use) {
		ls.spans = (const int64_t(*)[2])sp;
		ls.nspans = nsp;
	} else {
		npacked = 0;
	}
	if (!use || nsp > 0) {
		if ((e = db_report_conversations(db, a, &ls, &live, &nlive)) != KEFU_OK)
			return e;
	}
	/* Both lists are in (created, id) order and disjoint: merge. */
	*n = npacked + nlive;
	*rows = arena_calloc(a, *n ? *n : 1, sizeof **rows);
	for (size_t i = 0, j = 0, k = 0; k < *n; k++)
		(*rows)[k] = j >= nlive || (i < npacked && before(&packed[i], &live[j])) ? packed[i++] : live[j++];
	int64_t(*scores)[2];
	size_t ns;
	if ((e = db_report_ratings(db, a, s->tenant_id, s->start_ms, &scores, &ns)) != KEFU_OK)
		return e;
	for (size_t k = 0; k < *n && ns; k++) {
		int64_t key[2] = {(*rows)[k].id, 0};
		const int64_t(*hit)[2] = bsearch(key, scores, ns, sizeof *scores, cmp_i64);
		(*rows)[k].score = hit ? (int)(*hit)[1] : 0;
	}
	return KEFU_OK;
}
