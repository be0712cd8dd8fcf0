/* utf8: strict UTF-8 validation (no overlongs, no surrogates, no NUL). */
#ifndef KEFU_UTF8_H
#define KEFU_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the well-formed sequence (RFC 3629 table 3-7) at s[0..n), n > 0:
 * 1 for ASCII, 2 to 4, or 0 when there is none there. */
size_t utf8_seq(const unsigned char *s, size_t n);
/* True when s[0..n) is well-formed UTF-8 without NUL bytes. */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s, size_t n);

#endif
