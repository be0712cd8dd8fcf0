/* json-doc: JSON texts through json-c's tokener, plus the typed field getters documents are validated with. */
#include "core/json-doc.h"

#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

static bool is_json_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* RFC 8259 number at s[*i]; advances past it. */
static bool lex_number(const unsigned char *s, size_t n, size_t *i)
{
	size_t p = *i;
	if (p < n && s[p] == '-')
		p++;
	if (p == n || !is_digit(s[p]))
		return false;
	if (s[p] == '0')
		p++;
	else
		while (p < n && is_digit(s[p]))
			p++;
	if (p < n && s[p] == '.') {
		p++;
		if (p == n || !is_digit(s[p]))
			return false;
		while (p < n && is_digit(s[p]))
			p++;
	}
	if (p < n && (s[p] == 'e' || s[p] == 'E')) {
		p++;
		if (p < n && (s[p] == '+' || s[p] == '-'))
			p++;
		if (p == n || !is_digit(s[p]))
			return false;
		while (p < n && is_digit(s[p]))
			p++;
	}
	*i = p;
	return true;
}

/*
 * The lexical rules json-c's strict mode still lets through: NaN and
 * Infinity, numbers like "1." or "01", raw control characters in strings.
 * Structure is left to json-c; this only looks at tokens.
 */
static bool lex_strict(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c == '"') {
			for (i++;; i++) {
				if (i >= n)
					return false;
				if (s[i] == '"')
					break;
				if (s[i] < 0x20)
					return false;
				if (s[i] == '\\')
					i++;
			}
			i++;
		} else if (c == '-' || is_digit(c)) {
			if (!lex_number(s, n, &i))
				return false;
		} else if (is_alpha(c)) {
			size_t j = i;
			while (j < n && is_alpha(s[j]))
				j++;
			size_t len = j - i;
			const char *w = (const char *)s + i;
			if (!((len == 4 && memcmp(w, "true", 4) == 0) || (len == 5 && memcmp(w, "false", 5) == 0) ||
			      (len == 4 && memcmp(w, "null", 4) == 0)))
				return false;
			i = j;
		} else {
			i++;
		}
	}
	return true;
}

static void put_json(void *p)
{
	json_object_put(p);
}

void json_thread_init(void)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (c != (locale_t)0)
		uselocale(c);
}

/* Each thread parses request bodies with one tokener, reset after each
 * parse, rather than allocating one (and its stack of JSON_BODY_MAX_DEPTH
 * levels) per request; freed when its thread ends. */
static pthread_key_t tokener_key;
static pthread_once_t tokener_once = PTHREAD_ONCE_INIT;

static void tokener_free(void *tok)
{
	json_tokener_free(tok);
}

static void tokener_key_make(void)
{
	if (pthread_key_create(&tokener_key, tokener_free) != 0)
		abort();
}

