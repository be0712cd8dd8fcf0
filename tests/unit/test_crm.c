/* test_crm: identity parsing on the known-answer vectors, card template rendering, quick-button filters and visibility.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "crypto/identity.h"
#include "domain/crm.h"
#include "domain/identity.h"
#include "domain/quick-buttons.h"
#include "check-main.h"

static char *vector_field(const char *file, const char *field)
{
	char path[1024], line[8192];
	snprintf(path, sizeof path, "%s/tests/vectors/identity/%s", check_srcdir(), file);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char *out = NULL;
	while (!out && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		size_t n = strlen(field);
		if (strncmp(line, field, n) == 0 && line[n] == ' ')
			out = strdup(line + n + 1);
	}
	fclose(f);
	ck_assert_msg(out != NULL, "%s has no %s", file, field);
	return out;
}

static void check_vector(const char *file, const char *roles)
{
	kefu_arena *a = arena_new();
	char *key = vector_field(file, "key_b64"), *hex = vector_field(file, "hex_upper");
	json_object *id = NULL, *match = json_tokener_parse("[\"full_name\",\"phone\"]");
	ck_assert_int_eq(identity_decrypt_legacy(key, hex, &id), KEFU_OK);
	ck_assert(!identity_looks_like_jwt(hex));
	struct identity_result r = {0};
	ck_assert_int_eq(identity_check_fields(a, id, match, &r), KEFU_OK);
	ck_assert_str_eq(r.name, "张三");
	if (roles)
		ck_assert_str_eq(r.roles, roles);
	else
		ck_assert_ptr_null(r.roles);
	json_object_put(id);
	json_object_put(match);
	free(key);
	free(hex);
	arena_free(a);
}

START_TEST(identity_vectors)
{
	check_vector("openssl-aes128.txt", NULL);
	check_vector("openssl-aes192.txt", NULL);
	check_vector("openssl-aes256.txt", NULL);
	check_vector("java-aes128.txt", "[\"vip\"]");
}
END_TEST

START_TEST(identity_fields)
{
	kefu_arena *a = arena_new();
	json_object *match = json_tokener_parse("[\"full_name\",\"phone\"]");
	static const char *const bad[] = {"{\"full_name\":\"x\"}",
	                                  "{\"full_name\":\"x\",\"phone\":\"\"}",
	                                  "{\"full_name\":\"x\",\"phone\":null}",
	                                  "{\"full_name\":\"x\",\"phone\":[1]}",
	                                  "{\"full_name\":\"x\",\"phone\":\"1\",\"roles\":\"vip\"}",
	                                  "{\"full_name\":\"x\",\"phone\":\"1\",\"roles\":[1]}",
	                                  "{\"full_name\":\"x\",\"phone\":\"1\",\"roles\":[\"\"]}",
	                                  "[1]",
	                                  NULL};
	for (size_t i = 0; bad[i]; i++) {
		json_object *o = json_tokener_parse(bad[i]);
		struct identity_result r = {0};
		ck_assert_msg(identity_check_fields(a, o, match, &r) == KEFU_E_IDENTITY_INVALID, "%s", bad[i]);
		json_object_put(o);
	}
	json_object *ok =
	    json_tokener_parse("{\"name\":\"Li\",\"phone\":15912345678,\"full_name\":\"李\",\"roles\":[]}");
	struct identity_result r = {0};
	ck_assert_int_eq(identity_check_fields(a, ok, match, &r), KEFU_OK);
	ck_assert_str_eq(r.name, "李");
	ck_assert_str_eq(r.roles, "[]");
	json_object_put(ok);
	json_object_put(match);
	ck_assert_str_eq(identity_roles_from_text(a, " partner, vip ,,x "), "[\"partner\",\"vip\",\"x\"]");
	ck_assert_str_eq(identity_roles_from_text(a, ""), "[]");
	arena_free(a);
}
END_TEST

START_TEST(jwt_shape)
{
	ck_assert(identity_looks_like_jwt("a.b.c"));
	ck_assert(identity_looks_like_jwt("eyJ-_.x0.Zz"));
	ck_assert(!identity_looks_like_jwt("a.b"));
	ck_assert(!identity_looks_like_jwt("a..c"));
	ck_assert(!identity_looks_like_jwt("a.b.c."));
	ck_assert(!identity_looks_like_jwt("a.b.c.d"));
	ck_assert(!identity_looks_like_jwt("a=.b.c"));
	ck_assert(!identity_looks_like_jwt("ABCDEF0123"));
	ck_assert(!identity_looks_like_jwt(""));
}
END_TEST

START_TEST(template_render)
{
	kefu_arena *a = arena_new();
	json_object *f = json_tokener_parse("{\"name\":\"SO-1\",\"amount\":99.5,\"n\":3,\"html\":\"<b>&</b>\"}");
	const char *title;
	json_object *lines;
	quick_template_render(a,
	                      "订单 {{name}}\r\n金额 {{ amount }}\n{{n}}x{{missing}}|{{id}}|{{external_id}}\n{{html}}",
	                      42, "so-1", f, &title, &lines);
	ck_assert_str_eq(title, "订单 SO-1");
	ck_assert_str_eq(json_object_to_json_string_ext(lines, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
	                 "[\"金额 99.5\",\"3x|42|so-1\",\"<b>&</b>\"]");
	json_object_put(lines);
	quick_template_render(a, "{{name", 1, "e", f, &title, &lines);
	ck_assert_str_eq(title, "{{name");
	ck_assert_int_eq(json_object_array_length(lines), 0);
	json_object_put(lines);
	quick_template_render(a, "{{}}{{name}}{{name}}{{name}}{{name}}", 1, "e", f, &title, &lines);
	ck_assert_str_eq(title, "SO-1SO-1SO-1SO-1");
	json_object_put(lines);
	json_object_put(f);
	arena_free(a);
}
END_TEST

static bool match(const char *filter, int64_t id, const char *fields, const struct quick_vars *v)
{
	kefu_arena *a = arena_new();
	json_object *fo = json_tokener_parse(filter), *ff = json_tokener_parse(fields);
	const char *bad;
	ck_assert_msg(quick_filter_check(a, fo, &bad) == KEFU_OK, "%s", filter);
	bool m = quick_filter_match(a, fo, id, ff, v);
	json_object_put(fo);
	json_object_put(ff);
	arena_free(a);
	return m;
}

START_TEST(filters)
{
	struct quick_vars v = {.id = "9", .account_id = "7", .contact_id = NULL, .phone = "159"};
	const char *rec = "{\"account_id\":7,\"status\":\"paid\",\"name\":\"SO-12\"}";
	ck_assert(match("{\"all\":[]}", 1, rec, &v));
	ck_assert(match("{\"all\":[{\"field\":\"account_id\",\"op\":\"eq\",\"value\":\"$visitor.account_id\"}]}", 1,
	                rec, &v));
	ck_assert(match("{\"all\":[{\"field\":\"account_id\",\"op\":\"eq\",\"value\":7}]}", 1, rec, &v));
	ck_assert(!match("{\"all\":[{\"field\":\"account_id\",\"op\":\"eq\",\"value\":8}]}", 1, rec, &v));
	/* A visitor without a contact matches nothing "of its contact", whatever the op. */
	ck_assert(!match("{\"all\":[{\"field\":\"contact_id\",\"op\":\"eq\",\"value\":\"$visitor.contact_id\"}]}", 1,
	                 rec, &v));
	ck_assert(!match("{\"all\":[{\"field\":\"contact_id\",\"op\":\"ne\",\"value\":\"$visitor.contact_id\"}]}", 1,
	                 rec, &v));
	ck_assert(match("{\"all\":[{\"field\":\"status\",\"op\":\"in\",\"value\":[\"open\",\"paid\"]}]}", 1, rec, &v));
	ck_assert(match("{\"all\":[{\"field\":\"name\",\"op\":\"prefix\",\"value\":\"SO-\"},"
	                "{\"field\":\"name\",\"op\":\"contains\",\"value\":\"12\"}]}",
	                1, rec, &v));
	ck_assert(match("{\"all\":[{\"field\":\"amount\",\"op\":\"exists\",\"value\":false}]}", 1, rec, &v));
	ck_assert(!match("{\"all\":[{\"field\":\"amount\",\"op\":\"exists\",\"value\":true}]}", 1, rec, &v));
	ck_assert(match("{\"all\":[{\"field\":\"id\",\"op\":\"eq\",\"value\":5}]}", 5, rec, &v));
	ck_assert(match("{\"all\":[{\"field\":\"status\",\"op\":\"ne\",\"value\":\"open\"}]}", 5, rec, &v));

	kefu_arena *a = arena_new();
	static const char *const bad[] = {"[]",
	                                  "{\"any\":[]}",
	                                  "{\"all\":{}}",
	                                  "{\"all\":[1]}",
	                                  "{\"all\":[{\"field\":\"Bad\",\"op\":\"eq\",\"value\":1}]}",
	                                  "{\"all\":[{\"field\":\"a\",\"op\":\"like\",\"value\":1}]}",
	                                  "{\"all\":[{\"field\":\"a\",\"op\":\"eq\"}]}",
	                                  "{\"all\":[{\"field\":\"a\",\"op\":\"eq\",\"value\":{}}]}",
	                                  "{\"all\":[{\"field\":\"a\",\"op\":\"eq\",\"value\":\"$visitor.secret\"}]}",
	                                  "{\"all\":[{\"field\":\"a\",\"op\":\"in\",\"value\":[]}]}",
	                                  "{\"all\":[{\"field\":\"a\",\"op\":\"exists\",\"value\":1}]}",
	                                  NULL};
	for (size_t i = 0; bad[i]; i++) {
		json_object *o = json_tokener_parse(bad[i]);
		const char *field;
		ck_assert_msg(quick_filter_check(a, o, &field) == KEFU_E_INVALID_FIELD, "%s", bad[i]);
		json_object_put(o);
	}
	arena_free(a);
}
END_TEST

