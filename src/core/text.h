/* text: the small string helpers every layer needs (an aborting strdup, an error buffer printf, a hex digit's value).
 */
#ifndef KEFU_CORE_TEXT_H
#define KEFU_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* strdup that aborts when memory is gone: callers keep no failure path for it. NULL for NULL (an absent header...). */
char *xstrdup(const char *s);

/* A job that outlives its caller's strings keeps copies in one allocation with them: text_sizes is the room the n
 * strings s (NULL ones take none) need after it, text_copy_into copies s to *at and moves *at past it (NULL for
 * NULL). */
size_t text_sizes(const char *const *s, size_t n);
const char *text_copy_into(char **at, const char *s);

/* The array p of n elements of size bytes, *cap of them allotted, with room
 * for one more: as it is, or grown (to first, then doubling) by realloc,
 * which aborts when memory is gone. */
void *xgrow(void *p, size_t *cap, size_t n, size_t size, size_t first);

/* printf into a caller's error buffer of errlen bytes; a NULL or empty buffer is left alone. */
void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* fn(name, path, ctx) for each file of dir named name + ext (name not
 * empty, not starting with a dot: an editor's or the system's), in name
 * order, so what is loaded does not follow the file system's order. Stops
 * at fn's first nonzero answer and returns it; -1 with err set when dir
 * cannot be read. */
int text_dir_each(const char *dir, const char *ext, int (*fn)(const char *name, const char *path, void *ctx), void *ctx,
                  char *err, size_t errlen);

/* The value of one hex digit (either case), -1 when c is not one. */
int hex_digit(unsigned char c);
/* Whether s is a colour as the API takes one: "#rrggbb", hex digits of either case. */
bool text_is_color(const char *s);

#endif
