/* test_router: path matching, parameters, 404 vs 405, HEAD, over the real route table. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/request.h"
#include "http/router.h"
#include "http/routes.h"
#include "check-main.h"

static kefu_arena *arena;

static kefu_err match(const char *method, const char *path, const struct route **rt, const char **allow,
                      struct kefu_req *r)
{
	memset(r, 0, sizeof *r);
	r->arena = arena;
	r->method = method;
	r->path = path;
	return router_match(r, rt, allow);
}

START_TEST(static_paths)
{
	struct kefu_req r;
	const struct route *rt;
	const char *allow;
	ck_assert_int_eq(match("GET", "/healthz", &rt, &allow, &r), KEFU_OK);
	ck_assert_str_eq(rt->pattern, "/healthz");
	ck_assert_int_eq(match("HEAD", "/healthz", &rt, &allow, &r), KEFU_OK);
	ck_assert_int_eq(match("GET", "/healthz/", &rt, &allow, &r), KEFU_OK); /* trailing slash */
	ck_assert_int_eq(match("PUT", "/healthz", &rt, &allow, &r), KEFU_E_METHOD);
	ck_assert_ptr_nonnull(strstr(allow, "GET"));
	ck_assert_int_eq(match("GET", "/nope", &rt, &allow, &r), KEFU_E_NOT_FOUND);
	ck_assert_int_eq(match("GET", "relative", &rt, &allow, &r), KEFU_E_NOT_FOUND);
	ck_assert_int_eq(match("GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n", &rt, &allow, &r), KEFU_E_NOT_FOUND);
	ck_assert_int_eq(match("POST", "/api/v1/auth/login", &rt, &allow, &r), KEFU_OK);
	ck_assert_int_eq(rt->body, BODY_JSON);
}
END_TEST

/* The first route in the table with an {id} segment, to test parameters on. */
static const struct route *route_with_id(void)
{
	size_t n;
	const struct route *const *all = router_all(&n);
	for (size_t i = 0; i < n; i++) {
		const char *p = strstr(all[i]->pattern, "{id}");
		if (p != NULL && strcmp(p, "{id}") == 0)
			return all[i];
	}
	return NULL;
}

START_TEST(id_parameters)
{
	const struct route *with_id = route_with_id();
	ck_assert_ptr_nonnull(with_id); /* the admin collections have {id} routes */
	char path[256], bad[256], zero[256], huge[256];
	size_t prefix = strlen(with_id->pattern) - strlen("{id}");
	snprintf(path, sizeof path, "%.*s42", (int)prefix, with_id->pattern);
	snprintf(bad, sizeof bad, "%.*s4x2", (int)prefix, with_id->pattern);
	snprintf(zero, sizeof zero, "%.*s0", (int)prefix, with_id->pattern);
	snprintf(huge, sizeof huge, "%.*s99999999999999999999", (int)prefix, with_id->pattern);
	struct kefu_req r;
	const struct route *rt;
	const char *allow;
	ck_assert_int_eq(match(with_id->method, path, &rt, &allow, &r), KEFU_OK);
	ck_assert_int_eq(r.ids[0], 42);
	ck_assert_int_ne(match(with_id->method, bad, &rt, &allow, &r), KEFU_OK);
	ck_assert_int_ne(match(with_id->method, zero, &rt, &allow, &r), KEFU_OK);
	ck_assert_int_ne(match(with_id->method, huge, &rt, &allow, &r), KEFU_OK);
}
END_TEST

START_TEST(table_is_well_formed)
{
	size_t n;
	const struct route *const *all = router_all(&n);
	ck_assert_uint_gt(n, 0);
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(all[i]->pattern[0] == '/', "%s", all[i]->pattern);
		ck_assert_ptr_nonnull(all[i]->handler);
		ck_assert_uint_eq(router_index(all[i]), i);
		for (size_t j = 0; j < i; j++)
			ck_assert_msg(strcmp(all[i]->method, all[j]->method) ||
			                  strcmp(all[i]->pattern, all[j]->pattern),
			              "duplicate route %s %s", all[i]->method, all[i]->pattern);
	}
}
END_TEST

int main(void)
{
	arena = arena_new();
	router_init(route_tables);
	int status =
	    check_run(check_suite("router", "router", CHECK_TESTS(static_paths, id_parameters, table_is_well_formed)));
	arena_free(arena);
	return status;
}
