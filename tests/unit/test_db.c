/* test_db: the transaction retry's backoff range and the parameter bound of db_query/db_exec (no database needed). */
#include <check.h>
#include <stdint.h>
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

int main(void)
{
	return check_run(
	    check_suite("db", "db", CHECK_TESTS(backoff_spans_its_whole_range, too_many_parameters_is_an_error)));
}
