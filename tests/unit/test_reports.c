/* test_reports: the reports' math: nearest-rank percentiles, local midnights across zones and DST (gaps and overlaps),
 * and time inside service hours. */
#include <check.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>

#include "core/arena.h"
#include "domain/org.h"
#include "domain/report-packs.h"
#include "domain/reports.h"
#include "check-main.h"

START_TEST(stats_nearest_rank)
{
	struct report_stat s;
	report_stat_of(NULL, 0, &s);
	ck_assert(!s.has);
	ck_assert_int_eq(s.n, 0);
	double two[] = {30, 10};
	report_stat_of(two, 2, &s);
	ck_assert(s.has);
	ck_assert_double_eq(s.avg, 20);
	ck_assert_double_eq(s.p50, 10); /* rank ceil(0.5 * 2) = 1 */
	ck_assert_double_eq(s.p90, 30); /* rank ceil(0.9 * 2) = 2 */
	double one[] = {7.25};
	report_stat_of(one, 1, &s);
	ck_assert_double_eq(s.p50, 7.25);
	ck_assert_double_eq(s.p90, 7.25);
	double ten[10], hundred[100];
	for (int i = 0; i < 10; i++)
		ten[i] = 10 - i; /* unsorted: 10 .. 1 */
	report_stat_of(ten, 10, &s);
	ck_assert_double_eq(s.avg, 5.5);
	ck_assert_double_eq(s.p50, 5);
	ck_assert_double_eq(s.p90, 9);
	for (int i = 0; i < 100; i++)
		hundred[i] = i + 1;
	report_stat_of(hundred, 100, &s);
	ck_assert_double_eq(s.p50, 50);
	ck_assert_double_eq(s.p90, 90);
	double three[] = {10, 30, 120};
	report_stat_of(three, 3, &s);
	ck_assert_double_eq(s.avg, 53.333); /* to the millisecond */
	ck_assert_double_eq(s.p50, 30);
	ck_assert_double_eq(s.p90, 120);
}
END_TEST

static int cmp_ref(const void *x, const void *y)
{
	double p = *(const double *)x, q = *(const double *)y;
	return (p > q) - (p < q);
}

/* report_stat_of sorts in place by radix on the values' bits: the order must be qsort's numeric one, for
 * magnitudes from a millisecond to weeks, zeros, duplicates and (not produced by reports, but sorted right) negatives.
 */
START_TEST(stats_sort_matches_qsort)
{
	enum { N = 5000 };
	static double v[N], ref[N];
	srand(17);
	for (int i = 0; i < N; i++) {
		int kind = rand() % 6;
		double x = kind == 0   ? 0
		           : kind == 1 ? (double)(rand() % 1000) / 1000.0
		           : kind == 2 ? (double)(rand() % 100000) / 1000.0
		           : kind == 3 ? (double)(rand() % 3000000) + 0.001 * (rand() % 1000)
		           : kind == 4 ? -(double)(rand() % 5000) / 7.0
		                       : 42.5;
		v[i] = ref[i] = x;
	}
	qsort(ref, N, sizeof *ref, cmp_ref);
	struct report_stat s;
	report_stat_of(v, N, &s);
	for (int i = 0; i < N; i++)
		ck_assert_double_eq(v[i], ref[i]);
	ck_assert_double_eq(s.p50, round(ref[N / 2 - 1] * 1000.0) / 1000.0);
	ck_assert_double_eq(s.p90, round(ref[N * 9 / 10 - 1] * 1000.0) / 1000.0);
}
END_TEST

