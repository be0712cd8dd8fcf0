/* check-main: what every unit test shares: the Check runner its main hands the suite to, and where the test data is. */
#ifndef KEFU_TESTS_CHECK_MAIN_H
#define KEFU_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/* The source tree's top ("srcdir" under make check, else the current directory): test data lives there. */
static inline const char *check_srcdir(void)
{
	const char *s = getenv("srcdir");
	return s && *s ? s : ".";
}

/* Run every test of s (forked, Check's default) and give main's exit status. */
static inline int check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* The usual shape of a test's main: one test case in s holding tests in
 * order (CHECK_TESTS gives the array and its count). The case is returned
 * for a timeout, a fixture or loop tests. */
static inline TCase *check_case(Suite *s, const char *name, const TTest *const *tests, size_t n)
{
	TCase *tc = tcase_create(name);
	for (size_t i = 0; i < n; i++)
		tcase_add_test(tc, tests[i]);
	suite_add_tcase(s, tc);
	return tc;
}
#define CHECK_TESTS(...)                                                                                               \
	((const TTest *const[]){__VA_ARGS__}), (sizeof((const TTest *const[]){__VA_ARGS__}) / sizeof(const TTest *))

/* A suite of that one case. */
static inline Suite *check_suite(const char *name, const char *tcase, const TTest *const *tests, size_t n)
{
	Suite *s = suite_create(name);
	check_case(s, tcase, tests, n);
	return s;
}

#endif