static struct json_tokener *thread_tokener(void)
{
	pthread_once(&tokener_once, tokener_key_make);
	struct json_tokener *tok = pthread_getspecific(tokener_key);
	if (tok != NULL)
		return tok;
	tok = json_tokener_new_ex(JSON_BODY_MAX_DEPTH);
	if (tok == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	if (pthread_setspecific(tokener_key, tok) != 0) {
		json_tokener_free(tok);
		return NULL;
	}
	return tok;
}

kefu_err json_body_parse(kefu_arena *a, const char *body, size_t n, json_object **out)
{
	*out = NULL;
	if (n == 0 || body == NULL)
		return KEFU_OK;
	if (!utf8_valid(body, n))
		return KEFU_E_INVALID_UTF8;
	if (n >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
		body += 3;
		n -= 3;
	}
	size_t start = 0;
	while (start < n && is_json_ws((unsigned char)body[start]))
		start++;
	if (start == n)
		return KEFU_OK;
	/* json-c takes an int length, and we pass one byte more (see below). */
	if (n >= (size_t)INT_MAX)
		return KEFU_E_TOO_LARGE;
	if (!lex_strict((const unsigned char *)body, n))
		return KEFU_E_INVALID_JSON;

	/* json-c cannot know a top-level number has ended until it sees a
	 * non-digit, so parse a NUL-terminated copy and include the NUL.
	 * utf8_valid refused NUL bytes, so the copy's NUL is the only one. */
	char *copy = arena_alloc(a, n + 1);
	memcpy(copy, body, n);
	copy[n] = '\0';

	struct json_tokener *tok = thread_tokener();
	if (tok == NULL)
		return KEFU_E_INTERNAL;
	json_object *obj = json_tokener_parse_ex(tok, copy, (int)n + 1);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_reset(tok);
	if (jerr != json_tokener_success || obj == NULL) {
		/* A bare "null" parses to NULL with success: that is a value,
		 * but no endpoint takes it, so treat it as not our JSON. */
		json_object_put(obj);
		return KEFU_E_INVALID_JSON;
	}
	arena_defer(a, put_json, obj);
	for (size_t i = end; i < n; i++)
		if (!is_json_ws((unsigned char)copy[i]))
			return KEFU_E_INVALID_JSON;
	*out = obj;
	return KEFU_OK;
}

kefu_err json_body_object(kefu_arena *a, const char *body, size_t n, json_object **out)
{
	json_object *obj;
	kefu_err e = json_body_parse(a, body, n, &obj);
	*out = NULL;
	if (e != KEFU_OK)
		return e;
	if (obj != NULL && !json_object_is_type(obj, json_type_object))
		return KEFU_E_INVALID_JSON;
	*out = obj;
	return KEFU_OK;
}

/* The field's value in *v (NULL when absent or JSON null). 1: present,
 * 0: absent, -1: obj is not an object. */
static int field(json_object *obj, const char *name, json_object **v)
{
	*v = NULL;
	if (obj == NULL)
		return 0;
	if (!json_object_is_type(obj, json_type_object))
		return -1;
	if (!json_object_object_get_ex(obj, name, v) || *v == NULL)
		return 0;
	return 1;
}

static kefu_err bad(const char *name, const char **bad_field)
{
	if (bad_field)
		*bad_field = name;
	return KEFU_E_INVALID_FIELD;
}

/* Common absent/present handling: returns -1 to continue with *v, else the
 * kefu_err to return. */
static int lookup(json_object *obj, const char *name, bool required, json_object **v, bool *present,
                  const char **bad_field)
{
	if (present)
		*present = false;
	int r = field(obj, name, v);
	if (r < 0)
		return KEFU_E_INVALID_JSON;
	if (r == 0)
		return required ? bad(name, bad_field) : KEFU_OK;
	return -1;
}

/* lookup, then require the JSON type t: -1 and *v when it is one, else the
 * kefu_err to return. */
static int lookup_typed(json_object *obj, const char *name, bool required, json_type t, json_object **v, bool *present,
                        const char **bad_field)
{
	int r = lookup(obj, name, required, v, present, bad_field);
	if (r < 0 && !json_object_is_type(*v, t))
		r = (int)bad(name, bad_field);
	return r;
}

/* A string value's text when it is UTF-8 of min_len..max_len code points. */
static const char *string_ok(json_object *v, size_t min_len, size_t max_len)
{
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);
	if (s == NULL || !utf8_valid(s, len))
		return NULL;
	size_t cps = utf8_length(s, len);
	if (cps < min_len || cps > max_len)
		return NULL;
	return s;
}

kefu_err jb_string(json_object *obj, const char *name, bool required, size_t min_len, size_t max_len, const char **out,
                   const char **bad_field)
{
	json_object *v;
	*out = NULL;
	int r = lookup(obj, name, required, &v, NULL, bad_field);
	if (r >= 0)
		return (kefu_err)r;
	const char *s = string_ok(v, min_len, max_len);
	if (s == NULL)
		return bad(name, bad_field);
	*out = s;
	return KEFU_OK;
}

/* An integer in min..max (INT64_MIN never, see the header). */
static bool int_ok(json_object *v, int64_t min, int64_t max, int64_t *out)
{
	if (!json_object_is_type(v, json_type_int))
		return false;
	int64_t x = json_object_get_int64(v);
	/* json-c keeps values above INT64_MAX as uint64 and saturates
	 * get_int64 to INT64_MAX; tell them apart through get_uint64. */
	if (x == INT64_MAX && json_object_get_uint64(v) != (uint64_t)INT64_MAX)
		return false;
	if (x == INT64_MIN || x < min || x > max)
		return false;
	*out = x;
	return true;
}

kefu_err jb_int64(json_object *obj, const char *name, bool required, int64_t min, int64_t max, int64_t *out,
                  bool *present, const char **bad_field)
{
	json_object *v;
	int r = lookup(obj, name, required, &v, present, bad_field);
	if (r >= 0)
		return (kefu_err)r;
	int64_t x;
	if (!int_ok(v, min, max, &x))
		return bad(name, bad_field);
	*out = x;
	if (present)
		*present = true;
	return KEFU_OK;
}

