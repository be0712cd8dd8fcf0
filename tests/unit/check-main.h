/* check-main: what every unit test shares: the Check runner its main hands the suite to, where the test data is,
 * and directories of files made for one case. */
#ifndef KEFU_TESTS_CHECK_MAIN_H
#define KEFU_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Each of the strings of want (a list ends with NULL) stands in out: what a rendered page must show. */
static inline void check_has_all(const char *out, const char *const *want)
{
	for (; *want; want++)
		ck_assert_msg(strstr(out, *want) != NULL, "lacks \"%s\"", *want);
}

/* None of the strings of never (a list ends with NULL) stands in out: what must not get through. */
static inline void check_has_none(const char *out, const char *const *never)
{
	for (; *never; never++)
		ck_assert_msg(strstr(out, *never) == NULL, "has \"%s\"", *never);
}

/* A file of a test directory; a list ends with a NULL name. */
struct check_file {
	const char *name;
	const char *text;
};

/* A new directory under $TMPDIR (or /tmp) holding files: for the loaders'
 * refusals, each case in a directory of its own. check_remove_dir removes
 * it and frees the name. */
static inline char *check_write_dir(const struct check_file *files)
{
	const char *tmp = getenv("TMPDIR");
	char *dir;
	ck_assert_int_ge(asprintf(&dir, "%s/kefu-test-XXXXXX", tmp && *tmp ? tmp : "/tmp"), 0);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (const struct check_file *f = files; f->name; f++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, f->name);
		FILE *fp = fopen(path, "w");
		ck_assert_ptr_nonnull(fp);
		fputs(f->text, fp);
		fclose(fp);
	}
	return dir;
}

static inline void check_remove_dir(char *dir, const struct check_file *files)
{
	for (const struct check_file *f = files; f->name; f++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, f->name);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

#endif
