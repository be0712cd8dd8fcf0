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

#endif
