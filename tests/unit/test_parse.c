/* test_parse: request parsers (forms, cookies, multipart, media types, JSON bodies) against hostile input. */
#include <check.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/json-doc.h"
#include "http/parse.h"
#include "check-main.h"

static kefu_arena *A;

static void setup(void)
{
	A = arena_new();
}

static void teardown(void)
{
	arena_free(A);
	A = NULL;
}

/* Parse a NUL-terminated literal as a form (strlen length). */
static kefu_err form(const char *s, struct kv_list *l)
{
	return parse_urlencoded(A, s, strlen(s), l);
}

/* A heap copy without a NUL so that ASan catches any read past n. */
static char *exact(const void *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	memcpy(p, s, n);
	return p;
}

/* ---- urlencoded ---- */

START_TEST(form_basic)
{
	struct kv_list l;
	ck_assert_int_eq(form("a=1&b=two+words&c=%E5%BC%A0%e4%b8%89&d", &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_str_eq(kv_get(&l, "a"), "1");
	ck_assert_str_eq(kv_get(&l, "b"), "two words");
	ck_assert_str_eq(kv_get(&l, "c"), "张三");
	ck_assert_uint_eq(l.items[2].value_len, strlen("张三"));
	ck_assert_str_eq(kv_get(&l, "d"), "");
	ck_assert_ptr_null(kv_get(&l, "e"));
	ck_assert_ptr_null(kv_get(NULL, "a"));
}
END_TEST

START_TEST(form_plus_and_escapes)
{
	struct kv_list l;
	ck_assert_int_eq(form("q=a%2Bb+c%20d&x%3Dy=%26%3D", &l), KEFU_OK);
	ck_assert_str_eq(kv_get(&l, "q"), "a+b c d");
	ck_assert_str_eq(kv_get(&l, "x=y"), "&=");
	ck_assert_int_eq(form("k+name=v", &l), KEFU_OK);
	ck_assert_str_eq(l.items[0].name, "k name");
	/* only the first '=' splits */
	ck_assert_int_eq(form("a=b=c", &l), KEFU_OK);
	ck_assert_str_eq(kv_get(&l, "a"), "b=c");
}
END_TEST

START_TEST(form_empty_pairs_and_duplicates)
{
	struct kv_list l;
	ck_assert_int_eq(form("&&a=1&&&a=2&", &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(kv_get(&l, "a"), "1");
	ck_assert_str_eq(l.items[1].value, "2");
	ck_assert_int_eq(form("", &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.items);
	ck_assert_int_eq(parse_urlencoded(A, NULL, 0, &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(form("&&&", &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(form("=x", &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].name, "");
}
END_TEST

START_TEST(form_bad_escapes)
{
	struct kv_list l;
	const char *bad[] = {"a=%", "a=%4", "a=%G0", "a=%0g", "%=1", "a=1&b=%%41", "a=%+1", "a=%-1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(form(bad[i], &l) == KEFU_E_BAD_REQUEST, "%s", bad[i]);
		ck_assert_uint_eq(l.n, 0);
	}
	/* '%' as the very last byte of a non-terminated buffer */
	char *p = exact("a=%", 3);
	ck_assert_int_eq(parse_urlencoded(A, p, 3, &l), KEFU_E_BAD_REQUEST);
	free(p);
	p = exact("a=%4", 4);
	ck_assert_int_eq(parse_urlencoded(A, p, 4, &l), KEFU_E_BAD_REQUEST);
	free(p);
}
END_TEST

START_TEST(form_bad_utf8)
{
	struct kv_list l;
	ck_assert_int_eq(form("a=%C0%AF", &l), KEFU_E_INVALID_UTF8);    /* overlong '/' */
	ck_assert_int_eq(form("a=%E0%80%AF", &l), KEFU_E_INVALID_UTF8); /* overlong */
	ck_assert_int_eq(form("a=%ED%A0%80", &l), KEFU_E_INVALID_UTF8); /* surrogate */
	ck_assert_int_eq(form("a=%FF", &l), KEFU_E_INVALID_UTF8);
	ck_assert_int_eq(form("%C3=1", &l), KEFU_E_INVALID_UTF8);      /* name */
	ck_assert_int_eq(form("a=%00", &l), KEFU_E_INVALID_UTF8);      /* NUL */
	ck_assert_int_eq(form("a=\xc3\x28", &l), KEFU_E_INVALID_UTF8); /* raw bytes */
	/* a raw NUL inside the buffer */
	ck_assert_int_eq(parse_urlencoded(A, "a=b\0c", 5, &l), KEFU_E_INVALID_UTF8);
	ck_assert_int_eq(parse_urlencoded(A, "a\0=b", 4, &l), KEFU_E_INVALID_UTF8);
	/* the length is honoured: bytes after n are never looked at */
	ck_assert_int_eq(parse_urlencoded(A, "a=1\xff", 3, &l), KEFU_OK);
	ck_assert_str_eq(kv_get(&l, "a"), "1");
}
END_TEST

START_TEST(form_pair_cap)
{
	struct kv_list l;
	size_t len = 0;
	char *buf = malloc(1001 * 4 + 1);
	for (int i = 0; i < 1000; i++)
		len += (size_t)sprintf(buf + len, "a=%d&", i % 10);
	ck_assert_int_eq(parse_urlencoded(A, buf, len, &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 1000);
	len += (size_t)sprintf(buf + len, "z");
	ck_assert_int_eq(parse_urlencoded(A, buf, len, &l), KEFU_E_BAD_REQUEST);
	ck_assert_uint_eq(l.n, 0);
	/* empty pairs do not count */
	char *amps = malloc(5000);
	memset(amps, '&', 5000);
	ck_assert_int_eq(parse_urlencoded(A, amps, 5000, &l), KEFU_OK);
	free(amps);
	free(buf);
}
END_TEST

/* ---- url_decode ---- */

START_TEST(url_decode_component)
{
	char *out;
	size_t len;
	ck_assert_int_eq(url_decode(A, "a+b%20c%2F", 10, &out, &len), KEFU_OK);
	ck_assert_str_eq(out, "a+b c/");
	ck_assert_uint_eq(len, 6);
	ck_assert_int_eq(url_decode(A, "", 0, &out, NULL), KEFU_OK);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(url_decode(A, NULL, 0, &out, &len), KEFU_OK);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(url_decode(A, "%e4%B8%ad", 9, &out, &len), KEFU_OK);
	ck_assert_str_eq(out, "中");
	ck_assert_int_eq(url_decode(A, "%", 1, &out, &len), KEFU_E_BAD_REQUEST);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(url_decode(A, "%zz", 3, &out, &len), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(url_decode(A, "%C0%AE%C0%AE", 12, &out, &len), KEFU_E_INVALID_UTF8);
	ck_assert_int_eq(url_decode(A, "a%00b", 5, &out, &len), KEFU_E_INVALID_UTF8);
	ck_assert_int_eq(url_decode(A, "%F0%9F%98", 9, &out, &len), KEFU_E_INVALID_UTF8);
}
END_TEST

/* ---- cookies ---- */

START_TEST(cookies_basic)
{
	struct kv_list l;
	ck_assert_int_eq(parse_cookies(A, "sid=abc123; csrf=\"q-1\";lang=zh-CN", &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(kv_get(&l, "sid"), "abc123");
	ck_assert_str_eq(kv_get(&l, "csrf"), "q-1");
	ck_assert_uint_eq(l.items[1].value_len, 3);
	ck_assert_str_eq(kv_get(&l, "lang"), "zh-CN");
	/* values are not decoded; the first duplicate wins */
	ck_assert_int_eq(parse_cookies(A, " a=%41+b ;a=2; empty=; q=\"\"", &l), KEFU_OK);
	ck_assert_str_eq(kv_get(&l, "a"), "%41+b");
	ck_assert_str_eq(kv_get(&l, "empty"), "");
	ck_assert_str_eq(kv_get(&l, "q"), "");
	ck_assert_int_eq(parse_cookies(A, NULL, &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(parse_cookies(A, "", &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(cookies_garbage)
{
	struct kv_list l;
	ck_assert_int_eq(parse_cookies(A,
	                               ";;; noequals; =nameless; bad name=1; b(ad=2; "
	                               "ctl=a\x01z; utf=\xc3\x28; ok=1; \"q\"=3; half=\"x; ;",
	                               &l),
	                 KEFU_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(kv_get(&l, "ok"), "1");
	/* one unmatched quote is kept as is */
	ck_assert_str_eq(kv_get(&l, "half"), "\"x");
	ck_assert_ptr_null(kv_get(&l, "noequals"));
	ck_assert_ptr_null(kv_get(&l, "ctl"));
	ck_assert_ptr_null(kv_get(&l, ""));
	/* a lone '"' value: not a pair of quotes */
	ck_assert_int_eq(parse_cookies(A, "x=\"", &l), KEFU_OK);
	ck_assert_str_eq(kv_get(&l, "x"), "\"");
	ck_assert_int_eq(parse_cookies(A, "utf8=张三", &l), KEFU_OK);
	ck_assert_str_eq(kv_get(&l, "utf8"), "张三");
}
END_TEST

START_TEST(cookies_cap)
{
	struct kv_list l;
	char *h = malloc(300 * 8 + 1);
	size_t len = 0;
	for (int i = 0; i < 300; i++)
		len += (size_t)sprintf(h + len, "c%d=v; ", i);
	ck_assert_int_eq(parse_cookies(A, h, &l), KEFU_OK);
	ck_assert_uint_eq(l.n, PARSE_MAX_COOKIES);
	ck_assert_str_eq(l.items[0].name, "c0");
	free(h);
}
END_TEST

/* ---- media types ---- */

START_TEST(media_types)
{
	ck_assert_str_eq(media_type(A, "Application/JSON; charset=UTF-8"), "application/json");
	ck_assert_str_eq(media_type(A, "  text/plain  "), "text/plain");
	ck_assert_str_eq(media_type(A, "text/plain;"), "text/plain");
	ck_assert_ptr_null(media_type(A, NULL));
	ck_assert_ptr_null(media_type(A, ""));
	ck_assert_ptr_null(media_type(A, "text"));
	ck_assert_ptr_null(media_type(A, "text/"));
	ck_assert_ptr_null(media_type(A, "/plain"));
	ck_assert_ptr_null(media_type(A, "text/plain garbage"));
	ck_assert_ptr_null(media_type(A, "te xt/plain"));
	ck_assert_str_eq(media_param(A, "application/json; charset=UTF-8", "CHARSET"), "UTF-8");
	ck_assert_str_eq(media_param(A, "multipart/form-data; boundary=\"a;b \\\"c\"; x=1", "boundary"), "a;b \"c");
	ck_assert_str_eq(media_param(A, "multipart/form-data; boundary=\"a;b\"; x=1", "x"), "1");
	ck_assert_str_eq(media_param(A, "a/b;;p=1;", "p"), "1");
	ck_assert_str_eq(media_param(A, "a/b; p=", "p"), "");
	ck_assert_ptr_null(media_param(A, "a/b; p=\"unterminated", "p"));
	ck_assert_ptr_null(media_param(A, "a/b; q=1", "p"));
	ck_assert_ptr_null(media_param(A, "a/b", "p"));
	ck_assert_ptr_null(media_param(A, NULL, "p"));
	ck_assert_ptr_null(media_param(A, "a/b; novalue; p=1", "p"));
	ck_assert_ptr_null(media_param(A, "a/b; p=\"x\\", "p"));
}
END_TEST

/* ---- multipart ---- */

static kefu_err mp(const char *ct, const char *body, struct mp_list *l)
{
	size_t n = strlen(body);
	char *copy = exact(body, n);
	kefu_err e = parse_multipart(A, ct, (const unsigned char *)copy, n, l);
	/* data points into the body: compare before freeing by copying out */
	for (size_t i = 0; e == KEFU_OK && i < l->n; i++) {
		char *d = arena_alloc(A, l->items[i].len + 1);
		memcpy(d, l->items[i].data, l->items[i].len);
		l->items[i].data = (const unsigned char *)d;
	}
	free(copy);
	return e;
}

#define CT "multipart/form-data; boundary=XyZ"

static void ck_data(const struct mp_part *p, const char *want)
{
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->len, strlen(want));
	ck_assert(memcmp(p->data, want, p->len) == 0);
}

START_TEST(multipart_basic)
{
	struct mp_list l;
	const char *body = "preamble\r\n"
	                   "--XyZ\r\n"
	                   "Content-Disposition: form-data; name=\"title\"\r\n"
	                   "\r\n"
	                   "hello\r\nworld\r\n"
	                   "--XyZ\r\n"
	                   "content-disposition: FORM-DATA; filename=\"a.png\"; name=file\r\n"
	                   "Content-Type:  image/png \r\n"
	                   "X-Ignored: yes\r\n"
	                   "\r\n"
	                   "\x89PNG\0\r\n--XyZnot-a-delimiter\r\n--XyZ \t\r\n"
	                   "Content-Disposition: form-data; name=\"empty\"\r\n"
	                   "\r\n"
	                   "\r\n"
	                   "--XyZ--\r\n"
	                   "epilogue --XyZ garbage";
	size_t n = strlen(body) + 1; /* strlen stops at the NUL in the PNG data */
	n += strlen(body + n);
	unsigned char *copy = (unsigned char *)exact(body, n);
	ck_assert_int_eq(parse_multipart(A, CT, copy, n, &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 3);
	ck_data(mp_get(&l, "title"), "hello\r\nworld");
	ck_assert_ptr_null(mp_get(&l, "title")->filename);
	ck_assert_ptr_null(mp_get(&l, "title")->content_type);
	const struct mp_part *f = mp_get(&l, "file");
	ck_assert_str_eq(f->filename, "a.png");
	ck_assert_str_eq(f->content_type, "image/png");
	ck_assert_uint_eq(f->len, strlen("\x89PNG") + 1 + strlen("\r\n--XyZnot-a-delimiter"));
	ck_assert(memcmp(f->data, "\x89PNG\0\r\n--XyZnot-a-delimiter", f->len) == 0);
	/* zero copy: data points into the body */
	ck_assert(f->data > copy && f->data < copy + n);
	ck_data(mp_get(&l, "empty"), "");
	ck_assert_ptr_null(mp_get(&l, "nope"));
	ck_assert_ptr_null(mp_get(NULL, "file"));
	free(copy);
}
END_TEST

START_TEST(multipart_quoted_boundary_and_lf)
{
	struct mp_list l;
	/* quoted boundary with characters a token would not allow */
	const char *ct = "Multipart/Form-Data; charset=utf-8; boundary=\"----=_Part 1:x?\"";
	const char *body = "------=_Part 1:x?\n"
	                   "Content-Disposition: form-data; name=a\n"
	                   "\n"
	                   "one\n"
	                   "------=_Part 1:x?\r\n"
	                   "Content-Disposition: form-data;\r\n"
	                   "  name=\"b\"\r\n"
	                   "\r\n"
	                   "two\r\n"
	                   "------=_Part 1:x?--";
	ck_assert_int_eq(mp(ct, body, &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_data(mp_get(&l, "a"), "one");
	ck_data(mp_get(&l, "b"), "two");
	/* an empty part sharing the blank line's line break with the delimiter */
	ck_assert_int_eq(mp(CT, "--XyZ\r\nContent-Disposition: form-data; name=e\r\n\r\n--XyZ--", &l), KEFU_OK);
	ck_data(mp_get(&l, "e"), "");
	/* no parts at all */
	ck_assert_int_eq(mp(CT, "--XyZ--\r\n", &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(multipart_boundary_inside_data)
{
	struct mp_list l;
	const char *body = "--XyZ\r\n"
	                   "Content-Disposition: form-data; name=d\r\n"
	                   "\r\n"
	                   "x--XyZ\r\n--XyZ-\r\n--XyZZ\r\n --XyZ\r\nend\r\n"
	                   "--XyZ--";
	ck_assert_int_eq(mp(CT, body, &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 1);
	ck_data(mp_get(&l, "d"), "x--XyZ\r\n--XyZ-\r\n--XyZZ\r\n --XyZ\r\nend");
}
END_TEST

START_TEST(multipart_errors)
{
	struct mp_list l;
	const char *part = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n";
	char buf[512];
	/* content type problems */
	ck_assert_int_eq(mp(NULL, part, &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp("multipart/form-data", part, &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp("multipart/mixed; boundary=XyZ", part, &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp("multipart/form-data; boundary=", part, &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp("multipart/form-data; boundary=\"a b \"", part, &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp("multipart/form-data; boundary=a<b", part, &l), KEFU_E_BAD_REQUEST);
	memset(buf, 0, sizeof buf);
	strcpy(buf, "multipart/form-data; boundary=");
	memset(buf + strlen(buf), 'b', 71);
	ck_assert_int_eq(mp(buf, part, &l), KEFU_E_BAD_REQUEST);
	/* 70 is fine */
	buf[strlen(buf) - 1] = '\0';
	const char *b70 = buf + strlen("multipart/form-data; boundary=");
	char *body70 = arena_printf(A, "--%s\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--%s--", b70, b70);
	ck_assert_int_eq(mp(buf, body70, &l), KEFU_OK);

	/* body problems */
	ck_assert_int_eq(mp(CT, part, &l), KEFU_E_BAD_REQUEST); /* no closing delimiter */
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(mp(CT, "", &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(parse_multipart(A, CT, NULL, 0, &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "no delimiter at all", &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n", &l),
	                 KEFU_E_BAD_REQUEST); /* ends in the headers */
	ck_assert_int_eq(mp(CT, "--XyZ\r\n\r\nv\r\n--XyZ--", &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--", &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--XyZ--", &l),
	                 KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--", &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--XyZ--", &l),
	                 KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--", &l),
	                 KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--XyZ--", &l),
	                 KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT,
	                    "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; "
	                    "name=b\r\n\r\nv\r\n--XyZ--",
	                    &l),
	                 KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\nno colon here\r\n\r\nv\r\n--XyZ--", &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\n folded-first: x\r\n\r\nv\r\n--XyZ--", &l), KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(
	    mp(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Type: a\x01\r\n\r\nv\r\n--XyZ--", &l),
	    KEFU_E_BAD_REQUEST);
	ck_assert_int_eq(mp(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"\xc0\xaf\"\r\n\r\nv\r\n--XyZ--", &l),
	                 KEFU_E_INVALID_UTF8);
}
END_TEST

START_TEST(multipart_huge_header)
{
	struct mp_list l;
	size_t pad = MP_MAX_HEADER_BYTES;
	size_t cap = pad + 256;
	char *body = malloc(cap);
	size_t n = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	memset(body + n, 'p', pad);
	n += pad;
	n += (size_t)sprintf(body + n, "\r\n\r\nv\r\n--XyZ--");
	ck_assert_int_eq(parse_multipart(A, CT, (unsigned char *)body, n, &l), KEFU_E_BAD_REQUEST);
	/* just under the limit passes: headers of exactly 8192 bytes incl. the blank line */
	n = (size_t)sprintf(body, "--XyZ\r\n");
	size_t h0 = n;
	n += (size_t)sprintf(body + n, "Content-Disposition: form-data; name=a\r\nX-Pad: ");
	size_t fill = MP_MAX_HEADER_BYTES - (n - h0) - 4;
	memset(body + n, 'p', fill);
	n += fill;
	n += (size_t)sprintf(body + n, "\r\n\r\nv\r\n--XyZ--");
	ck_assert_int_eq(parse_multipart(A, CT, (unsigned char *)body, n, &l), KEFU_OK);
	ck_assert_uint_eq(l.n, 1);
	/* and one byte more does not */
	n = (size_t)sprintf(body, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
	memset(body + n, 'p', fill + 1);
	n += fill + 1;
	n += (size_t)sprintf(body + n, "\r\n\r\nv\r\n--XyZ--");
	ck_assert_int_eq(parse_multipart(A, CT, (unsigned char *)body, n, &l), KEFU_E_BAD_REQUEST);
	free(body);
}
END_TEST

static char *many_parts(int count, size_t *n)
{
	char *body = malloc((size_t)count * 80 + 16);
	size_t len = 0;
	for (int i = 0; i < count; i++)
		len += (size_t)sprintf(body + len,
		                       "--XyZ\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%d\r\n", i, i);
	len += (size_t)sprintf(body + len, "--XyZ--\r\n");
	*n = len;
	return body;
}

START_TEST(multipart_part_cap)
{
	struct mp_list l;
	size_t n;
	char *body = many_parts(MP_MAX_PARTS, &n);
	ck_assert_int_eq(parse_multipart(A, CT, (unsigned char *)body, n, &l), KEFU_OK);
	ck_assert_uint_eq(l.n, MP_MAX_PARTS);
	ck_assert_ptr_nonnull(mp_get(&l, "f99"));
	ck_assert(memcmp(mp_get(&l, "f42")->data, "42", 2) == 0);
	free(body);
	body = many_parts(MP_MAX_PARTS + 1, &n);
	ck_assert_int_eq(parse_multipart(A, CT, (unsigned char *)body, n, &l), KEFU_E_BAD_REQUEST);
	ck_assert_uint_eq(l.n, 0);
	free(body);
}
END_TEST

/* The filename parse_multipart makes of a Content-Disposition value. */
static kefu_err fname(const char *disp, const char **out)
{
	struct mp_list l;
	char *body = arena_printf(A, "--XyZ\r\nContent-Disposition: %s\r\n\r\nv\r\n--XyZ--", disp);
	kefu_err e = parse_multipart(A, CT, (unsigned char *)body, strlen(body), &l);
	*out = e == KEFU_OK ? l.items[0].filename : NULL;
	return e;
}

/* Content-Disposition values and the filename parse_multipart makes of each (NULL: refused with err): hostile
 * names, then filename*= (RFC 5987). */
static const struct {
	const char *disp;
	kefu_err err;
	const char *name;
} filenames[] = {
    {"form-data; name=f; filename=\"../../etc/passwd\"", KEFU_OK, "passwd"},
    {"form-data; name=f; filename=\"C:\\x\\evil.exe\"", KEFU_OK, "evil.exe"},
    {"form-data; name=f; filename=\"a\\\"b.txt\"", KEFU_OK, "a\"b.txt"},
    {"form-data; name=f; filename=\"a\\\\b.txt\"", KEFU_OK, "b.txt"},
    {"form-data; name=f; filename=\"ev\x01il\x1b[31m\x7f.txt\"", KEFU_OK, "evil[31m.txt"},
    {"form-data; name=f; filename=\"x\tb\"", KEFU_OK, "xb"},
    /* RTL override is not an ASCII control: kept for the view to escape */
    {"form-data; name=f; filename=\"cod\xe2\x80\xaegpj.exe\"", KEFU_OK, "cod\xe2\x80\xaegpj.exe"},
    {"form-data; name=f; filename=\"..\"", KEFU_OK, ""},
    {"form-data; name=f; filename=\"a/..\"", KEFU_OK, ""},
    {"form-data; name=f; filename=\"dir/\"", KEFU_OK, ""},
    {"form-data; name=f; filename=\"\"", KEFU_OK, ""},
    {"form-data; name=f; filename=\"\xc0\xae\xc0\xae\"", KEFU_E_INVALID_UTF8, NULL},
    {"form-data; name=f; filename=\"\xff.txt\"", KEFU_E_INVALID_UTF8, NULL},
    {"form-data; name=f; filename=\"fallback.txt\"; filename*=UTF-8''%E4%B8%AD%E6%96%87.txt", KEFU_OK, "中文.txt"},
    {"form-data; name=f; filename*=utf-8'zh'..%2F..%2Fx%5Cy%00z.sh", KEFU_OK, "yz.sh"},
    /* other charsets are ignored in favour of filename= */
    {"form-data; name=f; filename*=iso-8859-1''%E9.txt; filename=\"e.txt\"", KEFU_OK, "e.txt"},
    {"form-data; name=f; filename*=iso-8859-1''%E9.txt", KEFU_OK, ""},
    {"form-data; name=f; filename*=UTF-8''%ZZ", KEFU_E_BAD_REQUEST, NULL},
    {"form-data; name=f; filename*=UTF-8''%C0%AF", KEFU_E_INVALID_UTF8, NULL},
};

START_TEST(multipart_filenames)
{
	const char *f;
	kefu_err e = fname(filenames[_i].disp, &f);
	ck_assert_msg(e == filenames[_i].err, "case %d: %d", _i, e);
	if (filenames[_i].name != NULL)
		ck_assert_msg(strcmp(f, filenames[_i].name) == 0, "case %d: \"%s\"", _i, f);
}
END_TEST

/* ---- JSON bodies ---- */

static kefu_err jp(const char *s, json_object **o)
{
	size_t n = strlen(s);
	char *copy = exact(s, n);
	kefu_err e = json_body_parse(A, copy, n, o);
	free(copy);
	return e;
}

START_TEST(json_parse_ok)
{
	json_object *o;
	ck_assert_int_eq(jp("{\"a\":1,\"b\":[true,null,\"x\"]}", &o), KEFU_OK);
	ck_assert(json_object_is_type(o, json_type_object));
	ck_assert_int_eq(jp(" \r\n\t[1, 2.5e-3, -0] \n", &o), KEFU_OK);
	ck_assert(json_object_is_type(o, json_type_array));
	/* top-level scalars, including a number that ends the body */
	ck_assert_int_eq(jp("42", &o), KEFU_OK);
	ck_assert_int_eq(json_object_get_int(o), 42);
	ck_assert_int_eq(jp("\"s\"", &o), KEFU_OK);
	ck_assert_int_eq(jp("\xEF\xBB\xBF{\"bom\":true}", &o), KEFU_OK);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(jp("{\"k\":\"\\u5f20\\ud83d\\ude00\"}", &o), KEFU_OK);
}
END_TEST

START_TEST(json_parse_empty)
{
	json_object *o = (json_object *)1;
	ck_assert_int_eq(json_body_parse(A, NULL, 0, &o), KEFU_OK);
	ck_assert_ptr_null(o);
	o = (json_object *)1;
	ck_assert_int_eq(jp(" \r\n\t ", &o), KEFU_OK);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(jp("\xEF\xBB\xBF", &o), KEFU_OK);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(json_body_object(A, "  ", 2, &o), KEFU_OK);
	ck_assert_ptr_null(o);
}
END_TEST

START_TEST(json_parse_bad)
{
	json_object *o;
	const char *bad[] = {
	    "{",
	    "{\"a\":1",
	    "{\"a\":1}x",
	    "{\"a\":1}{}",
	    "[1,]",
	    "{\"a\":1,}",
	    "'a'",
	    "{a:1}",
	    "NaN",
	    "[NaN]",
	    "-Infinity",
	    "[Infinity]",
	    "[1.]",
	    "[01]",
	    "[.5]",
	    "[+1]",
	    "[0x10]",
	    "[1e]",
	    "\"a\tb\"",
	    "\"a\nb\"",
	    "\"\\x\"",
	    "\"abc",
	    "nul",
	    "truex",
	    "[tru]",
	    "/* c */ {}",
	    "{} // c",
	    "null",
	    "1 2",
	    "[\"\\",
	    "\xEF\xBB\xBF\xEF\xBB\xBF{}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ck_assert_msg(jp(bad[i], &o) == KEFU_E_INVALID_JSON, "%s", bad[i]);
}
END_TEST

START_TEST(json_parse_depth)
{
	json_object *o;
	char buf[256];
	for (int depth = 31; depth <= 33; depth++) {
		memset(buf, '[', (size_t)depth);
		memset(buf + depth, ']', (size_t)depth);
		kefu_err e = json_body_parse(A, buf, (size_t)depth * 2, &o);
		ck_assert_int_eq(e, depth <= JSON_BODY_MAX_DEPTH ? KEFU_OK : KEFU_E_INVALID_JSON);
	}
	char *deep = malloc(200000);
	memset(deep, '[', 100000);
	memset(deep + 100000, ']', 100000);
	ck_assert_int_eq(json_body_parse(A, deep, 200000, &o), KEFU_E_INVALID_JSON);
	memset(deep, '{', 100000);
	ck_assert_int_eq(json_body_parse(A, deep, 100000, &o), KEFU_E_INVALID_JSON);
	free(deep);
}
END_TEST

START_TEST(json_parse_utf8)
{
	json_object *o;
	ck_assert_int_eq(jp("{\"a\":\"\xc0\xaf\"}", &o), KEFU_E_INVALID_UTF8);
	ck_assert_int_eq(jp("{\"a\":\"\xed\xa0\x80\"}", &o), KEFU_E_INVALID_UTF8);
	ck_assert_int_eq(jp("{\"\xff\":1}", &o), KEFU_E_INVALID_UTF8);
	ck_assert_int_eq(jp("\"\xe4\xb8\"", &o), KEFU_E_INVALID_UTF8);
	ck_assert_int_eq(json_body_parse(A, "{\"a\":\"\0\"}", 8, &o), KEFU_E_INVALID_UTF8);
	ck_assert_int_eq(json_body_parse(A, "{}\0", 3, &o), KEFU_E_INVALID_UTF8);
	/* a BOM in UTF-16 is just invalid UTF-8 */
	ck_assert_int_eq(json_body_parse(A, "\xff\xfe{\0}\0", 6, &o), KEFU_E_INVALID_UTF8);
}
END_TEST

START_TEST(json_body_object_type)
{
	json_object *o;
	ck_assert_int_eq(json_body_object(A, "[1]", 3, &o), KEFU_E_INVALID_JSON);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(json_body_object(A, "\"x\"", 3, &o), KEFU_E_INVALID_JSON);
	ck_assert_int_eq(json_body_object(A, "{}", 2, &o), KEFU_OK);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(json_body_object(A, "{", 1, &o), KEFU_E_INVALID_JSON);
}
END_TEST

/* Parse a body that tests know to be a valid object. */
static json_object *obj(const char *s)
{
	json_object *o = NULL;
	ck_assert_int_eq(json_body_object(A, s, strlen(s), &o), KEFU_OK);
	return o;
}

START_TEST(jb_strings)
{
	json_object *o = obj("{\"name\":\"张三\",\"e\":\"\",\"n\":5,\"z\":\"a\\u0000b\",\"nul\":null,"
	                     "\"sur\":\"\\ud800\",\"long\":\"abcdef\"}");
	const char *s, *bad = NULL;
	ck_assert_int_eq(jb_string(o, "name", true, 1, 2, &s, &bad), KEFU_OK);
	ck_assert_str_eq(s, "张三");
	ck_assert_int_eq(jb_string(o, "name", true, 3, 10, &s, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "name");
	ck_assert_ptr_null(s);
	ck_assert_int_eq(jb_string(o, "long", true, 0, 5, &s, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_string(o, "e", true, 0, 5, &s, &bad), KEFU_OK);
	ck_assert_str_eq(s, "");
	ck_assert_int_eq(jb_string(o, "e", true, 1, 5, &s, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_string(o, "n", false, 0, 5, &s, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "n");
	ck_assert_int_eq(jb_string(o, "z", false, 0, 5, &s, &bad), KEFU_E_INVALID_FIELD);
	/* json-c turns a lone surrogate escape into U+FFFD, which is valid */
	ck_assert_int_eq(jb_string(o, "sur", false, 0, 5, &s, NULL), KEFU_OK);
	ck_assert_int_eq(jb_string(o, "missing", false, 0, 5, &s, &bad), KEFU_OK);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(jb_string(o, "nul", false, 0, 5, &s, &bad), KEFU_OK);
	ck_assert_ptr_null(s);
	ck_assert(jb_is_null(o, "nul"));
	ck_assert(!jb_is_null(o, "missing"));
	ck_assert(!jb_is_null(o, "e"));
	ck_assert(!jb_is_null(NULL, "e"));
	bad = NULL;
	ck_assert_int_eq(jb_string(o, "missing", true, 0, 5, &s, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "missing");
	ck_assert_int_eq(jb_string(o, "nul", true, 0, 5, &s, NULL), KEFU_E_INVALID_FIELD);
	/* an empty body has no fields */
	ck_assert_int_eq(jb_string(NULL, "name", false, 0, 5, &s, &bad), KEFU_OK);
	ck_assert_int_eq(jb_string(NULL, "name", true, 0, 5, &s, &bad), KEFU_E_INVALID_FIELD);
	/* a non-object where an object was expected */
	json_object *arr;
	ck_assert_int_eq(json_body_parse(A, "[1]", 3, &arr), KEFU_OK);
	ck_assert_int_eq(jb_string(arr, "name", false, 0, 5, &s, &bad), KEFU_E_INVALID_JSON);
}
END_TEST

START_TEST(jb_ints)
{
	json_object *o = obj("{\"i\":7,\"neg\":-3,\"f\":1.0,\"s\":\"5\",\"b\":true,"
	                     "\"max\":9223372036854775807,\"over\":9223372036854775808,"
	                     "\"huge\":99999999999999999999,\"min\":-9223372036854775808,"
	                     "\"tiny\":-99999999999999999999,\"zero\":0}");
	int64_t v = -1;
	bool present = true;
	const char *bad = NULL;
	ck_assert_int_eq(jb_int64(o, "i", true, 0, 10, &v, &present, &bad), KEFU_OK);
	ck_assert_int_eq(v, 7);
	ck_assert(present);
	ck_assert_int_eq(jb_int64(o, "i", true, 8, 10, &v, &present, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "i");
	ck_assert_int_eq(jb_int64(o, "neg", true, -5, 0, &v, NULL, &bad), KEFU_OK);
	ck_assert_int_eq(v, -3);
	const char *wrong[] = {"f", "s", "b", "over", "huge", "min", "tiny"};
	for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++)
		ck_assert_msg(jb_int64(o, wrong[i], true, INT64_MIN, INT64_MAX, &v, NULL, &bad) == KEFU_E_INVALID_FIELD,
		              "%s", wrong[i]);
	ck_assert_int_eq(jb_int64(o, "max", true, INT64_MIN, INT64_MAX, &v, NULL, &bad), KEFU_OK);
	ck_assert_int_eq(v, INT64_MAX);
	v = 99;
	ck_assert_int_eq(jb_int64(o, "absent", false, 0, 1, &v, &present, &bad), KEFU_OK);
	ck_assert(!present);
	ck_assert_int_eq(v, 99); /* the default survives */
	ck_assert_int_eq(jb_id(o, "i", true, &v, &present, &bad), KEFU_OK);
	ck_assert_int_eq(jb_id(o, "zero", true, &v, &present, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_id(o, "neg", true, &v, &present, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_id(o, "max", true, &v, &present, &bad), KEFU_OK);
	ck_assert_int_eq(jb_id(o, "absent", true, &v, &present, &bad), KEFU_E_INVALID_FIELD);
}
END_TEST

START_TEST(jb_bools_enums_objects)
{
	json_object *o = obj("{\"t\":true,\"f\":false,\"one\":1,\"st\":\"open\",\"x\":\"Open\","
	                     "\"sub\":{\"k\":1},\"arr\":[]}");
	bool b = false, present = false;
	const char *bad = NULL;
	ck_assert_int_eq(jb_bool(o, "t", true, &b, &present, &bad), KEFU_OK);
	ck_assert(b && present);
	ck_assert_int_eq(jb_bool(o, "f", true, &b, NULL, &bad), KEFU_OK);
	ck_assert(!b);
	ck_assert_int_eq(jb_bool(o, "one", true, &b, NULL, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_bool(o, "st", true, &b, NULL, &bad), KEFU_E_INVALID_FIELD);
	b = true;
	ck_assert_int_eq(jb_bool(o, "no", false, &b, &present, &bad), KEFU_OK);
	ck_assert(b && !present);

	static const char *const states[] = {"open", "closed", NULL};
	const char *s;
	ck_assert_int_eq(jb_enum(o, "st", true, states, &s, &bad), KEFU_OK);
	ck_assert_ptr_eq(s, states[0]);
	ck_assert_int_eq(jb_enum(o, "x", true, states, &s, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "x");
	ck_assert_int_eq(jb_enum(o, "one", true, states, &s, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_enum(o, "no", false, states, &s, &bad), KEFU_OK);
	ck_assert_ptr_null(s);

	json_object *sub;
	ck_assert_int_eq(jb_object(o, "sub", true, &sub, &bad), KEFU_OK);
	int64_t k;
	ck_assert_int_eq(jb_int64(sub, "k", true, 0, 5, &k, NULL, &bad), KEFU_OK);
	ck_assert_int_eq(jb_object(o, "arr", true, &sub, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_object(o, "no", false, &sub, &bad), KEFU_OK);
	ck_assert_ptr_null(sub);
	ck_assert_int_eq(jb_object(o, "no", true, &sub, &bad), KEFU_E_INVALID_FIELD);
}
END_TEST

START_TEST(jb_arrays)
{
	json_object *o = obj("{\"ids\":[3,1,3],\"empty\":[],\"zero\":[1,0],\"mixed\":[1,\"2\"],"
	                     "\"obj\":{},\"tags\":[\"a\",\"中文\"],\"badtags\":[\"a\",\"\"],"
	                     "\"nested\":[[1]],\"nulls\":[null]}");
	int64_t *ids;
	size_t n;
	const char *bad = NULL;
	ck_assert_int_eq(jb_id_array(o, "ids", true, 10, A, &ids, &n, &bad), KEFU_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(ids[0], 3);
	ck_assert_int_eq(ids[2], 3);
	ck_assert_int_eq(jb_id_array(o, "ids", true, 2, A, &ids, &n, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_id_array(o, "empty", true, 2, A, &ids, &n, &bad), KEFU_OK);
	ck_assert_ptr_nonnull(ids);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(jb_id_array(o, "absent", false, 2, A, &ids, &n, &bad), KEFU_OK);
	ck_assert_ptr_null(ids);
	const char *wrong[] = {"zero", "mixed", "obj", "tags", "nested", "nulls"};
	for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
		ck_assert_msg(jb_id_array(o, wrong[i], true, 10, A, &ids, &n, &bad) == KEFU_E_INVALID_FIELD, "%s",
		              wrong[i]);
		ck_assert_str_eq(bad, wrong[i]);
		ck_assert_ptr_null(ids);
	}

	const char **tags;
	ck_assert_int_eq(jb_string_array(o, "tags", true, 5, 1, 10, A, &tags, &n, &bad), KEFU_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(tags[1], "中文");
	ck_assert_int_eq(jb_string_array(o, "tags", true, 1, 1, 10, A, &tags, &n, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_string_array(o, "tags", true, 5, 1, 1, A, &tags, &n, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_string_array(o, "badtags", true, 5, 1, 10, A, &tags, &n, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_string_array(o, "ids", true, 5, 0, 10, A, &tags, &n, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_int_eq(jb_string_array(o, "empty", true, 5, 1, 10, A, &tags, &n, &bad), KEFU_OK);
	ck_assert_ptr_nonnull(tags);
	ck_assert_int_eq(jb_string_array(o, "absent", true, 5, 1, 10, A, &tags, &n, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "absent");
}
END_TEST

START_TEST(json_freed_at_reset)
{
	/* ASan/LSan in the sanitizer build proves the deferred put runs. */
	json_object *o;
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(jp("{\"a\":[1,2,{\"b\":\"c\"}]}", &o), KEFU_OK);
		arena_reset(A);
	}
}
END_TEST

/* A fresh thread, as each of the worker's starts: its locale is the global one, whose duplicate json-c's every parse
 * took under glibc's locale lock; after json_thread_init it is the C locale object, duplicated as itself (no lock), and
 * numbers still parse in the C locale. */
static void *c_locale_thread(void *arg)
{
	int *ok = arg;
	ok[0] = uselocale((locale_t)0) == LC_GLOBAL_LOCALE;
	json_thread_init();
	locale_t l = uselocale((locale_t)0), d = duplocale(l);
	ok[1] = l != LC_GLOBAL_LOCALE && d == l;
	freelocale(d);
	json_object *o = json_tokener_parse("[1.5]");
	ok[2] = o != NULL && json_object_get_double(json_object_array_get_idx(o, 0)) == 1.5;
	json_object_put(o);
	return NULL;
}

START_TEST(json_thread_parses_without_the_locale_lock)
{
	int ok[3] = {0};
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, c_locale_thread, ok), 0);
	pthread_join(t, NULL);
	ck_assert_msg(ok[0], "a new thread starts in the global locale");
	ck_assert_msg(ok[1], "the thread's locale is duplicated as itself");
	ck_assert_msg(ok[2], "1.5 parses as 1.5");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = check_case(s, "parse",
	                       CHECK_TESTS(form_basic, form_plus_and_escapes, form_empty_pairs_and_duplicates,
	                                   form_bad_escapes, form_bad_utf8, form_pair_cap, url_decode_component,
	                                   cookies_basic, cookies_garbage, cookies_cap, media_types, multipart_basic,
	                                   multipart_quoted_boundary_and_lf, multipart_boundary_inside_data,
	                                   multipart_errors, multipart_huge_header, multipart_part_cap, json_parse_ok,
	                                   json_parse_empty, json_parse_bad, json_parse_depth, json_parse_utf8,
	                                   json_body_object_type, jb_strings, jb_ints, jb_bools_enums_objects,
	                                   jb_arrays, json_freed_at_reset, json_thread_parses_without_the_locale_lock));
	tcase_add_loop_test(tc, multipart_filenames, 0, sizeof filenames / sizeof filenames[0]);
	tcase_add_checked_fixture(tc, setup, teardown);
	return check_run(s);
}
