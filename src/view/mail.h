/* mail: what a mail looks like on the wire: addresses, RFC 2047 headers, the plain-text part from a template. */
#ifndef KEFU_VIEW_MAIL_H
#define KEFU_VIEW_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json_object.h>

#include "core/arena.h"
#include "view/template.h"

/*
 * Why by hand: libcurl sends the message it is given (curl_mime builds the
 * body parts and their Content-* headers) but writes no From, To or Subject
 * for us, and a header is 7-bit ASCII (RFC 5322): a Chinese subject or name
 * must travel as RFC 2047 encoded-words, and a CR or LF in a value would
 * start a header of its own. Everything here is pure.
 */

/* True when s is an address kefu sends to: local@domain in printable ASCII
 * without white space, quotes, angle brackets, commas or semicolons (no
 * quoted local parts, no address literals), at most 254 bytes, domain with a
 * dot-separated label of letters, digits and '-'. */
bool mail_addr_ok(const char *s);

/* Split mail_from ("Name <addr>", or a bare addr) into *name (NULL when
 * none) and *addr, in a. -1 when the address is not mail_addr_ok. */
int mail_from_parse(kefu_arena *a, const char *from, const char **name, const char **addr);

/*
 * The header line "Name: value" (no CRLF at the end), folded with CRLF SP
 * where long. A value of printable ASCII stays as it is; anything else is
 * sent as UTF-8 "B" encoded-words (=?UTF-8?B?...?=) of at most 75
 * characters each, never splitting a character. Control characters (CR, LF
 * included) become spaces first. In a.
 */
const char *mail_header(kefu_arena *a, const char *name, const char *value);

/* "To"/"From" header: addr alone, or name as an encoded-word (or a quoted
 * string when it is plain ASCII) followed by <addr>. addr must be
 * mail_addr_ok. In a. */
const char *mail_mailbox_header(kefu_arena *a, const char *header, const char *name, const char *addr);

/* "Date: Sun, 06 Dec 2026 21:00:00 +0000" for t. In a. */
const char *mail_date_header(kefu_arena *a, time_t t);

/*
 * Render template name as plain text: the template's output is parsed back
 * (the engine writes well-formed XML for any root but <html>) and its text kept,
 * entities decoded, so values land as they are, not HTML-escaped. Leading and
 * trailing blank lines are dropped; lines end in LF (libcurl's MIME writer
 * turns them into CRLF for SMTP). 0 and a malloc'd *out (caller frees), or
 * -1 with err.
 */
int mail_render_text(const kefu_templates *t, const char *name, json_object *data, const char *lang, char **out,
                     char *err, size_t errlen);

#endif
