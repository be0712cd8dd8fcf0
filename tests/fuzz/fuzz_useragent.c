/* fuzz_useragent: the User-Agent parser on arbitrary bytes: no overrun, and every field one of its known forms. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/useragent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the header as FastCGI gives it: a C string */
	char *ua = malloc(size + 1);
	if (ua == NULL)
		return 0;
	memcpy(ua, data, size);
	ua[size] = '\0';
	struct useragent u;
	useragent_parse(ua, &u);
	check_field(u.browser, sizeof u.browser);
	check_field(u.version, sizeof u.version);
	check_field(u.os, sizeof u.os);
	/* the version is digits with at most one dot, never leading or trailing one */
	size_t n = strlen(u.version), dots = 0;
	for (size_t i = 0; i < n; i++) {
		if (u.version[i] == '.')
			dots++;
		else if (u.version[i] < '0' || u.version[i] > '9')
			abort();
	}
	if (dots > 1 || (n > 0 && (u.version[0] == '.' || u.version[n - 1] == '.')))
		abort();
	const char *d = useragent_device_name(u.device);
	if (strcmp(d, "desktop") != 0 && strcmp(d, "mobile") != 0 && strcmp(d, "tablet") != 0)
		abort();
	if (u.browser[0] == '\0' || u.os[0] == '\0')
		abort();
	free(ua);
	return 0;
}
