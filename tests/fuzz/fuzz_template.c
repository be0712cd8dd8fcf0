/* fuzz_template: bytes as render data (JSON) or, when they start with '<', as a template. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "view/i18n.h"
#include "view/template.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fixed templates that read every kind of path a data document can fill. */
static const struct {
	const char *name, *text;
} fixed[] = {
    {"layout.xhtml", "<html data-attr-lang=\"$lang\"><head><title data-slot-target=\"title\">t</title></head>"
                     "<body><main data-slot-target=\"main\"/><footer data-include=\"part\"/></body></html>"},
    {"part.xhtml", "<div><span data-text=\"a\"/><i data-each=\"x in arr\" data-attr-title=\"x\" "
                   "data-text=\"$index\"/></div>"},
    {"page.xhtml", "<html data-layout=\"layout\"><title data-slot=\"title\" data-text=\"o.title\"/>"
                   "<div data-slot=\"main\" data-if=\"b\"><ul><li data-each=\"c in list\" data-unless=\"c.hide\">"
                   "<a data-attr-href=\"c.url\" data-attr-class=\"c.cls\" data-text=\"c.name\"/>"
                   "<b data-each=\"t in c.tags\" data-text=\"t\"/><em data-t=\"k.one\"/></li></ul>"
                   "<input data-attr-value=\"o.v\" data-attr-checked=\"b\" data-t-attr-placeholder=\"k.two\"/>"
                   "<img data-attr-src=\"u\" data-attr-alt=\"n\"/><p data-text=\"arr.0\"/></div></html>"},
};

static const char fuzz_data[] =
    "{\"a\":\"<b>&amp;\\\"\",\"n\":7,\"b\":true,\"u\":\"javascript:x\",\"arr\":[1,\"two\",null],"
    "\"o\":{\"title\":\"]]>\",\"v\":1.5},\"list\":[{\"name\":\"x\",\"url\":\"/a\",\"tags\":[\"t\"]}]}";

static char dir_fixed[64], dir_fuzz[64];
static struct kefu_i18n *i18n;
static kefu_templates *tpls;
static json_object *data_for_templates;

static void put(const char *dir, const char *name, const char *text, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(text, 1, len, f) != len)
		abort();
	fclose(f);
}

static void remove_dirs(void)
{
	static const char *const extra[] = {"en.json", "zh-CN.json", "fuzz.xhtml"};
	const char *dirs[] = {dir_fixed, dir_fuzz};
	for (size_t d = 0; d < 2; d++) {
		char path[256];
		for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++) {
			snprintf(path, sizeof path, "%s/%s", dirs[d], fixed[k].name);
			unlink(path);
		}
		for (size_t k = 0; k < sizeof extra / sizeof *extra; k++) {
			snprintf(path, sizeof path, "%s/%s", dirs[d], extra[k]);
			unlink(path);
		}
		rmdir(dirs[d]);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];
	snprintf(dir_fixed, sizeof dir_fixed, "/tmp/kefu-fuzz-XXXXXX");
	snprintf(dir_fuzz, sizeof dir_fuzz, "/tmp/kefu-fuzz-XXXXXX");
	if (mkdtemp(dir_fixed) == NULL || mkdtemp(dir_fuzz) == NULL)
		abort();
	atexit(remove_dirs);
	static const char en[] = "{\"k.one\":\"one\",\"k.two\":\"<two>\"}";
	static const char zh[] = "{\"k.one\":\"一\",\"k.two\":\"二\"}";
	put(dir_fixed, "en.json", en, strlen(en));
	put(dir_fixed, "zh-CN.json", zh, strlen(zh));
	if ((i18n = i18n_load_dir(dir_fixed, err, sizeof err)) == NULL) {
		fprintf(stderr, "fuzz_template: %s\n", err);
		abort();
	}
	for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++) {
		put(dir_fixed, fixed[k].name, fixed[k].text, strlen(fixed[k].text));
		/* the layout and the partial also back the templates the fuzzer writes */
		put(dir_fuzz, fixed[k].name, fixed[k].text, strlen(fixed[k].text));
	}
	if ((tpls = tpl_load_dir(dir_fixed, i18n, err, sizeof err)) == NULL) {
		fprintf(stderr, "fuzz_template: %s\n", err);
		abort();
	}
	data_for_templates = json_tokener_parse(fuzz_data);
	if (data_for_templates == NULL)
		abort();
	return 0;
}

static void render(const kefu_templates *t, const char *name, json_object *data, const char *lang)
{
	char err[256], *out = NULL;
	size_t len = 0;
	if (tpl_render(t, name, data, lang, &out, &len, err, sizeof err) == 0) {
		if (out == NULL || strlen(out) != len)
			abort();
		/* whatever the data, no value opens markup of its own */
		if (strstr(out, "<script") != NULL || strcasestr(out, "href=\"javascript:") != NULL ||
		    strcasestr(out, "src=\"javascript:") != NULL)
			abort();
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	if (size > 0 && data[0] == '<') {
		char err[256];
		put(dir_fuzz, "fuzz.xhtml", (const char *)data, size);
		kefu_templates *t = tpl_load_dir(dir_fuzz, i18n, err, sizeof err);
		if (t != NULL) {
			char *out = NULL;
			size_t len;
			if (tpl_render(t, "fuzz", data_for_templates, "en", &out, &len, err, sizeof err) == 0 &&
			    strlen(out) != len)
				abort();
			free(out);
			tpl_free(t);
		}
		return 0;
	}
	struct json_tokener *tok = json_tokener_new();
	json_object *doc = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (doc == NULL)
		return 0;
	render(tpls, "page", doc, "en");
	render(tpls, "page", doc, "zh-CN");
	render(tpls, "part", doc, NULL);
	json_object_put(doc);
	return 0;
}
