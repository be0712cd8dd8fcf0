/* test_db: the transaction retry's backoff range, the parameter bound of db_query/db_exec and the text of a date or
 * time stamp cell (no database needed). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "store/db.h"
#include "check-main.h"

START_TEST(backoff_spans_its_whole_range)
{
	for (int attempt = 0; attempt < 8; attempt++) {
		uint64_t cap = (uint64_t)2000 << attempt;
		ck_assert_uint_eq(db_tx_backoff_us(attempt, 0), 500);
		ck_assert_uint_eq(db_tx_backoff_us(attempt, (uint32_t)cap - 1), 500 + cap - 1);
		ck_assert_uint_eq(db_tx_backoff_us(attempt, (uint32_t)cap), 500);
		ck_assert_uint_lt(db_tx_backoff_us(attempt, UINT32_MAX), 500 + cap);
	}
	/* Uniform 32-bit draws reach the top of the longest wait (256 ms), not
	 * 66 ms as 16 random bits would. */
	srand(13);
	uint64_t max = 0, min = UINT64_MAX;
	for (int i = 0; i < 4096; i++) {
		uint32_t r = (uint32_t)rand() << 16 ^ (uint32_t)rand();
		uint64_t us = db_tx_backoff_us(7, r);
		max = us > max ? us : max;
		min = us < min ? us : min;
	}
	ck_assert_uint_ge(max, 250000);
	ck_assert_uint_le(max, 256500);
	ck_assert_uint_le(min, 10000);
	ck_assert_uint_ge(min, 500);
}
END_TEST

/* More parameters than db.c's fixed array holds are refused with an error
 * before anything is bound or sent: no write past the array, no abort. */
#define Z1 ((int64_t)0)
#define Z8 Z1, Z1, Z1, Z1, Z1, Z1, Z1, Z1
START_TEST(too_many_parameters_is_an_error)
{
	static const struct kefu_conf conf;
	struct kefu_db *db = db_new(&conf);
	const char *types = "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii"; /* 49 */
	ck_assert_uint_eq(strlen(types), 49);
	kefu_err e = db_exec(db, NULL, NULL, "SELECT 1", types, Z8, Z8, Z8, Z8, Z8, Z8, Z1);
	ck_assert_int_eq(e, KEFU_E_INTERNAL);
	db_free(db);
}
END_TEST

/* A stamp's text is the client library's, which writes "%04u-%02u-%02u %02u:%02u:%02u" and then ".%06lu" cut to the
 * column's digits when it has 1 to 6 (the two were compared on a server's DATE, DATETIME(0-6) columns and
 * expressions: README, "An eighth pass"). */
START_TEST(stamp_text_is_the_client_librarys)
{
	static const unsigned long micros[] = {0, 1, 9, 10, 500000, 999999, 123456, 100000};
	static const unsigned dates[][6] = {{2026, 12, 8, 2, 17, 38},
	                                    {999, 1, 2, 23, 59, 59},
	                                    {0, 0, 0, 0, 0, 0},
	                                    {9999, 12, 31, 0, 0, 1},
	                                    {2000, 2, 29, 12, 30, 0}};
	for (size_t d = 0; d < sizeof dates / sizeof *dates; d++)
		for (size_t m = 0; m < sizeof micros / sizeof *micros; m++)
			for (int decimals = 0; decimals <= 7; decimals++) {
				const unsigned *t = dates[d];
				char want[64], got[DB_STAMP_MAX];
				int n = decimals == 7 ? snprintf(want, sizeof want, "%04u-%02u-%02u", t[0], t[1], t[2])
				                      : snprintf(want, sizeof want, "%04u-%02u-%02u %02u:%02u:%02u",
				                                 t[0], t[1], t[2], t[3], t[4], t[5]);
				if (decimals > 0 && decimals < 7) {
					char frac[16];
					snprintf(frac, sizeof frac, ".%06lu", micros[m]);
					frac[decimals + 1] = '\0';
					n += snprintf(want + n, sizeof want - (size_t)n, "%s", frac);
				}
				size_t len =
				    db_stamp_text(t[0], t[1], t[2], t[3], t[4], t[5], micros[m], decimals, got);
				ck_assert_str_eq(got, want);
				ck_assert_uint_eq(len, (size_t)n);
			}
}
END_TEST

int main(void)
{
	return check_run(check_suite("db", "db",
	                             CHECK_TESTS(backoff_spans_its_whole_range, too_many_parameters_is_an_error,
	                                         stamp_text_is_the_client_librarys)));
}
