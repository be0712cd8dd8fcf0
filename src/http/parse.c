/* parse: query strings, forms, cookies, multipart/form-data and media types from untrusted bytes. */
#include "http/parse.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/text.h"
#include "core/utf8.h"

/* n bytes and a NUL, whatever the bytes are (values may hold NUL until checked). */
static char *copy_n(kefu_arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	if (n > 0)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static bool is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* RFC 7230 tchar. */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Case-insensitive comparison of s[0..n) with the NUL-terminated lit. */
static bool eq_nocase(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	if (n != k)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)lit[i]))
			return false;
	return true;
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_ows((unsigned char)(*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_ows((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/* Percent-decode s[0..n) into a fresh NUL-terminated arena buffer; the result
 * is never longer than the input. No UTF-8 check: callers decide what the
 * bytes must be. */
static kefu_err pct_decode_raw(kefu_arena *a, const char *s, size_t n, bool plus_is_space, char **out, size_t *outlen)
{
	char *d = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (n - i < 3)
				return KEFU_E_BAD_REQUEST;
			int hi = hex_digit((unsigned char)s[i + 1]), lo = hex_digit((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return KEFU_E_BAD_REQUEST;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			d[j++] = ' ';
		} else {
			d[j++] = (char)c;
		}
	}
	d[j] = '\0';
	*out = d;
	*outlen = j;
	return KEFU_OK;
}

static kefu_err pct_decode_utf8(kefu_arena *a, const char *s, size_t n, bool plus_is_space, char **out, size_t *outlen)
{
	kefu_err e = pct_decode_raw(a, s, n, plus_is_space, out, outlen);
	if (e != KEFU_OK)
		return e;
	if (!utf8_valid(*out, *outlen))
		return KEFU_E_INVALID_UTF8;
	return KEFU_OK;
}

kefu_err url_decode(kefu_arena *a, const char *s, size_t n, char **out, size_t *outlen)
{
	char *d;
	size_t len;
	*out = NULL;
	if (outlen)
		*outlen = 0;
	kefu_err e = pct_decode_utf8(a, n ? s : "", n, false, &d, &len);
	if (e != KEFU_OK)
		return e;
	*out = d;
	if (outlen)
		*outlen = len;
	return KEFU_OK;
}

kefu_err parse_urlencoded(kefu_arena *a, const char *s, size_t n, struct kv_list *out)
{
	out->items = NULL;
	out->n = 0;
	if (n == 0 || s == NULL)
		return KEFU_OK;

	/* Count first so that the cap is enforced before any decoding work and
	 * the list is one exact allocation. */
	size_t count = 0;
	for (size_t i = 0; i < n;) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - s) : n;
		if (end > i && ++count > PARSE_MAX_PAIRS)
			return KEFU_E_BAD_REQUEST;
		i = end + 1;
	}
	if (count == 0)
		return KEFU_OK;

	struct kv *items = arena_calloc(a, count, sizeof *items);
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - s) : n;
		if (end > i) {
			const char *seg = s + i;
			size_t seglen = end - i;
			const char *eq = memchr(seg, '=', seglen);
			size_t nlen = eq ? (size_t)(eq - seg) : seglen;
			char *name, *value;
			size_t name_len, value_len;
			kefu_err e = pct_decode_utf8(a, seg, nlen, true, &name, &name_len);
			if (e == KEFU_OK && eq)
				e = pct_decode_utf8(a, eq + 1, seglen - nlen - 1, true, &value, &value_len);
			else if (e == KEFU_OK) {
				value = arena_strdup(a, "");
				value_len = 0;
			}
			if (e != KEFU_OK)
				return e;
			items[k].name = name;
			items[k].value = value;
			items[k].value_len = value_len;
			k++;
		}
		i = end + 1;
	}
	out->items = items;
	out->n = k;
	return KEFU_OK;
}

