/* test_template: golden renders, load-time refusals, hostile values, threads. */
#include <check.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "view/i18n.h"
#include "view/template.h"
#include "check-main.h"
#include "check-templates.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each tests/golden/<case>.json names a template, a language and data;
 * the render must equal <case>.html byte for byte. KEFU_GOLDEN_UPDATE=1
 * rewrites the expectations (review the diff before committing). */
START_TEST(golden_files)
{
	struct check_tpl golden = check_tpl_load("tests/golden/po", "tests/golden/templates");
	kefu_templates *t = golden.t;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/golden", check_srcdir());
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	char *names[64];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0 && n < 64)
			names[n++] = strndup(de->d_name, l - 5);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	ck_assert_uint_ge(n, 4);
	for (size_t k = 0; k < n; k++) {
		char path[4200], err[512] = "";
		snprintf(path, sizeof path, "%s/%s.json", dir, names[k]);
		json_object *c = json_object_from_file(path);
		ck_assert_msg(c != NULL, "%s: bad JSON", path);
		json_object *tn, *lang, *data;
		ck_assert(json_object_object_get_ex(c, "template", &tn));
		ck_assert(json_object_object_get_ex(c, "lang", &lang));
		ck_assert(json_object_object_get_ex(c, "data", &data));
		char *out;
		size_t outlen;
		int rc = tpl_render(t, json_object_get_string(tn), data, json_object_get_string(lang), &out, &outlen,
		                    err, sizeof err);
		ck_assert_msg(rc == 0, "%s: %s", names[k], err);
		ck_assert_uint_eq(strlen(out), outlen);
		snprintf(path, sizeof path, "%s/%s.html", dir, names[k]);
		if (getenv("KEFU_GOLDEN_UPDATE") != NULL) {
			FILE *f = fopen(path, "wb");
			ck_assert_ptr_nonnull(f);
			fwrite(out, 1, outlen, f);
			fclose(f);
		}
		size_t explen = 0;
		char *exp = slurp(path, &explen);
		ck_assert_msg(exp != NULL, "%s: missing", path);
		ck_assert_msg(explen == outlen && memcmp(exp, out, outlen) == 0, "%s differs from the render:\n%s",
		              path, out);
		free(exp);
		free(out);
		json_object_put(c);
		free(names[k]);
	}
	check_tpl_free(golden);
}
END_TEST

/* Hostile values never escape their context. */
START_TEST(hostile_values_are_escaped)
{
	struct check_tpl golden = check_tpl_load("tests/golden/po", "tests/golden/templates");
	kefu_templates *t = golden.t;
	char err[512] = "", *out;
	size_t len;
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/golden/conversations-en.json", check_srcdir());
	json_object *c = json_object_from_file(path), *data;
	ck_assert(json_object_object_get_ex(c, "data", &data));
	ck_assert_int_eq(tpl_render(t, "conversations", data, "en", &out, &len, err, sizeof err), 0);
	check_has_none(out, (const char *const[]){"<script>alert", "<img src=x", "\" onmouseover", "]]>",
	                                          "avascript:", "data:text", "\x01", NULL});
	check_has_all(out, (const char *const[]){"&lt;script&gt;alert('agent')&lt;/script&gt;",
	                                         "class=\"&quot; onmouseover=&quot;x\"",
	                                         "张三 \"VIP\" &amp; &lt;b&gt;co&lt;/b&gt;",
	                                         "<script>if (a < b && c > d) { start(); }</script>", NULL});
	free(out);
	json_object_put(c);
	check_tpl_free(golden);
}
END_TEST

/* ---- load-time refusals, each in its own directory of templates ---- */

