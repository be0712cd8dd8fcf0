/* sniff: magic-number checks for the four image formats shown inline. */
#include "domain/sniff.h"

#include <string.h>

static bool starts(const unsigned char *d, size_t n, size_t at, const char *magic, size_t m)
{
	return n >= at + m && memcmp(d + at, magic, m) == 0;
}

const char *sniff_type(const unsigned char *d, size_t n)
{
	if (starts(d, n, 0, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (starts(d, n, 0, "\xff\xd8\xff", 3))
		return "image/jpeg";
	if (starts(d, n, 0, "GIF87a", 6) || starts(d, n, 0, "GIF89a", 6))
		return "image/gif";
	if (starts(d, n, 0, "RIFF", 4) && starts(d, n, 8, "WEBPVP8", 7))
		return "image/webp";
	return "application/octet-stream";
}

bool sniff_is_image(const char *mime)
{
	return mime != NULL && (!strcmp(mime, "image/png") || !strcmp(mime, "image/jpeg") ||
	                        !strcmp(mime, "image/gif") || !strcmp(mime, "image/webp"));
}
