/* i18n: load po/<lang>.json catalogs, look up messages, pick a language. */
#include "view/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/text.h"

/* Catalogs are copied out of json-c into sorted arrays at load so that
 * lookups from many threads touch nothing but plain read-only memory. */
struct msg {
	char *key;
	char *val;
};

struct catalog {
	char *lang; /* canonical tag: the file name without ".json" */
	struct msg *msgs;
	size_t n;
};

struct kefu_i18n {
	struct catalog *cats;
	size_t n;
};

/* A catalog bigger than this is a mistake, not a catalog. */
#define CATALOG_MAX_BYTES (4u << 20)

static int msg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct msg *)a)->key, ((const struct msg *)b)->key);
}

static void catalog_clear(struct catalog *c)
{
	for (size_t k = 0; k < c->n; k++) {
		free(c->msgs[k].key);
		free(c->msgs[k].val);
	}
	free(c->msgs);
	free(c->lang);
}

void i18n_free(struct kefu_i18n *i)
{
	if (i == NULL)
		return;
	for (size_t k = 0; k < i->n; k++)
		catalog_clear(&i->cats[k]);
	free(i->cats);
	free(i);
}

/* A language tag as BCP 47 spells the simple ones: "en", "zh-CN", "pt-BR". */
static int lang_tag_ok(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && isalpha((unsigned char)s[k]))
		k++;
	if (k < 2 || k > 3)
		return 0;
	while (k < n) {
		if (s[k] != '-')
			return 0;
		size_t start = ++k;
		while (k < n && isalnum((unsigned char)s[k]))
			k++;
		if (k - start < 1 || k - start > 8)
			return 0;
	}
	return 1;
}

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);
	if (buf == NULL)
		abort();
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n > CATALOG_MAX_BYTES) {
			set_err(err, errlen, "%s: larger than %u bytes", path, CATALOG_MAX_BYTES);
			goto fail;
		}
		if (got == 0)
			break;
		if (n == cap) {
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (nb == NULL)
				abort();
			buf = nb;
		}
	}
	if (ferror(f)) {
		set_err(err, errlen, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

static int catalog_load(struct catalog *c, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *text = read_file(path, &len, err, errlen);
	if (text == NULL)
		return -1;
	int rc = -1;
	struct json_tokener *tok = json_tokener_new();
	if (tok == NULL)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	json_object *root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (root == NULL || jerr != json_tokener_success || (size_t)json_tokener_get_parse_end(tok) != len) {
		set_err(err, errlen, "%s: not valid JSON near byte %zu: %s", path, json_tokener_get_parse_end(tok),
		        jerr == json_tokener_success ? "trailing data" : json_tokener_error_desc(jerr));
		goto out;
	}
	if (!json_object_is_type(root, json_type_object)) {
		set_err(err, errlen, "%s: the catalog must be a JSON object", path);
		goto out;
	}
	size_t n = (size_t)json_object_object_length(root);
	c->msgs = calloc(n ? n : 1, sizeof *c->msgs);
	if (c->msgs == NULL)
		abort();
	json_object_object_foreach(root, key, val)
	{
		if (!json_object_is_type(val, json_type_string)) {
			set_err(err, errlen, "%s: \"%s\" is not a string", path, key);
			goto out;
		}
		if (key[0] == '\0' || strlen(json_object_get_string(val)) != (size_t)json_object_get_string_len(val)) {
			set_err(err, errlen, "%s: \"%s\": empty key or NUL in message", path, key);
			goto out;
		}
		c->msgs[c->n].key = xstrdup(key);
		c->msgs[c->n].val = xstrdup(json_object_get_string(val));
		c->n++;
	}
	qsort(c->msgs, c->n, sizeof *c->msgs, msg_cmp);
	rc = 0;
out:
	json_object_put(root);
	json_tokener_free(tok);
	free(text);
	return rc;
}

static const struct catalog *find_cat(const struct kefu_i18n *i, const char *lang)
{
	if (i == NULL || lang == NULL)
		return NULL;
	for (size_t k = 0; k < i->n; k++)
		if (strcasecmp(i->cats[k].lang, lang) == 0)
			return &i->cats[k];
	return NULL;
}

static const char *cat_get(const struct catalog *c, const char *key)
{
	if (c == NULL || key == NULL)
		return NULL;
	struct msg probe = {.key = (char *)key};
	const struct msg *m = bsearch(&probe, c->msgs, c->n, sizeof *c->msgs, msg_cmp);
	return m ? m->val : NULL;
}

/* Every key of a must be in b; names the first one that is not. */
static int keys_covered(const struct catalog *a, const struct catalog *b, const char *dir, char *err, size_t errlen)
{
	for (size_t k = 0; k < a->n; k++)
		if (cat_get(b, a->msgs[k].key) == NULL) {
			set_err(err, errlen, "%s/%s.json: key \"%s\" (in %s.json) is missing", dir, b->lang,
			        a->msgs[k].key, a->lang);
			return -1;
		}
	return 0;
}

struct load {
	struct kefu_i18n *i;
	size_t cap;
	char *err;
	size_t errlen;
};

static int load_catalog(const char *lang, const char *path, void *ctx)
{
	struct load *l = ctx;
	struct kefu_i18n *i = l->i;
	if (!lang_tag_ok(lang, strlen(lang))) {
		set_err(l->err, l->errlen, "%s: the file name is not a language tag", path);
		return -1;
	}
	i->cats = xgrow(i->cats, &l->cap, i->n, sizeof *i->cats, 4);
	struct catalog *c = &i->cats[i->n++];
	memset(c, 0, sizeof *c);
	c->lang = xstrdup(lang);
	return catalog_load(c, path, l->err, l->errlen) < 0 ? -1 : 0;
}

struct kefu_i18n *i18n_load_dir(const char *dir, char *err, size_t errlen)
{
	struct kefu_i18n *i = calloc(1, sizeof *i);
	if (i == NULL)
		abort();
	struct load l = {i, 0, err, errlen};
	if (text_dir_each(dir, ".json", load_catalog, &l, err, errlen) != 0)
		goto fail;
	const char *need[] = {I18N_DEFAULT_LANG, I18N_FALLBACK_LANG};
	for (size_t k = 0; k < sizeof need / sizeof *need; k++)
		if (find_cat(i, need[k]) == NULL) {
			set_err(err, errlen, "%s/%s.json: missing (a required catalog)", dir, need[k]);
			goto fail;
		}
	for (size_t k = 1; k < i->n; k++)
		if (keys_covered(&i->cats[0], &i->cats[k], dir, err, errlen) < 0 ||
		    keys_covered(&i->cats[k], &i->cats[0], dir, err, errlen) < 0)
			goto fail;
	return i;
fail:
	i18n_free(i);
	return NULL;
}

const char *i18n_get(const struct kefu_i18n *i, const char *lang, const char *key)
{
	const char *v = cat_get(find_cat(i, lang), key);
	if (v == NULL)
		v = cat_get(find_cat(i, I18N_FALLBACK_LANG), key);
	return v ? v : key;
}

bool i18n_has(const struct kefu_i18n *i, const char *key)
{
	return i != NULL && i->n > 0 && cat_get(&i->cats[0], key) != NULL;
}

/* The catalog tag matching tag[0..n): exact, else same primary subtag. */
static const char *match_tag(const struct kefu_i18n *i, const char *tag, size_t n)
{
	static const char *const builtin[] = {I18N_DEFAULT_LANG, I18N_FALLBACK_LANG};
	size_t count = i ? i->n : sizeof builtin / sizeof *builtin;
	if (n == 0)
		return NULL;
	for (size_t k = 0; k < count; k++) {
		const char *l = i ? i->cats[k].lang : builtin[k];
		if (strlen(l) == n && strncasecmp(l, tag, n) == 0)
			return l;
	}
	size_t p = 0;
	while (p < n && tag[p] != '-' && tag[p] != '_')
		p++;
	for (size_t k = 0; k < count; k++) {
		const char *l = i ? i->cats[k].lang : builtin[k];
		size_t lp = strcspn(l, "-");
		if (lp == p && strncasecmp(l, tag, p) == 0)
			return l;
	}
	return NULL;
}

static const char *default_lang(const struct kefu_i18n *i)
{
	const char *l = match_tag(i, I18N_DEFAULT_LANG, strlen(I18N_DEFAULT_LANG));
	return l ? l : I18N_DEFAULT_LANG;
}

/* q-value per RFC 9110: "0", "1", "0.xyz", "1.000"; -1 when malformed. */
static int parse_q(const char *s, size_t n)
{
	if (n == 0 || n > 5 || (s[0] != '0' && s[0] != '1'))
		return -1;
	int q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.')
		return -1;
	int scale = 100;
	for (size_t k = 2; k < n; k++, scale /= 10) {
		if (!isdigit((unsigned char)s[k]))
			return -1;
		q += (s[k] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

const char *i18n_pick(const struct kefu_i18n *i, const char *user_setting, const char *accept_language)
{
	if (user_setting != NULL) {
		const char *l = match_tag(i, user_setting, strlen(user_setting));
		if (l != NULL)
			return l;
	}
	const char *best = NULL;
	int best_q = 0;
	const char *p = accept_language;
	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *item = p;
		p = end ? end + 1 : NULL;

		while (len > 0 && is_ows(*item))
			item++, len--;
		size_t tl = 0;
		while (tl < len && item[tl] != ';' && !is_ows(item[tl]))
			tl++;
		int q = 1000;
		const char *param = memchr(item, ';', len);
		if (param != NULL) {
			const char *pe = item + len;
			param++;
			while (param < pe && is_ows(*param))
				param++;
			if (pe - param < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=')
				continue;
			param += 2;
			size_t ql = 0;
			while (param + ql < pe && !is_ows(param[ql]) && param[ql] != ';')
				ql++;
			q = parse_q(param, ql);
		}
		if (q <= best_q)
			continue; /* malformed, refused (q=0), or no better */
		const char *l = (tl == 1 && item[0] == '*') ? default_lang(i) : match_tag(i, item, tl);
		if (l != NULL) {
			best = l;
			best_q = q;
		}
	}
	return best ? best : default_lang(i);
}