static const struct {
	struct check_file files[4];
	const char *expect; /* substring of the error */
} refusals[] = {
    {{{"bad.xhtml", "<div>\n<p>\n</div>\n"}}, "bad.xhtml:3: "},
    {{{"x.xhtml", "<div>&nbsp;</div>"}}, "x.xhtml:1: "},
    {{{"x.xhtml", "<div>\n<p data-t-foo=\"nav.home\"/></div>"}}, "x.xhtml:2: unknown directive data-t-foo"},
    {{{"x.xhtml", "<div><p data-attr-=\"a\"/></div>"}}, "unknown directive data-attr-"},
    {{{"x.xhtml", "<div><p data-t=\"nav.home\" data-text=\"a\"/></div>"}}, "at most one"},
    {{{"x.xhtml", "<div><p data-t=\"nope.key\"/></div>"}}, "no message \"nope.key\""},
    {{{"x.xhtml", "<div><p data-t-attr-title=\"nope.key\"/></div>"}}, "no message \"nope.key\""},
    {{{"x.xhtml", "<div><p data-include=\"nope\"/></div>"}}, "no template \"nope\""},
    {{{"x.xhtml", "<div><p data-include=\"a b\"/></div>"}}, "x.xhtml:1: data-include: bad template name \"a b\""},
    {{{"x.xhtml", "<div><p data-layout=\"a/b\"/></div>"}}, "x.xhtml:1: data-layout: bad template name \"a/b\""},
    {{{"x.xhtml", "<div><p data-slot-target=\"a b\"/></div>"}}, "data-slot-target: bad slot name \"a b\""},
    {{{"a.xhtml", "<div><p data-include=\"b\"/></div>"}, {"b.xhtml", "<div><p data-include=\"a\"/></div>"}},
     "includes itself"},
    {{{"a.xhtml", "<div><p data-include=\"b\"/></div>"}, {"b.xhtml", "<div data-attr-id=\"x\"/>"}}, "no partial"},
    {{{"p.xhtml", "<html data-layout=\"nope\"><p data-slot=\"main\"/></html>"}}, "no layout \"nope\""},
    {{{"p.xhtml", "<html data-layout=\"l\"><p data-slot=\"side\"/></html>"},
      {"l.xhtml", "<html><body data-slot-target=\"main\"/></html>"}},
     "has no data-slot-target"},
    {{{"p.xhtml", "<html data-layout=\"l\"><p data-slot=\"main\"/><p/></html>"},
      {"l.xhtml", "<html><body data-slot-target=\"main\"/></html>"}},
     "must be a data-slot"},
    {{{"p.xhtml", "<html data-layout=\"l\"><p data-slot=\"main\"/>text</html>"},
      {"l.xhtml", "<html><body data-slot-target=\"main\"/></html>"}},
     "only slots"},
    {{{"p.xhtml", "<html data-layout=\"l\"><p data-slot=\"main\"><i data-slot-target=\"main\"/></p></html>"},
      {"l.xhtml", "<html><body data-slot-target=\"main\"/></html>"}},
     "cannot hold data-slot-target"},
    {{{"p.xhtml", "<html data-layout=\"l\"><p data-slot=\"main\"/></html>"},
      {"l.xhtml", "<html data-layout=\"p\"><p data-slot=\"main\"/></html>"}},
     "itself a page with a layout"},
    {{{"x.xhtml", "<div><p data-slot=\"main\"/></div>"}}, "data-slot belongs"},
    {{{"x.xhtml", "<div><p data-layout=\"x\"/></div>"}}, "data-layout belongs"},
    {{{"x.xhtml", "<div data-each=\"a in b\"/>"}}, "root element"},
    {{{"x.xhtml", "<div><p data-each=\"a of b\"/></div>"}}, "data-each"},
    {{{"x.xhtml", "<div><p data-each=\"$index in b\"/></div>"}}, "data-each"},
    {{{"x.xhtml", "<div><p data-text=\"a..b\"/></div>"}}, "bad path"},
    {{{"x.xhtml", "<div><p data-if=\"a b\"/></div>"}}, "bad path"},
    {{{"x.xhtml", "<div><p data-attr-onclick=\"a\"/></div>"}}, "may not be set from data"},
    {{{"x.xhtml", "<div><p data-attr-style=\"a\"/></div>"}}, "may not be set from data"},
    {{{"x.xhtml", "<div><p data-attr-title=\"a\" data-t-attr-title=\"nav.home\"/></div>"}}, "set twice"},
    {{{"x.xhtml", "<div><script data-attr-src=\"a\"></script></div>"}}, "script's source"},
    {{{"x.xhtml", "<div><script data-text=\"a\"></script></div>"}}, "cannot take"},
    {{{"x.xhtml", "<div><script><![CDATA[x = '</SCRIPT>';]]></script></div>"}}, "contains </script"},
    {{{"x.xhtml", "<div><br>x</br></div>"}}, "void element"},
    {{{"x.xhtml", "<!DOCTYPE div [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<div>&x;</div>"}}, "DOCTYPE"},
    {{{"x.xhtml", "<!DOCTYPE html SYSTEM \"http://example.com/x.dtd\">\n<div/>"}}, "DOCTYPE"},
    {{{"bad name.xhtml", "<div/>"}}, "template name"},
};

