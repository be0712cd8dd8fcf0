/* useragent: browser, operating system and device class from a User-Agent header, by a table of tokens. */
#ifndef KEFU_CORE_USERAGENT_H
#define KEFU_CORE_USERAGENT_H

#include <stdbool.h>

enum ua_device { UA_DESKTOP, UA_MOBILE, UA_TABLET };

/* What a User-Agent says. Every field is a NUL-terminated string of the
 * struct's own storage (no allocation), so a caller copies what it keeps. */
struct useragent {
	char browser[24]; /* "Chrome", "Edge", ..., a crawler's name, or "Other" */
	char version[16]; /* "major.minor" (or "major"); "" when the UA gives none */
	char os[16];      /* "Windows", "macOS", "iOS", "iPadOS", "Android", "Linux", "ChromeOS" or "Other" */
	enum ua_device device;
	bool bot; /* a crawler, a link previewer or a scripted client */
};

/* Parse ua (NULL or empty: everything "Other", a desktop, no version).
 * Never fails; an unknown UA gives "Other". */
void useragent_parse(const char *ua, struct useragent *out);

/* "desktop", "mobile" or "tablet": the device as the API reference (docs/openapi.json) spells it. */
const char *useragent_device_name(enum ua_device d);

#endif
