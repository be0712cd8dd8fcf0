/* parse: pure request parsers (query strings, forms, cookies, multipart, media types); no I/O. */
#ifndef KEFU_HTTP_PARSE_H
#define KEFU_HTTP_PARSE_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

/*
 * Common rules for everything below:
 *  - Every byte of output (lists, names, values, copies) is allocated from the
 *    arena `a` and lives until arena_reset(); nothing is to be freed.
 *  - Inputs given as (pointer, length) need not be NUL-terminated and may
 *    contain any bytes; a NULL pointer is allowed when the length is 0.
 *  - On error the output list is left empty ({NULL, 0}); pointers returned
 *    earlier stay valid until the reset.
 */

/* One name/value pair. name and value are NUL-terminated; value_len is the
 * value's length in bytes (decoded values never contain NUL, so it equals
 * strlen(value), but it saves callers the walk). */
struct kv {
	const char *name;
	const char *value;
	size_t value_len;
};
/* Pairs in the order they appeared; duplicates are kept. */
struct kv_list {
	struct kv *items;
	size_t n;
};

/* Most pairs one query string or form body may hold. */
#define PARSE_MAX_PAIRS 1000
/* Most cookies kept from one Cookie header; the rest are ignored. */
#define PARSE_MAX_COOKIES 200

/*
 * application/x-www-form-urlencoded body or a query string (without '?').
 * Pairs are separated by '&'; '+' is a space and %XX is decoded (hex digits of
 * either case) in names and values. Empty pairs ("a=1&&b=2") are skipped, a
 * pair without '=' gets value "", a pair "=x" has name "".
 * Errors: KEFU_E_BAD_REQUEST for a malformed %-escape or more than
 * PARSE_MAX_PAIRS pairs; KEFU_E_INVALID_UTF8 when a decoded name or value is
 * not strict UTF-8 (this includes %00, as NUL cannot live in a C string).
 */
kefu_err parse_urlencoded(kefu_arena *a, const char *s, size_t n, struct kv_list *out);

/*
 * Cookie request header (RFC 6265 section 5.4: "a=b; c=d"). header is a
 * NUL-terminated string or NULL (no header: empty list). Values are not
 * decoded; one pair of surrounding double quotes is stripped. Pairs without
 * '=', with a name that is not an RFC 7230 token, or with a name or value that
 * holds control characters or is not UTF-8 are skipped. Only the first
 * PARSE_MAX_COOKIES cookies are kept. Never fails: always KEFU_OK.
 * With duplicate names the first one wins in kv_get, which is what browsers
 * intend (they send the most specific path first).
 */
kefu_err parse_cookies(kefu_arena *a, const char *header, struct kv_list *out);

/* The value of the first pair called name (exact, case-sensitive), or NULL.
 * l may be NULL. */
const char *kv_get(const struct kv_list *l, const char *name);

/*
 * Percent-decode one URL component such as a path segment. '+' is kept as
 * '+' (it means a space only in forms). *out is NUL-terminated, *outlen is its
 * length (outlen may be NULL). Errors: KEFU_E_BAD_REQUEST for a malformed
 * %-escape, KEFU_E_INVALID_UTF8 when the result is not UTF-8 or holds NUL.
 */
kefu_err url_decode(kefu_arena *a, const char *s, size_t n, char **out, size_t *outlen);

/* One multipart/form-data part. name is the form field name (non-empty,
 * UTF-8). filename is NULL for an ordinary field and non-NULL for a file
 * field: the sanitised last path component, "" when the browser sent no file
 * or nothing usable remained. content_type is the part's Content-Type header
 * value as sent (trimmed), NULL when absent (RFC 7578 then means text/plain).
 * data points into the request body (zero copy), len bytes, any content. */
struct mp_part {
	const char *name;
	const char *filename;
	const char *content_type;
	const unsigned char *data;
	size_t len;
};
struct mp_list {
	struct mp_part *items;
	size_t n;
};

/* Limits for one multipart body. */
#define MP_MAX_PARTS        100
#define MP_MAX_HEADER_BYTES 8192
#define MP_MAX_BOUNDARY     70

/*
 * multipart/form-data (RFC 7578, RFC 2046 section 5.1). content_type is the
 * whole Content-Type header value; its media type must be multipart/form-data
 * and its boundary parameter (quoted or not) 1..70 RFC 2046 bchars. The body
 * (n bytes, already size-limited by the reader) must stay alive as long as the
 * result is used, since part data points into it.
 * Lines may end in CRLF or a bare LF. A preamble before the first delimiter and
 * an epilogue after the closing one are ignored; "--boundary" inside data is
 * data unless it starts a line and is followed by "--" or by optional
 * whitespace and a line end.
 * Part headers: Content-Disposition must be form-data with a non-empty name;
 * Content-Type is kept; other headers are ignored; folded lines are joined.
 * Inside quoted parameter values, a backslash escapes only '"' and '\\' so that
 * old browsers' unescaped Windows paths survive.
 * filename: filename*=UTF-8''<pct-encoded> (RFC 8187, charset any case) wins
 * over filename=; other charsets in filename* are ignored. The value is
 * stripped of ASCII control characters, must be UTF-8, and is cut to what
 * follows its last '/' or '\\'; "." and ".." become "". Other Unicode
 * (for example U+202E) is kept: escaping it is the view's job.
 * Errors: KEFU_E_BAD_REQUEST for a wrong media type, a missing or invalid
 * boundary, no closing delimiter, a part header section over
 * MP_MAX_HEADER_BYTES or with a line lacking ':', a part without
 * Content-Disposition form-data name, more than MP_MAX_PARTS parts, or a bad
 * %-escape in filename*; KEFU_E_INVALID_UTF8 when a name or filename is not
 * UTF-8.
 */
kefu_err parse_multipart(kefu_arena *a, const char *content_type, const unsigned char *body, size_t n,
                         struct mp_list *out);

/* The first part called name, or NULL. l may be NULL. */
const struct mp_part *mp_get(const struct mp_list *l, const char *name);

/*
 * "Application/JSON; charset=utf-8" -> "application/json": the type/subtype
 * lower-cased, in the arena. NULL when content_type is NULL or its media type
 * is not "token/token".
 */
char *media_type(kefu_arena *a, const char *content_type);

/*
 * The value of parameter param (case-insensitive name) of a Content-Type-like
 * header value, unquoted (RFC 7230 quoted-pair honoured), case preserved, in
 * the arena; NULL when content_type is NULL, the parameter is absent, or the
 * parameter list is malformed before it is reached.
 */
char *media_param(kefu_arena *a, const char *content_type, const char *param);

#endif
