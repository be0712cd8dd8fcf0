/* arena: per-request bump allocator with deferred cleanups. */
#include "core/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 16384
#define ARENA_ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct deferred {
	struct deferred *next;
	void (*fn)(void *);
	void *p;
};

struct kefu_arena {
	struct chunk *head;     /* current chunk; older ones follow */
	struct deferred *defer; /* most recent first */
	size_t used;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (p == NULL) {
		fputs("kefu: out of memory\n", stderr);
		abort();
	}
	return p;
}

static struct chunk *chunk_new(size_t need)
{
	size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
	struct chunk *c = xmalloc(sizeof *c + size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

kefu_arena *arena_new(void)
{
	kefu_arena *a = xmalloc(sizeof *a);
	a->head = chunk_new(ARENA_CHUNK);
	a->defer = NULL;
	a->used = 0;
	return a;
}

static void run_deferred(kefu_arena *a)
{
	while (a->defer != NULL) {
		struct deferred *d = a->defer;
		a->defer = d->next;
		d->fn(d->p);
	}
}

void arena_reset(kefu_arena *a)
{
	run_deferred(a);
	/* Keep only the oldest chunk (always the standard size). */
	struct chunk *c = a->head;
	while (c->next != NULL) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	c->used = 0;
	a->head = c;
	a->used = 0;
}

void arena_free(kefu_arena *a)
{
	if (a == NULL)
		return;
	arena_reset(a);
	free(a->head);
	free(a);
}

void *arena_alloc(kefu_arena *a, size_t n)
{
	size_t rounded = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (rounded < n) {
		fputs("kefu: arena allocation overflow\n", stderr);
		abort();
	}
	struct chunk *c = a->head;
	if (c->size - c->used < rounded) {
		c = chunk_new(rounded);
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += rounded;
	a->used += rounded;
	memset(p, 0, n);
	return p;
}

void *arena_calloc(kefu_arena *a, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > (size_t)-1 / size) {
		fputs("kefu: arena allocation overflow\n", stderr);
		abort();
	}
	return arena_alloc(a, nmemb * size);
}

char *arena_strndup(kefu_arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *arena_grow(kefu_arena *a, void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	size_t grown = *cap ? 2 * *cap : 16;
	void *q = arena_calloc(a, grown, size);
	if (n > 0)
		memcpy(q, p, n * size);
	*cap = grown;
	return q;
}

char *arena_strdup(kefu_arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(kefu_arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_cat(kefu_arena *a, const char *const *parts, size_t n)
{
	size_t *len = arena_alloc(a, (n + 1) * sizeof *len), total = 0;
	for (size_t i = 0; i < n; i++)
		total += len[i] = strlen(parts[i]);
	char *s = arena_alloc(a, total + 1), *p = s;
	for (size_t i = 0; i < n; i++) {
		memcpy(p, parts[i], len[i]);
		p += len[i];
	}
	*p = '\0';
	return s;
}

char *arena_printf(kefu_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_defer(kefu_arena *a, void (*fn)(void *), void *p)
{
	struct deferred *d = arena_alloc(a, sizeof *d);
	d->fn = fn;
	d->p = p;
	d->next = a->defer;
	a->defer = d;
}

size_t arena_used(const kefu_arena *a)
{
	return a->used;
}
