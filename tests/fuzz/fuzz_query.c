/* fuzz_query: parse_urlencoded and url_decode on arbitrary bytes, with invariants checked. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kefu_arena *a;
	if (a == NULL)
		a = arena_new();
	struct kv_list l;
	kefu_err e = parse_urlencoded(a, (const char *)data, size, &l);
	if (e == KEFU_OK) {
		if (l.n > PARSE_MAX_PAIRS)
			abort();
		for (size_t i = 0; i < l.n; i++) {
			const struct kv *kv = &l.items[i];
			if (strlen(kv->value) != kv->value_len || !utf8_valid(kv->value, kv->value_len) ||
			    !utf8_valid(kv->name, strlen(kv->name)))
				abort();
			if (kv_get(&l, kv->name) == NULL)
				abort();
		}
	} else if (l.n != 0 || (e != KEFU_E_BAD_REQUEST && e != KEFU_E_INVALID_UTF8)) {
		abort();
	}
	char *out;
	size_t len;
	e = url_decode(a, (const char *)data, size, &out, &len);
	if (e == KEFU_OK && (len > size || strlen(out) != len || !utf8_valid(out, len)))
		abort();
	arena_reset(a);
	return 0;
}
