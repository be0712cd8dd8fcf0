/* conditions: checking and evaluating COND objects; pure, so unit tests need no database. */
#include "domain/conditions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ops[] = {"eq", "ne", "contains", "prefix", "in", "exists", "gte", "lte", NULL};

/* The object the field's prefix names, and the key after it; NULL prefix when unknown. */
static const char *split_field(const char *field, int *which)
{
	static const char *const prefixes[] = {"visitor.", "prechat.", "account.", "page."};
	for (int i = 0; i < 4; i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(field, prefixes[i], n) == 0) {
			*which = i;
			return field + n;
		}
	}
	return NULL;
}

static bool key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > 64)
		return false;
	for (; *k; k++) {
		char c = *k;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '.' || c == '-'))
			return false;
	}
	return true;
}

static bool scalar(json_object *v)
{
	return json_object_is_type(v, json_type_string) || json_object_is_type(v, json_type_int) ||
	       json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_boolean);
}

/* page.* only where there is a page (the proactive triggers' conditions). */
static kefu_err check_one(json_object *cond, bool page, const char **bad)
{
	*bad = "field";
	if (!json_object_is_type(cond, json_type_object))
		return KEFU_E_INVALID_FIELD;
	json_object *field, *op, *value = NULL;
	if (!json_object_object_get_ex(cond, "field", &field) || !json_object_is_type(field, json_type_string))
		return KEFU_E_INVALID_FIELD;
	int which;
	const char *key = split_field(json_object_get_string(field), &which);
	if (key == NULL || !key_ok(key) || (which == 3 && !page))
		return KEFU_E_INVALID_FIELD;
	*bad = "op";
	if (!json_object_object_get_ex(cond, "op", &op) || !json_object_is_type(op, json_type_string))
		return KEFU_E_INVALID_FIELD;
	const char *o = json_object_get_string(op);
	int k = -1;
	for (int i = 0; ops[i]; i++)
		if (strcmp(o, ops[i]) == 0)
			k = i;
	if (k < 0)
		return KEFU_E_INVALID_FIELD;
	*bad = "value";
	bool has = json_object_object_get_ex(cond, "value", &value) && value != NULL;
	switch (k) {
	case 0: /* eq */
	case 1: /* ne */
		if (!has || !scalar(value))
			return KEFU_E_INVALID_FIELD;
		break;
	case 2: /* contains */
	case 3: /* prefix */
		if (!has || !json_object_is_type(value, json_type_string) || json_object_get_string_len(value) == 0 ||
		    json_object_get_string_len(value) > 2000)
			return KEFU_E_INVALID_FIELD;
		break;
	case 4: /* in */
		if (!has || !json_object_is_type(value, json_type_array) || json_object_array_length(value) == 0 ||
		    json_object_array_length(value) > 200)
			return KEFU_E_INVALID_FIELD;
		for (size_t i = 0; i < json_object_array_length(value); i++)
			if (!scalar(json_object_array_get_idx(value, i)))
				return KEFU_E_INVALID_FIELD;
		break;
	case 5: /* exists */
		if (has && !json_object_is_type(value, json_type_boolean))
			return KEFU_E_INVALID_FIELD;
		break;
	default: /* gte, lte */
		if (!has ||
		    !(json_object_is_type(value, json_type_int) || json_object_is_type(value, json_type_double)))
			return KEFU_E_INVALID_FIELD;
	}
	*bad = NULL;
	return KEFU_OK;
}

kefu_err cond_check(json_object *cond, const char **bad)
{
	return check_one(cond, false, bad);
}

kefu_err cond_check_page(json_object *cond, const char **bad)
{
	return check_one(cond, true, bad);
}