START_TEST(visibility)
{
	struct quick_button b = {.channel_ids = "[3]", .visible_roles = "[\"partner\",\"guest\"]"};
	ck_assert(quick_visible(&b, true, "[\"vip\",\"partner\"]", 3));
	ck_assert(!quick_visible(&b, true, "[\"partner\"]", 4));
	ck_assert(!quick_visible(&b, false, "[\"partner\"]", 3));
	ck_assert(!quick_visible(&b, true, "[\"guest\"]", 3)); /* guests never, even if listed */
	ck_assert(!quick_visible(&b, true, "[]", 3));
	b.channel_ids = "[]";
	ck_assert(quick_visible(&b, true, "[\"partner\"]", 99));
}
END_TEST

START_TEST(names_and_builtins)
{
	ck_assert(crm_name_valid("full_name"));
	ck_assert(!crm_name_valid("Full"));
	ck_assert(!crm_name_valid("1a"));
	ck_assert(!crm_name_valid(""));
	ck_assert(!crm_name_valid("a-b"));
	const struct crm_object_def *c = crm_builtin("ContactObj");
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(crm_field_find(c, "account_id")->type, CRM_REF);
	ck_assert_str_eq(crm_field_find(c, "account_id")->ref_object, "AccountObj");
	ck_assert_ptr_null(crm_builtin("contactobj"));
	ck_assert_int_eq(crm_type_parse("date"), CRM_DATE);
	ck_assert_int_eq(crm_type_parse("blob"), -1);
}
END_TEST

int main(void)
{
	return check_run(check_suite("crm", "crm",
	                             CHECK_TESTS(identity_vectors, identity_fields, jwt_shape, template_render, filters,
	                                         visibility, names_and_builtins)));
}