kefu_err parse_cookies(kefu_arena *a, const char *header, struct kv_list *out)
{
	out->items = NULL;
	out->n = 0;
	if (header == NULL)
		return KEFU_OK;
	size_t n = strlen(header);
	size_t cap = 1;
	for (size_t i = 0; i < n; i++)
		if (header[i] == ';')
			cap++;
	if (cap > PARSE_MAX_COOKIES)
		cap = PARSE_MAX_COOKIES;
	struct kv *items = arena_calloc(a, cap, sizeof *items);
	size_t k = 0;

	for (size_t i = 0; i < n && k < cap;) {
		const char *semi = memchr(header + i, ';', n - i);
		size_t end = semi ? (size_t)(semi - header) : n;
		const char *seg = header + i;
		size_t seglen = end - i;
		i = end + 1;

		const char *eq = memchr(seg, '=', seglen);
		if (eq == NULL)
			continue;
		const char *name = seg, *value = eq + 1;
		size_t name_len = (size_t)(eq - seg), value_len = seglen - name_len - 1;
		trim(&name, &name_len);
		trim(&value, &value_len);
		if (name_len == 0)
			continue;
		bool ok = true;
		for (size_t j = 0; j < name_len && ok; j++)
			ok = is_tchar((unsigned char)name[j]);
		if (value_len >= 2 && value[0] == '"' && value[value_len - 1] == '"') {
			value++;
			value_len -= 2;
		}
		for (size_t j = 0; j < value_len && ok; j++)
			ok = !is_ctl((unsigned char)value[j]);
		if (!ok || !utf8_valid(value, value_len))
			continue;
		items[k].name = copy_n(a, name, name_len);
		items[k].value = copy_n(a, value, value_len);
		items[k].value_len = value_len;
		k++;
	}
	if (k > 0) {
		out->items = items;
		out->n = k;
	}
	return KEFU_OK;
}

