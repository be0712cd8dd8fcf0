/* mail: addresses, RFC 2047 headers and plain-text rendering for outbound mail (see mail.h). */
#include "view/mail.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "crypto/hash.h"

static bool label_char(int c)
{
	return isalnum(c) || c == '-';
}

bool mail_addr_ok(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = strlen(s);
	const char *at = strrchr(s, '@');
	if (n > 254 || at == NULL || at == s || at - s > 64 || at[1] == '\0')
		return false;
	for (const char *p = s; p < at; p++)
		if (*p <= ' ' || *p >= 127 || strchr("\"(),:;<>@[\\]", *p))
			return false;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL)
		return false;
	const char *d = at + 1;
	bool dot = false;
	size_t label = 0;
	for (const char *p = d; *p; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			dot = true;
			label = 0;
		} else if (label_char((unsigned char)*p) && !(label == 0 && *p == '-')) {
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return dot && label > 0 && d[strlen(d) - 1] != '-';
}

int mail_from_parse(kefu_arena *a, const char *from, const char **name, const char **addr)
{
	*name = NULL;
	const char *lt = strchr(from, '<');
	if (lt == NULL) {
		while (*from == ' ')
			from++;
		size_t n = strlen(from);
		while (n > 0 && from[n - 1] == ' ')
			n--;
		*addr = arena_strndup(a, from, n);
		return mail_addr_ok(*addr) ? 0 : -1;
	}
	const char *gt = strchr(lt, '>');
	if (gt == NULL || gt[1] != '\0')
		return -1;
	*addr = arena_strndup(a, lt + 1, (size_t)(gt - lt - 1));
	size_t n = (size_t)(lt - from);
	while (n > 0 && from[n - 1] == ' ')
		n--;
	const char *s = from;
	while (n > 0 && *s == ' ')
		s++, n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s++, n -= 2;
	if (n > 0)
		*name = arena_strndup(a, s, n);
	return mail_addr_ok(*addr) ? 0 : -1;
}

/* s with every control character (CR and LF included) as a space. */
static char *clean(kefu_arena *a, const char *s)
{
	char *c = arena_strdup(a, s);
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 127)
			*p = ' ';
	return c;
}

static bool printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s > '~')
			return false;
	return true;
}

/* Length of the UTF-8 sequence starting at s (1 for a stray byte). */
static size_t seq_len(const unsigned char *s)
{
	size_t l = *s < 0x80 ? 1 : *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : *s >= 0xc0 ? 2 : 1;
	for (size_t k = 1; k < l; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 1;
	return l;
}

/* Append the encoded-words of s to b, one per folded line: "=?UTF-8?B?"
 * and "?=" are 12 characters around the base64, so at most 39 bytes of
 * text (52 base64 characters) keep a word at 64 and a line, even after
 * "Subject: ", within the 76 RFC 2047 asks for. */
static void encoded_words(kefu_arena *a, char **b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	bool first = true;
	while (*p) {
		size_t take = 0;
		while (p[take]) {
			size_t l = seq_len(p + take);
			if (take + l > 39)
				break;
			take += l;
		}
		char *b64 = crypto_b64_encode(p, take, CRYPTO_B64_STD);
		if (b64 == NULL)
			abort();
		*b = arena_printf(a, "%s%s=?UTF-8?B?%s?=", *b, first ? "" : "\r\n ", b64);
		free(b64);
		first = false;
		p += take;
	}
}

const char *mail_header(kefu_arena *a, const char *name, const char *value)
{
	char *v = clean(a, value ? value : "");
	if (printable_ascii(v) && strlen(name) + 2 + strlen(v) <= 998)
		return arena_printf(a, "%s: %s", name, v);
	char *out = arena_printf(a, "%s: ", name);
	encoded_words(a, &out, v);
	return out;
}

/* A display name as a phrase: atoms and spaces as they are, other printable
 * ASCII as a quoted string, anything else encoded. */
static const char *phrase(kefu_arena *a, const char *name)
{
	char *n = clean(a, name);
	if (printable_ascii(n)) {
		bool atoms = true;
		for (const char *p = n; *p && atoms; p++)
			atoms = isalnum((unsigned char)*p) || *p == ' ' || strchr("!#$%&'*+-/=?^_`{|}~", *p);
		if (atoms)
			return n;
		char *q = arena_alloc(a, 2 * strlen(n) + 3), *w = q;
		*w++ = '"';
		for (const char *p = n; *p; p++) {
			if (*p == '"' || *p == '\\')
				*w++ = '\\';
			*w++ = *p;
		}
		*w++ = '"';
		*w = '\0';
		return q;
	}
	char *out = arena_strdup(a, "");
	encoded_words(a, &out, n);
	return out;
}

const char *mail_mailbox_header(kefu_arena *a, const char *header, const char *name, const char *addr)
{
	if (name == NULL || name[0] == '\0')
		return arena_printf(a, "%s: %s", header, addr);
	return arena_printf(a, "%s: %s\r\n <%s>", header, phrase(a, name), addr);
}

const char *mail_date_header(kefu_arena *a, time_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	gmtime_r(&t, &tm);
	return arena_printf(a, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
	                    months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int mail_render_text(const kefu_templates *t, const char *name, json_object *data, const char *lang, char **out,
                     char *err, size_t errlen)
{
	*out = NULL;
	char *xml;
	size_t n;
	if (tpl_render(t, name, data, lang, &xml, &n, err, errlen) != 0)
		return -1;
	xmlDocPtr doc =
	    xmlReadMemory(xml, (int)n, NULL, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(xml);
	xmlChar *text = doc ? xmlNodeGetContent(xmlDocGetRootElement(doc)) : NULL;
	xmlFreeDoc(doc);
	if (text == NULL) {
		snprintf(err, errlen, "%s: the output is not well-formed XML (a text template's root is not <html>)",
		         name);
		return -1;
	}
	const char *s = (const char *)text;
	/* Blank lines at either end come from the template's own layout. */
	const char *start = s;
	for (const char *p = s; *p == '\n' || *p == ' ' || *p == '\t' || *p == '\r'; p++)
		if (*p == '\n')
			start = p + 1;
	size_t len = strlen(start);
	while (len > 0 && strchr(" \t\r\n", start[len - 1]))
		len--;
	*out = strndup(start, len);
	xmlFree(text);
	if (*out == NULL)
		abort();
	return 0;
}
