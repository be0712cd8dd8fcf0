/* arena: per-request bump allocator; everything lives until arena_reset(). */
#ifndef KEFU_ARENA_H
#define KEFU_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct kefu_arena kefu_arena;

/* A new arena; chunks grow on demand. Aborts on out of memory (Redis' third
 * tier: there is no useful recovery inside a request). Free with arena_free. */
kefu_arena *arena_new(void);
void arena_free(kefu_arena *a);

/* Drop everything allocated since arena_new, run the deferred cleanups (last
 * registered first) and keep the first chunk for the next request. */
void arena_reset(kefu_arena *a);

/* Memory owned by the arena: never free() it. Zeroed, aligned for any type. */
void *arena_alloc(kefu_arena *a, size_t n);
void *arena_calloc(kefu_arena *a, size_t nmemb, size_t size);
/* The array p of n elements of size bytes, *cap of them allotted, with room
 * for one more: as it is, or copied into twice the room (16 at first) in a
 * (xgrow's contract, for arrays that live as long as the arena). */
void *arena_grow(kefu_arena *a, void *p, size_t *cap, size_t n, size_t size);
char *arena_strdup(kefu_arena *a, const char *s);
char *arena_strndup(kefu_arena *a, const char *s, size_t n);
char *arena_printf(kefu_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(kefu_arena *a, const char *fmt, va_list ap);
/* parts[0..n) one after the other: for long texts (SQL) built on a hot path, where a printf's
 * two passes over a format cost more than copying. */
char *arena_cat(kefu_arena *a, const char *const *parts, size_t n);

/* Run fn(p) at the next reset: ties library-owned objects (json_object,
 * xmlDoc, malloc'd buffers) to the request's lifetime. */
void arena_defer(kefu_arena *a, void (*fn)(void *), void *p);

/* Bytes handed out since the last reset (for tests and metrics). */
size_t arena_used(const kefu_arena *a);

#endif
