/* fuzz_cookie: parse_cookies, media_type and media_param on arbitrary header text. */
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
	/* Headers arrive as C strings from FastCGI: cut at the first NUL. */
	char *h = arena_strndup(a, (const char *)data, size);
	struct kv_list l;
	if (parse_cookies(a, h, &l) != KEFU_OK || l.n > PARSE_MAX_COOKIES)
		abort();
	for (size_t i = 0; i < l.n; i++) {
		const struct kv *kv = &l.items[i];
		if (kv->name[0] == '\0' || strlen(kv->value) != kv->value_len || !utf8_valid(kv->value, kv->value_len))
			abort();
		if (kv_get(&l, kv->name) == NULL)
			abort();
	}
	char *mt = media_type(a, h);
	if (mt != NULL && strchr(mt, '/') == NULL)
		abort();
	(void)media_param(a, h, "charset");
	(void)media_param(a, h, "boundary");
	arena_reset(a);
	return 0;
}
