/* test_i18n: catalog loading and parity, lookups with fallback, language choice. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "view/i18n.h"
#include "check-main.h"
#include "check-templates.h"

START_TEST(project_catalogs_load)
{
	struct kefu_i18n *i = check_catalogs("po");
	ck_assert_str_eq(i18n_get(i, "zh-CN", "common.save"), "保存");
	ck_assert_str_eq(i18n_get(i, "en", "common.save"), "Save");
	ck_assert_str_eq(i18n_get(i, "zh-cn", "nav.users"), "用户");
	ck_assert_str_eq(i18n_get(i, "en", "error.not_found"), "Not found.");
	static const char *const needed[] = {
	    "common.save",
	    "common.cancel",
	    "common.delete",
	    "common.edit",
	    "common.create",
	    "common.search",
	    "common.name",
	    "auth.login",
	    "auth.password",
	    "auth.logout",
	    "common.language",
	    "status.online",
	    "status.away",
	    "status.offline",
	    "nav.overview",
	    "nav.users",
	    "nav.departments",
	    "nav.groups",
	    "nav.channels",
	    "nav.rules",
	    "nav.identity",
	    "nav.crm",
	    "nav.quick_buttons",
	    "nav.conversation_groups",
	    "nav.sidebar",
	    "nav.api_keys",
	    "nav.audit",
	    "nav.workbench",
	    "login.title",
	    "login.submit",
	    "error.invalid_json",
	    "error.invalid_field",
	    "error.invalid_utf8",
	    "error.bad_request",
	    "error.identity_invalid",
	    "error.unauthenticated",
	    "error.forbidden",
	    "error.csrf",
	    "error.origin_not_allowed",
	    "error.identity_required",
	    "error.not_found",
	    "error.method_not_allowed",
	    "error.conflict",
	    "error.capacity",
	    "error.too_large",
	    "error.unsupported_type",
	    "error.rate_limited",
	    "error.unavailable",
	    "error.internal",
	};
	for (size_t k = 0; k < sizeof needed / sizeof *needed; k++)
		ck_assert_msg(i18n_has(i, needed[k]), "missing %s", needed[k]);
	i18n_free(i);
}
END_TEST

START_TEST(lookup_falls_back)
{
	struct kefu_i18n *i = check_catalogs("po");
	ck_assert_str_eq(i18n_get(i, "fr", "common.save"), "Save"); /* no catalog: en */
	ck_assert_str_eq(i18n_get(i, NULL, "common.save"), "Save");
	ck_assert_str_eq(i18n_get(i, "zh-CN", "no.such.key"), "no.such.key"); /* the key */
	ck_assert_str_eq(i18n_get(NULL, "en", "x.y"), "x.y");
	ck_assert(!i18n_has(i, "no.such.key"));
	ck_assert(!i18n_has(NULL, "common.save"));
	i18n_free(i);
}
END_TEST

static const struct {
	const char *user, *accept, *expect;
} picks[] = {
    {NULL, NULL, "zh-CN"},
    {"", "", "zh-CN"},
    {"en", "zh-CN", "en"}, /* the setting wins */
    {"zh-CN", "en", "zh-CN"},
    {"EN-us", NULL, "en"}, /* primary subtag */
    {"zh_CN", NULL, "zh-CN"},
    {"fr", "en", "en"}, /* unknown setting: header */
    {NULL, "en-US,en;q=0.9", "en"},
    {NULL, "fr-FR, en;q=0.5, zh-CN;q=0.8", "zh-CN"},
    {NULL, "fr-FR, en;q=0.9, zh-CN;q=0.8", "en"},
    {NULL, "zh-TW", "zh-CN"},
    {NULL, "en;q=0, fr", "zh-CN"},      /* q=0 refuses en */
    {NULL, "en;q=0.5, zh;q=0.5", "en"}, /* tie: the earlier */
    {NULL, "en;q=abc", "zh-CN"},        /* malformed q ignored */
    {NULL, "en;q=1.5", "zh-CN"},
    {NULL, "de, *;q=0.1", "zh-CN"},
    {NULL, "  en-GB ; q=0.7 ,de", "en"},
    {NULL, ",,;;q=,", "zh-CN"},
    {NULL, "en;level=1", "zh-CN"},
};

START_TEST(pick_language)
{
	struct kefu_i18n *i = check_catalogs("po");
	ck_assert_msg(strcmp(i18n_pick(i, picks[_i].user, picks[_i].accept), picks[_i].expect) == 0, "case %d: got %s",
	              _i, i18n_pick(i, picks[_i].user, picks[_i].accept));
	/* the same answers without catalogs, from the built-in pair */
	ck_assert_str_eq(i18n_pick(NULL, picks[_i].user, picks[_i].accept), picks[_i].expect);
	i18n_free(i);
}
END_TEST

/* ---- refusals ---- */

static const struct {
	struct check_file files[3];
	const char *expect;
} refusals[] = {
    {{{"en.json", "{\"a\":\"A\",\"b\":\"B\"}"}, {"zh-CN.json", "{\"a\":\"甲\"}"}}, "zh-CN.json: key \"b\""},
    {{{"en.json", "{\"a\":\"A\"}"}, {"zh-CN.json", "{\"a\":\"甲\",\"c\":\"丙\"}"}}, "en.json: key \"c\""},
    {{{"en.json", "{\"a\":\"A\"}"}}, "zh-CN.json: missing"},
    {{{"zh-CN.json", "{\"a\":\"A\"}"}}, "en.json: missing"},
    {{{"en.json", "{\"a\":1}"}, {"zh-CN.json", "{\"a\":\"甲\"}"}}, "\"a\" is not a string"},
    {{{"en.json", "{\"a\":\"A\",}"}, {"zh-CN.json", "{\"a\":\"甲\"}"}}, "en.json: not valid JSON"},
    {{{"en.json", "[\"a\"]"}, {"zh-CN.json", "{\"a\":\"甲\"}"}}, "must be a JSON object"},
    {{{"en.json", "{\"a\":\"\xff\"}"}, {"zh-CN.json", "{\"a\":\"甲\"}"}}, "not valid JSON"},
    {{{"en.json", "{\"a\":\"A\"} x"}, {"zh-CN.json", "{\"a\":\"甲\"}"}}, "not valid JSON"},
    {{{"en.json", "{\"a\":\"A\\u0000\"}"}, {"zh-CN.json", "{\"a\":\"甲\"}"}}, "NUL"},
    {{{"english.json", "{}"}}, "not a language tag"},
};

START_TEST(load_refuses)
{
	char *dir = check_write_dir(refusals[_i].files);
	char err[512] = "";
	struct kefu_i18n *i = i18n_load_dir(dir, err, sizeof err);
	ck_assert_msg(i == NULL, "case %d loaded", _i);
	ck_assert_msg(strstr(err, refusals[_i].expect) != NULL, "case %d: \"%s\" lacks \"%s\"", _i, err,
	              refusals[_i].expect);
	check_remove_dir(dir, refusals[_i].files);
}
END_TEST

START_TEST(load_missing_dir)
{
	char err[256] = "";
	ck_assert_ptr_null(i18n_load_dir("/nonexistent/po", err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/po"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = check_case(s, "i18n", CHECK_TESTS(project_catalogs_load, lookup_falls_back, load_missing_dir));
	tcase_add_loop_test(tc, pick_language, 0, (int)(sizeof picks / sizeof *picks));
	tcase_add_loop_test(tc, load_refuses, 0, (int)(sizeof refusals / sizeof *refusals));
	return check_run(s);
}
