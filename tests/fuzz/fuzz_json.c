/* fuzz_json: json_body_parse and every typed getter on arbitrary bodies. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/json-doc.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(kefu_err e, const char *bad, const char *name)
{
	if (e == KEFU_E_INVALID_FIELD && (bad == NULL || strcmp(bad, name) != 0))
		abort();
	if (e != KEFU_OK && e != KEFU_E_INVALID_FIELD && e != KEFU_E_INVALID_JSON)
		abort();
}

/* Run every getter over the names a seed corpus is likely to use. */
static void getters(kefu_arena *a, json_object *o)
{
	static const char *const names[] = {"a", "name", "id", "ids", "tags", "state", "obj", ""};
	static const char *const states[] = {"open", "closed", NULL};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *nm = names[i], *bad = NULL, *s;
		int64_t v, *ids;
		bool b, present;
		size_t n;
		const char **strs;
		json_object *sub;
		kefu_err e = jb_string(o, nm, i & 1, 0, 64, &s, &bad);
		check_field(e, bad, nm);
		if (e == KEFU_OK && s != NULL && (!utf8_valid(s, strlen(s)) || utf8_length(s, strlen(s)) > 64))
			abort();
		bad = NULL;
		e = jb_int64(o, nm, i & 1, -1000, 1000, &v, &present, &bad);
		check_field(e, bad, nm);
		if (e == KEFU_OK && present && (v < -1000 || v > 1000))
			abort();
		bad = NULL;
		e = jb_id(o, nm, false, &v, &present, &bad);
		check_field(e, bad, nm);
		if (e == KEFU_OK && present && v < 1)
			abort();
		bad = NULL;
		check_field(jb_bool(o, nm, i & 1, &b, &present, &bad), bad, nm);
		bad = NULL;
		check_field(jb_enum(o, nm, false, states, &s, &bad), bad, nm);
		bad = NULL;
		e = jb_object(o, nm, false, &sub, &bad);
		check_field(e, bad, nm);
		if (e == KEFU_OK && sub != NULL) {
			bad = NULL;
			check_field(jb_string(sub, "a", false, 1, 8, &s, &bad), bad, "a");
		}
		bad = NULL;
		e = jb_id_array(o, nm, false, 16, a, &ids, &n, &bad);
		check_field(e, bad, nm);
		for (size_t k = 0; e == KEFU_OK && k < n; k++)
			if (ids[k] < 1)
				abort();
		bad = NULL;
		e = jb_string_array(o, nm, false, 16, 1, 32, a, &strs, &n, &bad);
		check_field(e, bad, nm);
		for (size_t k = 0; e == KEFU_OK && k < n; k++)
			if (!utf8_valid(strs[k], strlen(strs[k])))
				abort();
		(void)jb_is_null(o, nm);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kefu_arena *a;
	if (a == NULL)
		a = arena_new();
	char *copy = malloc(size ? size : 1);
	if (size)
		memcpy(copy, data, size);
	json_object *o;
	kefu_err e = json_body_parse(a, copy, size, &o);
	if (e == KEFU_OK)
		getters(a, o);
	else if (o != NULL || (e != KEFU_E_INVALID_JSON && e != KEFU_E_INVALID_UTF8 && e != KEFU_E_TOO_LARGE))
		abort();
	e = json_body_object(a, copy, size, &o);
	if (e == KEFU_OK && o != NULL && !json_object_is_type(o, json_type_object))
		abort();
	free(copy);
	arena_reset(a);
	return 0;
}
