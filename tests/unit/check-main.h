/* check-main: the Check runner every unit test's main hands its suite to, so the run-and-count lives in one place. */
#ifndef KEFU_TESTS_CHECK_MAIN_H
#define KEFU_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

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
