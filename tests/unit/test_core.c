/* test_core: arena, UTF-8 validation, config parsing, error table, text and id-list helpers, log lines. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/conf.h"
#include "core/err.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/text.h"
#include "core/utf8.h"
#include "check-main.h"

static int deferred_runs;
static void count_run(void *p)
{
	(void)p;
	deferred_runs++;
}

START_TEST(arena_grows_and_resets)
{
	kefu_arena *a = arena_new();
	char *big = arena_alloc(a, 100000);
	memset(big, 'x', 100000);
	char *s = arena_printf(a, "%s-%d", "id", 42);
	ck_assert_str_eq(s, "id-42");
	ck_assert_uint_ge(arena_used(a), 100000);
	arena_defer(a, count_run, NULL);
	arena_defer(a, count_run, NULL);
	arena_reset(a);
	ck_assert_int_eq(deferred_runs, 2);
	ck_assert_uint_eq(arena_used(a), 0);
	ck_assert_ptr_nonnull(arena_strndup(a, "abcdef", 3));
	ck_assert_str_eq(arena_strndup(a, "abcdef", 3), "abc");
	ck_assert_uint_eq((uintptr_t)arena_alloc(a, 3) % 16, 0);
	arena_free(a);
}
END_TEST

START_TEST(utf8_accepts_and_rejects)
{
	ck_assert(utf8_valid("hello", 5));
	ck_assert(utf8_valid("张三😀", strlen("张三😀")));
	ck_assert(!utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
	ck_assert(!utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	ck_assert(!utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
	ck_assert(!utf8_valid("\xe4\xb8", 2));         /* truncated */
	ck_assert(!utf8_valid("a\0b", 3));             /* NUL */
	ck_assert(!utf8_valid("\xff", 1));
	ck_assert_uint_eq(utf8_length("张三😀", strlen("张三😀")), 3);
}
END_TEST

START_TEST(conf_keys_and_values)
{
	struct kefu_conf c;
	char err[256];
	unsetenv("KEFU_CONFIG");
	setenv("KEFU_THREADS", "3", 1);
	ck_assert_int_eq(conf_load(&c, "/nonexistent/kefu.conf", err, sizeof err), -1);
	conf_free(&c);
	char path[] = "/tmp/kefu-conf-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	const char *text = "# comment\n db_name = shop \njson_limit = 128K\nsecure_cookies = yes\n";
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(conf_load(&c, path, err, sizeof err), 0);
	ck_assert_str_eq(c.db_name, "shop");
	ck_assert_uint_eq(c.json_limit, 128 * 1024);
	ck_assert(c.secure_cookies);
	ck_assert_int_eq(c.threads, 3); /* environment wins over the file */
	ck_assert_int_eq(conf_set(&c, "no_such_key", "1"), -1);
	ck_assert_int_eq(conf_set(&c, "threads", "-1"), -1);
	ck_assert_int_eq(conf_set(&c, "secure_cookies", "maybe"), -1);
	conf_free(&c);
	unlink(path);
	unsetenv("KEFU_THREADS");
}
END_TEST

START_TEST(err_table_complete)
{
	for (int e = 0; e < KEFU_E__MAX; e++) {
		ck_assert_ptr_nonnull(kefu_err_code((kefu_err)e));
		ck_assert_int_ge(kefu_err_status((kefu_err)e), 200);
	}
	ck_assert_int_eq(kefu_err_status(KEFU_E_CAPACITY), 409);
	ck_assert_str_eq(kefu_err_code(KEFU_E_ORIGIN), "origin_not_allowed");
}
END_TEST

/* The colour the channel style and tags take: "#rrggbb" only. */
START_TEST(color_is_hash_and_six_hex_digits)
{
	static const char *const good[] = {"#1a2B3c", "#000000", NULL};
	static const char *const bad[] = {"1a2b3c", "#1a2b3", "#1a2b3c4", "#1a2b3g", "#12 456", "", NULL};
	for (size_t i = 0; good[i]; i++)
		ck_assert_msg(text_is_color(good[i]), "%s", good[i]);
	for (size_t i = 0; bad[i]; i++)
		ck_assert_msg(!text_is_color(bad[i]), "%s", bad[i]);
}
END_TEST

/* A rule's channels and choice groups are refused when one stands twice. */
START_TEST(ids_dup_anywhere)
{
	const int64_t none[] = {3, 1, 2}, last[] = {3, 1, 2, 3}, next[] = {5, 5};
	ck_assert(!ids_have_dup(none, 3));
	ck_assert(!ids_have_dup(none, 0));
	ck_assert(ids_have_dup(last, 4));
	ck_assert(!ids_have_dup(last, 3));
	ck_assert(ids_have_dup(next, 2));
}
END_TEST