static kefu_err check_match(kefu_arena *a, json_object *match, bool page, const char **bad)
{
	*bad = "";
	if (json_object_is_type(match, json_type_string))
		return strcmp(json_object_get_string(match), "all") == 0 ? KEFU_OK : KEFU_E_INVALID_FIELD;
	if (!json_object_is_type(match, json_type_object) || json_object_object_length(match) != 1)
		return KEFU_E_INVALID_FIELD;
	json_object *all;
	*bad = "all";
	if (!json_object_object_get_ex(match, "all", &all) || !json_object_is_type(all, json_type_array) ||
	    json_object_array_length(all) > COND_MAX)
		return KEFU_E_INVALID_FIELD;
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		const char *sub;
		if (check_one(json_object_array_get_idx(all, i), page, &sub) != KEFU_OK) {
			*bad = arena_printf(a, "all[%zu].%s", i, sub);
			return KEFU_E_INVALID_FIELD;
		}
	}
	*bad = NULL;
	return KEFU_OK;
}

kefu_err cond_check_match(kefu_arena *a, json_object *match, const char **bad)
{
	return check_match(a, match, false, bad);
}

kefu_err cond_check_match_page(kefu_arena *a, json_object *match, const char **bad)
{
	return check_match(a, match, true, bad);
}

/* A scalar as comparable text in buf (or borrowed); NULL for anything else. */
static const char *as_text(json_object *v, char *buf, size_t n)
{
	switch (json_object_get_type(v)) {
	case json_type_string: return json_object_get_string(v);
	case json_type_boolean: return json_object_get_boolean(v) ? "true" : "false";
	case json_type_int: snprintf(buf, n, "%lld", (long long)json_object_get_int64(v)); return buf;
	case json_type_double: snprintf(buf, n, "%.17g", json_object_get_double(v)); return buf;
	default: return NULL;
	}
}

bool cond_eval(json_object *cond, const struct cond_facts *f)
{
	json_object *field = NULL, *op = NULL, *value = NULL;
	json_object_object_get_ex(cond, "field", &field);
	json_object_object_get_ex(cond, "op", &op);
	json_object_object_get_ex(cond, "value", &value);
	int which;
	const char *key = split_field(json_object_get_string(field), &which);
	if (key == NULL)
		return false;
	json_object *src = which == 0 ? f->visitor : which == 1 ? f->prechat : which == 2 ? f->account : f->page;
	json_object *got = NULL;
	if (src != NULL)
		json_object_object_get_ex(src, key, &got);
	char b1[64], b2[64];
	const char *have = got != NULL ? as_text(got, b1, sizeof b1) : NULL;
	const char *o = json_object_get_string(op);
	if (strcmp(o, "exists") == 0) {
		bool want = value == NULL || json_object_get_boolean(value);
		bool present = have != NULL && have[0] != '\0';
		return present == want;
	}
	if (strcmp(o, "ne") == 0) {
		const char *v = as_text(value, b2, sizeof b2);
		return have == NULL || v == NULL || strcmp(have, v) != 0;
	}
	if (have == NULL)
		return false;
	if (strcmp(o, "eq") == 0) {
		const char *v = as_text(value, b2, sizeof b2);
		return v != NULL && strcmp(have, v) == 0;
	}
	if (strcmp(o, "gte") == 0 || strcmp(o, "lte") == 0) {
		/* numbers, or text that is one ("3" from a registration attribute) */
		char *end;
		double h = strtod(have, &end), v = json_object_get_double(value);
		if (end == have || *end != '\0')
			return false;
		return o[0] == 'g' && o[1] == 't' ? h >= v : h <= v;
	}
	if (strcmp(o, "contains") == 0)
		return strstr(have, json_object_get_string(value)) != NULL;
	if (strcmp(o, "prefix") == 0) {
		const char *v = json_object_get_string(value);
		return strncmp(have, v, strlen(v)) == 0;
	}
	if (strcmp(o, "in") == 0) {
		for (size_t i = 0; i < json_object_array_length(value); i++) {
			const char *v = as_text(json_object_array_get_idx(value, i), b2, sizeof b2);
			if (v != NULL && strcmp(have, v) == 0)
				return true;
		}
	}
	return false;
}

bool cond_match(json_object *match, const struct cond_facts *f)
{
	if (match == NULL || json_object_is_type(match, json_type_string))
		return true;
	json_object *all;
	if (!json_object_object_get_ex(match, "all", &all))
		return false;
	for (size_t i = 0; i < json_object_array_length(all); i++)
		if (!cond_eval(json_object_array_get_idx(all, i), f))
			return false;
	return true;
}
