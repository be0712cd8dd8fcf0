/* fuzz_multipart: parse_multipart; the input's first line is the Content-Type, the rest the body. */
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
	const uint8_t *nl = memchr(data, '\n', size);
	size_t ct_len = nl ? (size_t)(nl - data) : size;
	char *ct = arena_strndup(a, (const char *)data, ct_len);
	const unsigned char *body = nl ? nl + 1 : data + size;
	size_t n = size - (size_t)(body - data);
	/* An exact-size heap copy so that ASan sees any read past the body. */
	unsigned char *copy = malloc(n ? n : 1);
	if (n)
		memcpy(copy, body, n);
	struct mp_list l;
	kefu_err e = parse_multipart(a, ct, copy, n, &l);
	if (e == KEFU_OK) {
		if (l.n > MP_MAX_PARTS)
			abort();
		for (size_t i = 0; i < l.n; i++) {
			const struct mp_part *p = &l.items[i];
			if (p->name[0] == '\0' || !utf8_valid(p->name, strlen(p->name)))
				abort();
			if (p->len > n || (p->len > 0 && (p->data < copy || p->data + p->len > copy + n)))
				abort();
			if (p->filename != NULL) {
				size_t fl = strlen(p->filename);
				if (!utf8_valid(p->filename, fl) || strchr(p->filename, '/') ||
				    strchr(p->filename, '\\') || strcmp(p->filename, "..") == 0)
					abort();
				for (size_t k = 0; k < fl; k++)
					if ((unsigned char)p->filename[k] < 0x20 || p->filename[k] == 0x7f)
						abort();
			}
			if (mp_get(&l, p->name) == NULL)
				abort();
		}
	} else if (l.n != 0 || (e != KEFU_E_BAD_REQUEST && e != KEFU_E_INVALID_UTF8)) {
		abort();
	}
	free(copy);
	arena_reset(a);
	return 0;
}
