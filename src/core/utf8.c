/* utf8: validation per RFC 3629 table 3-7; NUL is refused because C strings end there. */
#include "core/utf8.h"

size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xBF)
			return 0;
	return len;
}

bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0, len; i < n; i += len)
		if (s[i] == 0 || (len = utf8_seq(s + i, n - i)) == 0)
			return false;
	return true;
}

size_t utf8_length(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			count++;
	return count;
}
