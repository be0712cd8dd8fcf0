/* test_embed: the widget's embed snippet, its exact shape and its escaping. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "view/embed.h"
#include "check-main.h"

START_TEST(snippet_is_one_async_script_tag)
{
	kefu_arena *a = arena_new();
	ck_assert_str_eq(embed_snippet(a, "http://127.0.0.1:8080//", "AbC_-123"),
	                 "<script async src=\"http://127.0.0.1:8080/static/widget/loader.js\" "
	                 "data-kefu-channel=\"AbC_-123\"></script>");
	ck_assert_str_eq(embed_snippet(a, NULL, "k"),
	                 "<script async src=\"/static/widget/loader.js\" data-kefu-channel=\"k\"></script>");
	arena_free(a);
}
END_TEST

/* A value cannot end its attribute or the tag: whatever the configuration
 * or the key holds stays inside its attribute value. */
START_TEST(values_stay_in_their_attributes)
{
	kefu_arena *a = arena_new();
	const char *s = embed_snippet(a, "https://x.example/\"><img src=x onerror=alert(1)>", "k\"><b>'");
	ck_assert_ptr_null(strstr(s, "<img"));
	ck_assert_ptr_null(strstr(s, "<b>"));
	ck_assert_ptr_eq(strstr(s, "\"><"), s + strlen(s) - 11); /* only the tag's own end */
	ck_assert_int_eq(strncmp(s, "<script async src=\"https://x.example/", 37), 0);
	ck_assert_str_eq(s + strlen(s) - 10, "></script>");
	arena_free(a);
}
END_TEST

int main(void)
{
	return check_run(check_suite("embed", "embed",
	                             CHECK_TESTS(snippet_is_one_async_script_tag, values_stay_in_their_attributes)));
}