const char *kv_get(const struct kv_list *l, const char *name)
{
	if (l == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return l->items[i].value;
	return NULL;
}

/*
 * Parameter lists: *( OWS ";" OWS name OWS "=" OWS value ). Shared by
 * media_param (RFC 7230 quoted-pair: a backslash escapes any byte) and
 * Content-Disposition (backslash escapes only '"' and '\\', because browsers
 * send Windows paths unescaped).
 */
struct param_iter {
	const char *p, *end;
	bool cd_escapes;
};

/* 1: a parameter was read; 0: end of list; -1: malformed. */
static int next_param(kefu_arena *a, struct param_iter *it, const char **name, size_t *name_len, char **value,
                      size_t *value_len)
{
	const char *p = it->p, *end = it->end;
	for (;;) {
		while (p < end && is_ows((unsigned char)*p))
			p++;
		if (p == end) {
			it->p = p;
			return 0;
		}
		if (*p != ';')
			return -1;
		p++;
		while (p < end && is_ows((unsigned char)*p))
			p++;
		if (p < end && *p != ';')
			break;
		/* ";;" and a trailing ';' are tolerated: clients emit both. */
	}
	if (p == end) {
		it->p = p;
		return 0;
	}
	const char *n0 = p;
	while (p < end && is_tchar((unsigned char)*p) && *p != '=')
		p++;
	if (p == n0)
		return -1;
	*name = n0;
	*name_len = (size_t)(p - n0);
	while (p < end && is_ows((unsigned char)*p))
		p++;
	if (p == end || *p != '=')
		return -1;
	p++;
	while (p < end && is_ows((unsigned char)*p))
		p++;
	if (p < end && *p == '"') {
		p++;
		char *v = arena_alloc(a, (size_t)(end - p) + 1);
		size_t j = 0;
		for (;;) {
			if (p == end)
				return -1;
			if (*p == '"')
				break;
			if (*p == '\\' && end - p >= 2 && (!it->cd_escapes || p[1] == '"' || p[1] == '\\'))
				p++;
			v[j++] = *p++;
		}
		p++;
		v[j] = '\0';
		*value = v;
		*value_len = j;
	} else {
		/* Unquoted: lenient about which bytes, since real clients send
		 * unquoted boundaries with '=' or '/' in them. */
		const char *v0 = p;
		while (p < end && *p != ';' && *p != '"' && !is_ows((unsigned char)*p))
			p++;
		*value = copy_n(a, v0, (size_t)(p - v0));
		*value_len = (size_t)(p - v0);
	}
	it->p = p;
	return 1;
}

/* Length of the "type/subtype" at s (after leading OWS, reported in *skip),
 * or 0 when it is not two tokens around '/'. */
static size_t media_type_span(const char *s, size_t n, size_t *skip)
{
	size_t i = 0;
	while (i < n && is_ows((unsigned char)s[i]))
		i++;
	*skip = i;
	size_t t0 = i;
	while (i < n && is_tchar((unsigned char)s[i]))
		i++;
	if (i == t0 || i == n || s[i] != '/')
		return 0;
	i++;
	size_t s0 = i;
	while (i < n && is_tchar((unsigned char)s[i]))
		i++;
	if (i == s0)
		return 0;
	size_t span = i - t0;
	while (i < n && is_ows((unsigned char)s[i]))
		i++;
	if (i < n && s[i] != ';')
		return 0;
	return span;
}

char *media_type(kefu_arena *a, const char *content_type)
{
	if (content_type == NULL)
		return NULL;
	size_t skip, span = media_type_span(content_type, strlen(content_type), &skip);
	if (span == 0)
		return NULL;
	char *r = copy_n(a, content_type + skip, span);
	for (char *p = r; *p; p++)
		*p = (char)lower((unsigned char)*p);
	return r;
}

/* Like media_param over a counted buffer; also reports the value's length. */
static char *media_param_n(kefu_arena *a, const char *s, size_t n, const char *param, size_t *vlen)
{
	size_t skip, span = media_type_span(s, n, &skip);
	if (span == 0)
		return NULL;
	struct param_iter it = {s + skip + span, s + n, false};
	const char *name;
	size_t name_len, value_len;
	char *value;
	while (next_param(a, &it, &name, &name_len, &value, &value_len) == 1) {
		if (eq_nocase(name, name_len, param)) {
			if (vlen)
				*vlen = value_len;
			return value;
		}
	}
	return NULL;
}

char *media_param(kefu_arena *a, const char *content_type, const char *param)
{
	if (content_type == NULL || param == NULL)
		return NULL;
	return media_param_n(a, content_type, strlen(content_type), param, NULL);
}

/* ---- multipart/form-data ---- */

/* RFC 2046 bchars: DIGIT / ALPHA / "'()+_,-./:=?" and space, not last. */
static bool boundary_valid(const char *b, size_t n)
{
	if (n == 0 || n > MP_MAX_BOUNDARY || b[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c != 0 && strchr("'()+_,-./:=? ", c));
		if (!ok)
			return false;
	}
	return true;
}

struct mp_ctx {
	const unsigned char *b;
	size_t n;
	const char *dash; /* "--" boundary */
	size_t dash_len;
};

/* Is there a delimiter line "--boundary" at pos? On success *after is the
 * offset just past it (past its line end for an ordinary delimiter) and
 * *close tells whether it was the closing "--boundary--". */
static bool delim_at(const struct mp_ctx *c, size_t pos, size_t *after, bool *close)
{
	if (c->n - pos < c->dash_len || memcmp(c->b + pos, c->dash, c->dash_len) != 0)
		return false;
	size_t i = pos + c->dash_len;
	if (c->n - i >= 2 && c->b[i] == '-' && c->b[i + 1] == '-') {
		*close = true;
		*after = i + 2;
		return true;
	}
	while (i < c->n && is_ows(c->b[i]))
		i++;
	if (i < c->n && c->b[i] == '\r')
		i++;
	if (i < c->n && c->b[i] == '\n') {
		*close = false;
		*after = i + 1;
		return true;
	}
	return false;
}

/* Offset of the '\n' that begins the next delimiter line at or after from,
 * or SIZE_MAX when there is none. */
static size_t find_delim(const struct mp_ctx *c, size_t from, size_t *after, bool *close)
{
	while (from < c->n) {
		const unsigned char *p = memchr(c->b + from, '\n', c->n - from);
		if (p == NULL)
			return SIZE_MAX;
		size_t nl = (size_t)(p - c->b);
		if (delim_at(c, nl + 1, after, close))
			return nl;
		from = nl + 1;
	}
	return SIZE_MAX;
}

/* Strip controls, require UTF-8, keep the last path component. */
static kefu_err sanitize_filename(kefu_arena *a, const char *s, size_t n, const char **out)
{
	char *d = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++)
		if (!is_ctl((unsigned char)s[i]))
			d[j++] = s[i];
	d[j] = '\0';
	if (!utf8_valid(d, j))
		return KEFU_E_INVALID_UTF8;
	/* '/' and '\\' never occur inside a multi-byte UTF-8 sequence, so a
	 * byte search is safe. */
	char *base = d;
	for (char *p = d; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		base += strlen(base);
	*out = base;
	return KEFU_OK;
}

/* filename*=charset'language'pct-encoded (RFC 8187). *out stays NULL when the
 * charset is not UTF-8 or the value does not have that shape, so that the
 * plain filename= is used. */
static kefu_err ext_filename(kefu_arena *a, const char *v, size_t n, const char **out)
{
	*out = NULL;
	const char *q1 = memchr(v, '\'', n);
	if (q1 == NULL)
		return KEFU_OK;
	const char *q2 = memchr(q1 + 1, '\'', n - (size_t)(q1 + 1 - v));
	if (q2 == NULL || !eq_nocase(v, (size_t)(q1 - v), "utf-8"))
		return KEFU_OK;
	char *raw;
	size_t raw_len;
	const char *enc = q2 + 1;
	kefu_err e = pct_decode_raw(a, enc, n - (size_t)(enc - v), false, &raw, &raw_len);
	if (e != KEFU_OK)
		return e;
	return sanitize_filename(a, raw, raw_len, out);
}

static kefu_err parse_disposition(kefu_arena *a, const char *v, size_t n, struct mp_part *part)
{
	size_t i = 0;
	while (i < n && is_tchar((unsigned char)v[i]))
		i++;
	if (!eq_nocase(v, i, "form-data"))
		return KEFU_E_BAD_REQUEST;
	struct param_iter it = {v + i, v + n, true};
	const char *pname;
	size_t pname_len, value_len;
	char *value;
	char *name = NULL, *fname = NULL, *fname_ext = NULL;
	size_t name_len = 0, fname_len = 0, fname_ext_len = 0;
	int r;
	while ((r = next_param(a, &it, &pname, &pname_len, &value, &value_len)) == 1) {
		char **slot = NULL;
		size_t *slot_len = NULL;
		if (eq_nocase(pname, pname_len, "name")) {
			slot = &name;
			slot_len = &name_len;
		} else if (eq_nocase(pname, pname_len, "filename")) {
			slot = &fname;
			slot_len = &fname_len;
		} else if (eq_nocase(pname, pname_len, "filename*")) {
			slot = &fname_ext;
			slot_len = &fname_ext_len;
		}
		if (slot == NULL)
			continue;
		/* Two names for one part would let two parsers disagree. */
		if (*slot != NULL)
			return KEFU_E_BAD_REQUEST;
		*slot = value;
		*slot_len = value_len;
	}
	if (r < 0 || name == NULL || name_len == 0)
		return KEFU_E_BAD_REQUEST;
	if (!utf8_valid(name, name_len))
		return KEFU_E_INVALID_UTF8;
	part->name = name;
	part->filename = NULL;
	if (fname_ext != NULL) {
		kefu_err e = ext_filename(a, fname_ext, fname_ext_len, &part->filename);
		if (e != KEFU_OK)
			return e;
	}
	if (part->filename == NULL && fname != NULL) {
		kefu_err e = sanitize_filename(a, fname, fname_len, &part->filename);
		if (e != KEFU_OK)
			return e;
	}
	if (part->filename == NULL && fname_ext != NULL)
		part->filename = ""; /* a file field whose name we cannot read */
	return KEFU_OK;
}

enum mp_header { MPH_OTHER, MPH_DISPOSITION, MPH_TYPE };

/* Parse one part's header section starting at *pos; on success *pos is just
 * past the blank line and *blank_nl is the offset of that line's '\n'. */
static kefu_err parse_part_headers(kefu_arena *a, const struct mp_ctx *c, size_t *pos, size_t *blank_nl,
                                   struct mp_part *part)
{
	size_t start = *pos, cur = *pos;
	size_t limit = c->n - start > MP_MAX_HEADER_BYTES ? start + MP_MAX_HEADER_BYTES : c->n;
	char *disp = NULL, *ctype = NULL;
	size_t disp_len = 0, ctype_len = 0;
	enum mp_header last = MPH_OTHER;
	bool have_last = false;

	for (;;) {
		const unsigned char *nlp = memchr(c->b + cur, '\n', limit - cur);
		if (nlp == NULL)
			return KEFU_E_BAD_REQUEST; /* too long, or the body ended */
		size_t nl = (size_t)(nlp - c->b);
		const char *line = (const char *)c->b + cur;
		size_t len = nl - cur;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		cur = nl + 1;
		if (len == 0) {
			*blank_nl = nl;
			break;
		}
		if (is_ows((unsigned char)line[0])) {
			/* obs-fold: continue the previous header with one space. */
			if (!have_last)
				return KEFU_E_BAD_REQUEST;
			trim(&line, &len);
			char **v = last == MPH_DISPOSITION ? &disp : last == MPH_TYPE ? &ctype : NULL;
			size_t *vl = last == MPH_DISPOSITION ? &disp_len : &ctype_len;
			if (v != NULL) {
				char *j = arena_alloc(a, *vl + 1 + len + 1);
				memcpy(j, *v, *vl);
				j[*vl] = ' ';
				memcpy(j + *vl + 1, line, len);
				*vl += 1 + len;
				j[*vl] = '\0';
				*v = j;
			}
			continue;
		}
		const char *colon = memchr(line, ':', len);
		if (colon == NULL)
			return KEFU_E_BAD_REQUEST;
		const char *hn = line, *hv = colon + 1;
		size_t hn_len = (size_t)(colon - line), hv_len = len - hn_len - 1;
		trim(&hn, &hn_len);
		trim(&hv, &hv_len);
		have_last = true;
		last = MPH_OTHER;
		if (eq_nocase(hn, hn_len, "content-disposition")) {
			if (disp != NULL)
				return KEFU_E_BAD_REQUEST;
			disp = copy_n(a, hv, hv_len);
			disp_len = hv_len;
			last = MPH_DISPOSITION;
		} else if (eq_nocase(hn, hn_len, "content-type")) {
			if (ctype != NULL)
				return KEFU_E_BAD_REQUEST;
			ctype = copy_n(a, hv, hv_len);
			ctype_len = hv_len;
			last = MPH_TYPE;
		}
	}
	if (disp == NULL)
		return KEFU_E_BAD_REQUEST;
	kefu_err e = parse_disposition(a, disp, disp_len, part);
	if (e != KEFU_OK)
		return e;
	if (ctype != NULL) {
		for (size_t i = 0; i < ctype_len; i++)
			if (is_ctl((unsigned char)ctype[i]) && ctype[i] != '\t')
				return KEFU_E_BAD_REQUEST;
	}
	part->content_type = ctype;
	*pos = cur;
	return KEFU_OK;
}

kefu_err parse_multipart(kefu_arena *a, const char *content_type, const unsigned char *body, size_t n,
                         struct mp_list *out)
{
	out->items = NULL;
	out->n = 0;
	char *mt = media_type(a, content_type);
	if (mt == NULL || strcmp(mt, "multipart/form-data") != 0)
		return KEFU_E_BAD_REQUEST;
	size_t blen = 0;
	char *boundary = media_param_n(a, content_type, strlen(content_type), "boundary", &blen);
	if (boundary == NULL || !boundary_valid(boundary, blen))
		return KEFU_E_BAD_REQUEST;
	if (body == NULL)
		n = 0;

	struct mp_ctx c = {body, n, arena_printf(a, "--%s", boundary), blen + 2};
	size_t after;
	bool close;
	/* The first delimiter may open the body, or follow a preamble. */
	if (!delim_at(&c, 0, &after, &close) && find_delim(&c, 0, &after, &close) == SIZE_MAX)
		return KEFU_E_BAD_REQUEST;

	size_t cap = 8, count = 0;
	struct mp_part *items = arena_calloc(a, cap, sizeof *items);
	while (!close) {
		if (count == MP_MAX_PARTS)
			return KEFU_E_BAD_REQUEST;
		if (count == cap) {
			struct mp_part *bigger = arena_calloc(a, cap * 2, sizeof *bigger);
			memcpy(bigger, items, cap * sizeof *items);
			items = bigger;
			cap *= 2;
		}
		struct mp_part *part = &items[count];
		size_t hpos = after, blank_nl;
		kefu_err e = parse_part_headers(a, &c, &hpos, &blank_nl, part);
		if (e != KEFU_OK)
			return e;
		/* Search from the blank line's '\n': an empty part may share it
		 * with the delimiter's line break. */
		size_t nl = find_delim(&c, blank_nl, &after, &close);
		if (nl == SIZE_MAX)
			return KEFU_E_BAD_REQUEST;
		size_t data_end = nl;
		if (data_end > hpos && body[data_end - 1] == '\r')
			data_end--;
		part->data = body + hpos;
		part->len = data_end > hpos ? data_end - hpos : 0;
		count++;
	}
	if (count > 0) {
		out->items = items;
		out->n = count;
	}
	return KEFU_OK;
}

const struct mp_part *mp_get(const struct mp_list *l, const char *name)
{
	if (l == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	return NULL;
}
