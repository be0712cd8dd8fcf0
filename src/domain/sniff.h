/* sniff: an upload's type from its first bytes, never from what the client claimed. */
#ifndef KEFU_DOMAIN_SNIFF_H
#define KEFU_DOMAIN_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

/* The media type of data[0..n): "image/png", "image/jpeg", "image/gif" or
 * "image/webp" when the bytes carry that format's signature, else
 * "application/octet-stream". Only these four are ever shown inline: they
 * cannot carry script (unlike SVG or HTML), so everything else is a download.
 * Static storage. */
const char *sniff_type(const unsigned char *data, size_t n);

/* True for the four inline image types sniff_type can answer. */
bool sniff_is_image(const char *mime);

#endif