START_TEST(local_midnights)
{
	ck_assert_int_eq(report_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(report_days_from_civil(2026, 11, 23) * 86400, 1795392000);
	ck_assert_int_eq(report_local_midnight("UTC", 2026, 11, 23), 1795392000);
	ck_assert_int_eq(report_local_midnight("Asia/Shanghai", 2026, 11, 10), 1794240000);
	/* New York: the day DST ends starts at -04:00, the day it begins at -05:00 (both change at 02:00). */
	ck_assert_int_eq(report_local_midnight("America/New_York", 2026, 11, 1), 1793505600);
	ck_assert_int_eq(report_local_midnight("America/New_York", 2026, 3, 8), 1772946000);
	ck_assert_int_eq(report_local_midnight("America/New_York", 2026, 11, 2) -
	                     report_local_midnight("America/New_York", 2026, 11, 1),
	                 25 * 3600);
	ck_assert_int_eq(report_local_midnight("America/New_York", 2026, 3, 9) -
	                     report_local_midnight("America/New_York", 2026, 3, 8),
	                 23 * 3600);
	/* Santiago skips 00:00-01:00 on 2026-09-06: the day starts at 01:00 -03:00, the transition. */
	ck_assert_int_eq(report_local_midnight("America/Santiago", 2026, 9, 6), 1788667200);
	/* India: a half-hour offset. */
	ck_assert_int_eq(report_local_midnight("Asia/Kolkata", 2026, 11, 23), 1795392000 - 5 * 3600 - 1800);
}
END_TEST

static struct service_hours hours(kefu_arena *a, const char *text)
{
	struct service_hours h;
	ck_assert_int_eq(org_hours_parse_text(a, text, &h), KEFU_OK);
	return h;
}

START_TEST(business_seconds)
{
	kefu_arena *a = arena_new();
	const int64_t mon = 1795392000LL * 1000; /* Monday 2026-11-23 00:00Z, in ms */
	/* No hours: all of it, to the millisecond. */
	ck_assert_double_eq(report_business_seconds(NULL, "UTC", mon, mon + 1500), 1.5);
	ck_assert_double_eq(report_business_seconds(NULL, "UTC", mon, mon - 10), 0);
	struct service_hours h = hours(a, "{\"timezone\":\"UTC\",\"weekly\":{\"mon\":[[\"09:00\",\"12:00\"],[\"13:00\","
	                                  "\"18:00\"]],\"tue\":[[\"09:00\",\"10:00\"]]},\"closed_dates\":[]}");
	/* Monday 08:59:30 .. 09:00:45: 45 s inside. */
	ck_assert_double_eq(report_business_seconds(&h, "UTC", mon + (8 * 3600 + 59 * 60 + 30) * 1000LL,
	                                            mon + (9 * 3600 + 45) * 1000LL),
	                    45);
	/* Monday 11:00 .. Tuesday 09:30: 1 h + 5 h + 30 min. */
	ck_assert_double_eq(report_business_seconds(&h, "UTC", mon + 11 * 3600 * 1000LL, mon + 33.5 * 3600 * 1000LL),
	                    6.5 * 3600);
	/* A whole week: 8 h + 1 h. */
	ck_assert_double_eq(report_business_seconds(&h, "UTC", mon, mon + 7 * 86400 * 1000LL), 9 * 3600);
	/* The same hours in Shanghai: Monday 09:00 there is 01:00Z. */
	struct service_hours sh =
	    hours(a, "{\"timezone\":\"Asia/Shanghai\",\"weekly\":{\"mon\":[[\"09:00\",\"12:00\"]]},"
	             "\"closed_dates\":[]}");
	ck_assert_double_eq(report_business_seconds(&sh, "Asia/Shanghai", mon, mon + 2 * 3600 * 1000LL), 3600);
	/* A closed date closes the whole day. */
	struct service_hours cd = hours(a, "{\"timezone\":\"UTC\",\"weekly\":{\"mon\":[[\"00:00\",\"24:00\"]]},"
	                                   "\"closed_dates\":[\"2026-11-23\"]}");
	ck_assert_double_eq(report_business_seconds(&cd, "UTC", mon, mon + 86400 * 1000LL), 0);
	ck_assert_double_eq(report_business_seconds(&cd, "UTC", mon + 7 * 86400 * 1000LL, mon + 8 * 86400 * 1000LL),
	                    86400);
	/* Open all Sunday in New York on the day DST ends: 25 hours. */
	struct service_hours ny = hours(a, "{\"timezone\":\"America/New_York\",\"weekly\":{\"sun\":[[\"00:00\","
	                                   "\"24:00\"]]},\"closed_dates\":[]}");
	int64_t sun = 1793505600LL * 1000;
	ck_assert_double_eq(
	    report_business_seconds(&ny, "America/New_York", sun - 3600 * 1000LL, sun + 26 * 3600 * 1000LL), 25 * 3600);
	arena_free(a);
}
END_TEST

/* A pack decodes to the rows it was made of, whatever their values (absent times, times before the start, ids
 * far apart, big ids); a damaged or truncated blob is refused rather than misread. */
START_TEST(pack_round_trip)
{
	kefu_arena *a = arena_new();
	int64_t b = INT64_C(1796000400000); /* a bucket start */
	struct report_conv_row in[] = {
	    {.id = 7,
	     .channel_id = 3,
	     .group_id = 0,
	     .agent_user_id = 0,
	     .created_ms = b,
	     .first_assigned_ms = -1,
	     .first_agent_message_ms = -1,
	     .closed_ms = b + 5000,
	     .closed = true,
	     .closed_queued = true},
	    {.id = 9,
	     .channel_id = 3,
	     .group_id = 12,
	     .agent_user_id = 40,
	     .created_ms = b + 1,
	     .first_assigned_ms = b + 1,
	     .first_agent_message_ms = b + 86400000LL * 40,
	     .closed_ms = b - 3,
	     .closed = true,
	     .offline = true,
	     .transfers = 3},
	    {.id = INT64_C(1) << 40,
	     .channel_id = INT64_C(1) << 33,
	     .group_id = 5,
	     .agent_user_id = 6,
	     .created_ms = b + 899999,
	     .first_assigned_ms = b + 900000,
	     .first_agent_message_ms = -1,
	     .closed_ms = b + 900001,
	     .closed = true,
	     .out_of_hours = true},
	};
	size_t n = sizeof in / sizeof in[0], len;
	unsigned char *blob = report_pack_encode(a, b, in, n, &len);
	ck_assert_uint_lt(len, n * 30);
	struct report_conv_row out[3];
	ck_assert(report_pack_decode(b, blob, len, out, n));
	for (size_t i = 0; i < n; i++) {
		const struct report_conv_row *x = &in[i], *y = &out[i];
		ck_assert(x->id == y->id && x->channel_id == y->channel_id && x->group_id == y->group_id &&
		          x->agent_user_id == y->agent_user_id && x->created_ms == y->created_ms &&
		          x->first_assigned_ms == y->first_assigned_ms &&
		          x->first_agent_message_ms == y->first_agent_message_ms && x->closed_ms == y->closed_ms);
		ck_assert(x->closed == y->closed && x->closed_queued == y->closed_queued && x->offline == y->offline &&
		          x->out_of_hours == y->out_of_hours && x->transfers == y->transfers && y->score == 0);
	}
	ck_assert(!report_pack_decode(b, blob, len - 1, out, n));
	ck_assert(!report_pack_decode(b, blob, len, out, n - 1)); /* bytes left over */
	blob[0] = 99;
	ck_assert(!report_pack_decode(b, blob, len, out, n));
	ck_assert(!report_pack_decode(b, blob, 0, out, 0));
	arena_free(a);
}
END_TEST

int main(void)
{
	return check_run(check_suite("reports", "math",
	                             CHECK_TESTS(stats_nearest_rank, stats_sort_matches_qsort, local_midnights,
	                                         business_seconds, pack_round_trip)));
}