kefu_err jb_id(json_object *obj, const char *name, bool required, int64_t *out, bool *present, const char **bad_field)
{
	return jb_int64(obj, name, required, 1, INT64_MAX, out, present, bad_field);
}

kefu_err jb_bool(json_object *obj, const char *name, bool required, bool *out, bool *present, const char **bad_field)
{
	json_object *v;
	int r = lookup_typed(obj, name, required, json_type_boolean, &v, present, bad_field);
	if (r >= 0)
		return (kefu_err)r;
	*out = json_object_get_boolean(v) != 0;
	if (present)
		*present = true;
	return KEFU_OK;
}

kefu_err jb_enum(json_object *obj, const char *name, bool required, const char *const *allowed, const char **out,
                 const char **bad_field)
{
	json_object *v;
	*out = NULL;
	int r = lookup_typed(obj, name, required, json_type_string, &v, NULL, bad_field);
	if (r >= 0)
		return (kefu_err)r;
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);
	for (size_t i = 0; allowed && allowed[i]; i++) {
		if (strlen(allowed[i]) == len && memcmp(allowed[i], s, len) == 0) {
			*out = allowed[i];
			return KEFU_OK;
		}
	}
	return bad(name, bad_field);
}

kefu_err jb_object(json_object *obj, const char *name, bool required, json_object **out, const char **bad_field)
{
	json_object *v;
	*out = NULL;
	int r = lookup_typed(obj, name, required, json_type_object, &v, NULL, bad_field);
	if (r >= 0)
		return (kefu_err)r;
	*out = v;
	return KEFU_OK;
}

/* lookup, then require an array of at most max_items: -1 and *v, *len when
 * it is one, else what the getter returns (KEFU_OK for an absent optional). */
static int lookup_array(json_object *obj, const char *name, bool required, size_t max_items, json_object **v,
                        size_t *len, const char **bad_field)
{
	int r = lookup_typed(obj, name, required, json_type_array, v, NULL, bad_field);
	if (r >= 0)
		return r;
	*len = json_object_array_length(*v);
	if (*len > max_items)
		return bad(name, bad_field);
	return -1;
}

kefu_err jb_id_array(json_object *obj, const char *name, bool required, size_t max_items, kefu_arena *a, int64_t **ids,
                     size_t *n, const char **bad_field)
{
	json_object *v;
	size_t len;
	*ids = NULL;
	*n = 0;
	int r = lookup_array(obj, name, required, max_items, &v, &len, bad_field);
	if (r >= 0)
		return (kefu_err)r;
	/* One slot at least, so that a present [] is non-NULL. */
	int64_t *res = arena_calloc(a, len ? len : 1, sizeof *res);
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		if (e == NULL || !int_ok(e, 1, INT64_MAX, &res[i]))
			return bad(name, bad_field);
	}
	*ids = res;
	*n = len;
	return KEFU_OK;
}

kefu_err jb_string_array(json_object *obj, const char *name, bool required, size_t max_items, size_t min_len,
                         size_t max_len, kefu_arena *a, const char ***out, size_t *n, const char **bad_field)
{
	json_object *v;
	size_t len;
	*out = NULL;
	*n = 0;
	int r = lookup_array(obj, name, required, max_items, &v, &len, bad_field);
	if (r >= 0)
		return (kefu_err)r;
	const char **res = arena_calloc(a, len ? len : 1, sizeof *res);
	for (size_t i = 0; i < len; i++) {
		json_object *e = json_object_array_get_idx(v, i);
		if (e == NULL || (res[i] = string_ok(e, min_len, max_len)) == NULL)
			return bad(name, bad_field);
	}
	*out = res;
	*n = len;
	return KEFU_OK;
}

bool jb_is_null(json_object *obj, const char *name)
{
	json_object *v = NULL;
	return obj != NULL && json_object_is_type(obj, json_type_object) && json_object_object_get_ex(obj, name, &v) &&
	       v == NULL;
}

json_object *json_ids(const int64_t *ids, size_t n)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, json_object_new_int64(ids[i]));
	return arr;
}

json_object *json_field_labels(json_object *fields)
{
	json_object *o = json_object_new_object(), *name, *label;
	size_t n = json_object_is_type(fields, json_type_array) ? json_object_array_length(fields) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(fields, i);
		if (json_object_object_get_ex(f, "name", &name) && json_object_object_get_ex(f, "label", &label))
			json_object_object_add(o, json_object_get_string(name), json_object_get(label));
	}
	return o;
}