START_TEST(load_refuses)
{
	struct kefu_i18n *i = check_catalogs("tests/golden/po");
	char *dir = check_write_dir(refusals[_i].files);
	char err[512] = "";
	kefu_templates *t = tpl_load_dir(dir, i, err, sizeof err);
	ck_assert_msg(t == NULL, "case %d loaded", _i);
	ck_assert_msg(strstr(err, refusals[_i].expect) != NULL, "case %d: \"%s\" lacks \"%s\"", _i, err,
	              refusals[_i].expect);
	check_remove_dir(dir, refusals[_i].files);
	i18n_free(i);
}
END_TEST

START_TEST(load_missing_dir)
{
	char err[256] = "";
	ck_assert_ptr_null(tpl_load_dir("/nonexistent/templates", NULL, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/templates"));
}
END_TEST

/* The project's own templates and catalogs must load: a worker would refuse them. */
START_TEST(project_templates_load)
{
	check_tpl_free(check_tree());
}
END_TEST

/* ---- render-time behaviour on small templates ---- */

static const struct check_file small[] = {
    {"a.xhtml", "<a data-attr-href=\"u\">x</a>"},
    {"t.xhtml", "<p data-text=\"v\"/>"},
    {"e.xhtml", "<ul><li data-each=\"x in v\" data-text=\"x\"/></ul>"},
    {"c.xhtml", "<p><b data-if=\"v\">yes</b><i data-unless=\"v\">no</i></p>"},
    {"n.xhtml", "<ul><li data-each=\"r in v\"><b data-each=\"x in r\" data-text=\"$index\"/>"
                "<i data-text=\"r.0\"/></li></ul>"},
    {"b.xhtml", "<input data-attr-checked=\"v\" data-attr-aria-pressed=\"v\" data-attr-aria-invalid=\"v\"/>"},
    {NULL, NULL},
};

static char *render_small(kefu_templates *t, const char *name, const char *json)
{
	json_object *data = json_tokener_parse(json);
	ck_assert_msg(data != NULL, "bad JSON %s", json);
	char err[256] = "", *out = NULL;
	size_t len;
	int rc = tpl_render(t, name, data, "en", &out, &len, err, sizeof err);
	json_object_put(data);
	return rc == 0 ? out : NULL;
}

static const struct {
	const char *json;
	const char *out;
} urls[] = {
    {"{\"u\":\"javascript:alert(1)\"}", "<a>x</a>"},
    {"{\"u\":\"JAVASCRIPT:alert(1)\"}", "<a>x</a>"},
    {"{\"u\":\"  javascript:alert(1)\"}", "<a>x</a>"},
    {"{\"u\":\"java\\nscript:alert(1)\"}", "<a>x</a>"},
    {"{\"u\":\"\\u0001javascript:alert(1)\"}", "<a>x</a>"},
    {"{\"u\":\"data:text/html,<script>\"}", "<a>x</a>"},
    {"{\"u\":\"vbscript:x\"}", "<a>x</a>"},
    {"{\"u\":\"tel:123\"}", "<a>x</a>"},
    {"{\"u\":\"verylongscheme:x\"}", "<a>x</a>"},
    {"{\"u\":null}", "<a>x</a>"},
    {"{\"u\":false}", "<a>x</a>"},
    {"{\"u\":\"http://a.example/\"}", "<a href=\"http://a.example/\">x</a>"},
    {"{\"u\":\"HTTPS://a.example/?q=1&r=<2>\"}", "<a href=\"HTTPS://a.example/?q=1&amp;r=&lt;2&gt;\">x</a>"},
    {"{\"u\":\"mailto:a@b.example\"}", "<a href=\"mailto:a@b.example\">x</a>"},
    {"{\"u\":\"/rel/a:b\"}", "<a href=\"/rel/a:b\">x</a>"},
    {"{\"u\":\"rel/a:b\"}", "<a href=\"rel/a:b\">x</a>"},
    {"{\"u\":\"?q=a:b\"}", "<a href=\"?q=a:b\">x</a>"},
    {"{\"u\":\"#top\"}", "<a href=\"#top\">x</a>"},
    {"{\"u\":\"//cdn.example/x\"}", "<a href=\"//cdn.example/x\">x</a>"},
    {"{\"u\":\"\"}", "<a href=\"\">x</a>"},
    {"{\"u\":42}", "<a href=\"42\">x</a>"},
};

START_TEST(url_attributes_filtered)
{
	char *dir = check_write_dir(small), err[256] = "";
	kefu_templates *t = tpl_load_dir(dir, NULL, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	char *out = render_small(t, "a", urls[_i].json);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, urls[_i].out);
	free(out);
	tpl_free(t);
	check_remove_dir(dir, small);
}
END_TEST

START_TEST(values_and_truthiness)
{
	char *dir = check_write_dir(small), err[256] = "";
	kefu_templates *t = tpl_load_dir(dir, NULL, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	static const struct {
		const char *name, *json, *out;
	} cases[] = {
	    {"t", "{\"v\":\"a\\u0000b\"}",
	     "<p>a\xef\xbf\xbd"
	     "b</p>"},
	    {"t", "{\"v\":9223372036854775807}", "<p>9223372036854775807</p>"},
	    {"t", "{\"v\":-5}", "<p>-5</p>"},
	    {"t", "{\"v\":0.1}", "<p>0.1</p>"},
	    {"t", "{\"v\":true}", "<p>true</p>"},
	    {"t", "{}", "<p></p>"},
	    {"e", "{\"v\":[1,\"two\",null]}", "<ul><li>1</li><li>two</li><li></li></ul>"},
	    {"e", "{\"v\":null}", "<ul></ul>"},
	    {"c", "{\"v\":0}", "<p><i>no</i></p>"},
	    {"c", "{\"v\":\"\"}", "<p><i>no</i></p>"},
	    {"c", "{\"v\":[]}", "<p><i>no</i></p>"},
	    {"c", "{\"v\":false}", "<p><i>no</i></p>"},
	    {"c", "{\"v\":{}}", "<p><b>yes</b></p>"},
	    {"c", "{\"v\":\"0\"}", "<p><b>yes</b></p>"},
	    {"c", "{\"v\":[0]}", "<p><b>yes</b></p>"},
	    /* HTML booleans repeat their name; ARIA states take the token true,
	     * and aria-invalid bound to an error message is true too. */
	    {"b", "{\"v\":true}", "<input checked=\"checked\" aria-pressed=\"true\" aria-invalid=\"true\" />"},
	    {"b", "{\"v\":false}", "<input />"},
	    {"b", "{\"v\":\"Too long\"}",
	     "<input checked=\"Too long\" aria-pressed=\"Too long\" aria-invalid=\"true\" />"},
	    {"n", "{\"v\":[[\"a\",\"b\"],[\"c\"]]}",
	     "<ul><li><b>0</b><b>1</b><i>a</i></li><li><b>0</b><i>c</i></li></ul>"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
		char *out = render_small(t, cases[k].name, cases[k].json);
		ck_assert_msg(out != NULL, "case %zu failed", k);
		ck_assert_str_eq(out, cases[k].out);
		free(out);
	}
	/* wrong shapes are errors, not output */
	ck_assert_ptr_null(render_small(t, "t", "{\"v\":{\"a\":1}}"));
	ck_assert_ptr_null(render_small(t, "t", "{\"v\":[1]}"));
	ck_assert_ptr_null(render_small(t, "e", "{\"v\":\"abc\"}"));
	ck_assert_ptr_null(render_small(t, "t", "[1,2]"));
	ck_assert_ptr_null(render_small(t, "nope", "{}"));
	char *out = (char *)1;
	ck_assert_int_eq(tpl_render(t, "nope", NULL, NULL, &out, NULL, err, sizeof err), -1);
	ck_assert_ptr_null(out);
	ck_assert_ptr_nonnull(strstr(err, "nope"));
	ck_assert_int_eq(tpl_render(t, "t", NULL, NULL, &out, NULL, err, sizeof err), 0);
	ck_assert_str_eq(out, "<p></p>");
	free(out);
	tpl_free(t);
	check_remove_dir(dir, small);
}
END_TEST

/* ---- many threads rendering the same templates at once ---- */

struct job {
	kefu_templates *t;
	json_object *data;
	const char *expect;
	int bad;
};

static void *render_many(void *arg)
{
	struct job *j = arg;
	for (int k = 0; k < 200; k++) {
		char err[256], *out;
		size_t len;
		if (tpl_render(j->t, "conversations", j->data, k % 2 ? "en" : "en-US", &out, &len, err, sizeof err) !=
		        0 ||
		    strcmp(out, j->expect) != 0)
			j->bad++;
		free(out);
	}
	return NULL;
}

START_TEST(threads_render_concurrently)
{
	struct check_tpl golden = check_tpl_load("tests/golden/po", "tests/golden/templates");
	kefu_templates *t = golden.t;
	char path[4096], err[256];
	snprintf(path, sizeof path, "%s/tests/golden/conversations-en.json", check_srcdir());
	json_object *c = json_object_from_file(path), *data;
	ck_assert(json_object_object_get_ex(c, "data", &data));
	char *expect;
	size_t len;
	ck_assert_int_eq(tpl_render(t, "conversations", data, "en", &expect, &len, err, sizeof err), 0);
	/* each thread its own copy: json-c objects are per request, the templates shared */
	enum { N = 6 };
	pthread_t th[N];
	struct job jobs[N];
	for (int k = 0; k < N; k++) {
		json_object *copy = NULL;
		ck_assert_int_eq(json_object_deep_copy(data, &copy, NULL), 0);
		jobs[k] = (struct job){.t = t, .data = copy, .expect = expect};
		ck_assert_int_eq(pthread_create(&th[k], NULL, render_many, &jobs[k]), 0);
	}
	for (int k = 0; k < N; k++) {
		pthread_join(th[k], NULL);
		ck_assert_int_eq(jobs[k].bad, 0);
		json_object_put(jobs[k].data);
	}
	free(expect);
	json_object_put(c);
	check_tpl_free(golden);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("template");
	TCase *tc = check_case(s, "template",
	                       CHECK_TESTS(golden_files, hostile_values_are_escaped, load_missing_dir,
	                                   project_templates_load, values_and_truthiness, threads_render_concurrently));
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, load_refuses, 0, (int)(sizeof refusals / sizeof *refusals));
	tcase_add_loop_test(tc, url_attributes_filtered, 0, (int)(sizeof urls / sizeof *urls));
	return check_run(s);
}