static size_t file_size(int fd)
{
	off_t n = lseek(fd, 0, SEEK_END);
	ck_assert_int_ge(n, 0);
	return (size_t)n;
}

/* Lines from..to-1 of a run longer than the gathered buffer: the
 * size of the file they go to (fd) right after. */
static size_t long_run(int fd, int from, int to)
{
	for (int i = from; i < to; i++)
		log_info("access", "line %d of a long run of lines that fills the buffer", i);
	return file_size(fd);
}

/* stderr into a new unlinked file until stderr_back(*saved): the file. */
static int stderr_to_file(int *saved)
{
	char path[] = "/tmp/kefu-test-log.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	*saved = dup(STDERR_FILENO);
	ck_assert_int_ge(*saved, 0);
	ck_assert_int_ge(dup2(fd, STDERR_FILENO), 0);
	return fd;
}

static void stderr_back(int saved)
{
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* The whole file fd, NUL-terminated (free it); fd is closed. */
static char *file_text(int fd)
{
	size_t n = file_size(fd);
	char *text = malloc(n + 1);
	ck_assert_int_eq(pread(fd, text, n, 0), (ssize_t)n);
	text[n] = 0;
	close(fd);
	return text;
}

/* Lines "info access: line I" for I from 0 to n-1, whole and in order, line
 * warn_at (if not -1) a warning "warn test: line I" instead. */
static void lines_in_order(const char *text, int n, int warn_at)
{
	const char *at = text;
	for (int i = 0; i < n; i++) {
		char want[32];
		snprintf(want, sizeof want, i == warn_at ? " warn test: line %d" : " info access: line %d", i);
		at = strstr(at, want);
		ck_assert_msg(at != NULL, "line %d missing or out of order", i);
		at = strchr(at, '\n');
		ck_assert_ptr_nonnull(at);
	}
}

/* log_text: the same line as log_msg with "%s" would write, a long one cut
 * to the same length. */
START_TEST(log_text_lines)
{
	int saved, fd = stderr_to_file(&saved);
	static char long_text[5000];
	memset(long_text, 'x', sizeof long_text - 1);
	log_text(LOG_INFO, "access", "GET / - 404 0.1ms tenant=0", 26);
	log_msg(LOG_INFO, "access", "%s", "GET / - 404 0.1ms tenant=0");
	log_text(LOG_WARN, "area", long_text, strlen(long_text));
	log_msg(LOG_WARN, "area", "%s", long_text);
	stderr_back(saved);
	char *text = file_text(fd);
	char *l[4];
	char *at = text;
	for (int i = 0; i < 4; i++) {
		l[i] = at;
		at = strchr(at, '\n');
		ck_assert_ptr_nonnull(at);
		*at++ = 0;
	}
	ck_assert_str_eq(l[0] + 21, "info access: GET / - 404 0.1ms tenant=0");
	ck_assert_str_eq(l[0] + 21, l[1] + 21); /* past the time, which may differ by a second */
	ck_assert_uint_eq(strlen(l[2]), 2046);
	ck_assert_str_eq(l[2] + 21, l[3] + 21);
	free(text);
}
END_TEST

/* Deferred lines (log_defer, as a worker runs): info lines wait for the
 * flusher, which writes them within moments of the first; a warning writes
 * them first, then itself, at once; a run larger than the buffer is written
 * early; log_flush writes the rest; all whole and in order. Forked, as every
 * test here, so the flusher thread stays in this test's process. */
START_TEST(log_lines_deferred)
{
	int saved, fd = stderr_to_file(&saved);
	log_defer(100);
	for (int i = 0; i < 3; i++)
		log_info("access", "line %d", i);
	size_t gathered = file_size(fd);
	log_warn("test", "line 3");
	size_t warned = file_size(fd);
	log_info("access", "line 4");
	size_t after_warn = file_size(fd);
	nanosleep(&(struct timespec){.tv_nsec = 400 * 1000 * 1000}, NULL);
	size_t flushed = file_size(fd);
	size_t early = long_run(fd, 5, 1500);
	log_flush();
	stderr_back(saved);
	ck_assert_uint_eq(gathered, 0);
	ck_assert_uint_gt(warned, 0);
	ck_assert_uint_eq(after_warn, warned);
	ck_assert_uint_gt(flushed, warned);
	ck_assert_uint_gt(early, flushed);
	char *text = file_text(fd);
	lines_in_order(text, 1500, 3);
	free(text);
}
END_TEST

int main(void)
{
	return check_run(check_suite("core", "core",
	                             CHECK_TESTS(arena_grows_and_resets, utf8_accepts_and_rejects, conf_keys_and_values,
	                                         err_table_complete, color_is_hash_and_six_hex_digits, ids_dup_anywhere,
	                                         log_text_lines, log_lines_deferred)));
}
