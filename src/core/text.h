/* text: the small string helpers every layer needs (an aborting strdup, an error buffer printf, a hex digit's value).
 */
#ifndef KEFU_CORE_TEXT_H
#define KEFU_CORE_TEXT_H

#include <stddef.h>

/* strdup that aborts when memory is gone: callers keep no failure path for it. */
char *xstrdup(const char *s);

/* printf into a caller's error buffer of errlen bytes; a NULL or empty buffer is left alone. */
void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The value of one hex digit (either case), -1 when c is not one. */
int hex_digit(unsigned char c);

#endif
