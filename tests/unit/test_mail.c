/* test_mail: what outbound mail looks like on the wire: addresses, RFC 2047 headers, the text part from templates. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "view/i18n.h"
#include "view/mail.h"
#include "view/template.h"
#include "check-main.h"
#include "check-templates.h"

START_TEST(addresses)
{
	static const char *const good[] = {"a@b.cn", "wang.xiaoming+kefu@mail.example.com", "x_y-z@a-b.example", NULL};
	static const char *const bad[] = {
	    "",         "a",        "@b.cn",      "a@",      "a@b",     "a b@c.cn", "a@b.cn\r\nBcc: x@y.cn",
	    "<a@b.cn>", "a,b@c.cn", "a@-b.cn",    "a@b-.cn", "a@b..cn", ".a@b.cn",  "a..b@c.cn",
	    "王@b.cn",  "a@b.cn ",  "\"a\"@b.cn", NULL};
	for (size_t i = 0; good[i]; i++)
		ck_assert_msg(mail_addr_ok(good[i]), "%s", good[i]);
	for (size_t i = 0; bad[i]; i++)
		ck_assert_msg(!mail_addr_ok(bad[i]), "%s", bad[i]);
	ck_assert(!mail_addr_ok(NULL));
}
END_TEST

START_TEST(from)
{
	kefu_arena *a = arena_new();
	const char *name, *addr;
	ck_assert_int_eq(mail_from_parse(a, "noreply@kefu.test", &name, &addr), 0);
	ck_assert_ptr_null(name);
	ck_assert_str_eq(addr, "noreply@kefu.test");
	ck_assert_int_eq(mail_from_parse(a, "客服中心 <noreply@kefu.test>", &name, &addr), 0);
	ck_assert_str_eq(name, "客服中心");
	ck_assert_str_eq(addr, "noreply@kefu.test");
	ck_assert_int_eq(mail_from_parse(a, "\"Kefu, Inc\" <k@kefu.test>", &name, &addr), 0);
	ck_assert_str_eq(name, "Kefu, Inc");
	ck_assert_int_eq(mail_from_parse(a, "Kefu <k@kefu.test", &name, &addr), -1);
	ck_assert_int_eq(mail_from_parse(a, "", &name, &addr), -1);
	arena_free(a);
}
END_TEST

/* The header's encoded-words decoded and joined, as a mail reader does. */
static char *decode_words(const char *h)
{
	static char out[4096];
	out[0] = '\0';
	const char *p = h;
	while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
		p += 10;
		const char *e = strstr(p, "?=");
		ck_assert_ptr_nonnull(e);
		size_t n;
		unsigned char *d = crypto_b64_decode(p, (size_t)(e - p), CRYPTO_B64_STD, &n);
		ck_assert_ptr_nonnull(d);
		strncat(out, (const char *)d, n);
		free(d);
		p = e + 2;
	}
	return out;
}

START_TEST(headers)
{
	kefu_arena *a = arena_new();
	ck_assert_str_eq(mail_header(a, "Subject", "Hello there"), "Subject: Hello there");
	/* A line break in a value cannot start a header of its own. */
	ck_assert_str_eq(mail_header(a, "Subject", "Hi\r\nBcc: evil@x.cn"), "Subject: Hi  Bcc: evil@x.cn");
	const char *zh = "新留言 · 旗舰店的一位访客给您留了一条很长很长的消息，请尽快回复，谢谢！";
	const char *h = mail_header(a, "Subject", zh);
	ck_assert_msg(strncmp(h, "Subject: =?UTF-8?B?", 19) == 0, "%s", h);
	ck_assert_str_eq(decode_words(h), zh);
	/* 7-bit, words of at most 75 characters, lines within 76, folded with CRLF SP. */
	size_t line = 0, word = 0;
	for (const char *p = h; *p; p++) {
		ck_assert((unsigned char)*p < 128);
		if (*p == '\r') {
			ck_assert(p[1] == '\n' && p[2] == ' ');
			ck_assert_uint_le(line, 76);
			line = 0;
			p++;
			continue;
		}
		line++;
	}
	ck_assert_uint_le(line, 76);
	for (const char *p = strstr(h, "=?"); p; p = strstr(p + 2, "=?")) {
		word = (size_t)(strstr(p, "?=") + 2 - p);
		ck_assert_uint_le(word, 75);
	}
	ck_assert_ptr_nonnull(strstr(h, "\r\n ")); /* long enough to fold */
	arena_free(a);
}
END_TEST

START_TEST(mailboxes)
{
	kefu_arena *a = arena_new();
	ck_assert_str_eq(mail_mailbox_header(a, "To", NULL, "a@b.cn"), "To: a@b.cn");
	ck_assert_str_eq(mail_mailbox_header(a, "To", "Anna Smith", "a@b.cn"), "To: Anna Smith\r\n <a@b.cn>");
	ck_assert_str_eq(mail_mailbox_header(a, "To", "Anna \"A.\" <Smith>", "a@b.cn"),
	                 "To: \"Anna \\\"A.\\\" <Smith>\"\r\n <a@b.cn>");
	const char *h = mail_mailbox_header(a, "To", "王小明", "w@b.cn");
	ck_assert_str_eq(h, "To: =?UTF-8?B?546L5bCP5piO?=\r\n <w@b.cn>");
	ck_assert_str_eq(mail_date_header(a, 0), "Date: Thu, 01 Jan 1970 00:00:00 +0000");
	arena_free(a);
}
END_TEST

START_TEST(text_part)
{
	char err[512] = "";
	struct check_tpl tree = check_tree();
	json_object *d =
	    json_tokener_parse("{\"channel\": \"A & B <shop>\", \"created_at\": \"2026-12-06 20:15 UTC\","
	                       " \"fields\": [{\"label\": \"留言\", \"value\": \"x < y &amp; z\\nline 2\"}],"
	                       " \"inbox_url\": \"http://kefu.test/workbench\"}");
	char *out;
	ck_assert_int_eq(mail_render_text(tree.t, "mail-leave-message-text", d, "en", &out, err, sizeof err), 0);
	ck_assert_msg(strncmp(out, "A visitor left a message", 24) == 0, "%s", out);
	ck_assert_msg(strstr(out, "Channel: A & B <shop>\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "留言: x < y &amp; z\nline 2\n") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "http://kefu.test/workbench") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(mail_render_text(tree.t, "mail-leave-message-subject", d, "zh-CN", &out, err, sizeof err), 0);
	ck_assert_str_eq(out, "新留言 · A & B <shop>");
	free(out);
	ck_assert_int_eq(mail_render_text(tree.t, "mail-no-such", d, "en", &out, err, sizeof err), -1);
	ck_assert_ptr_null(out);
	json_object_put(d);
	check_tpl_free(tree);
}
END_TEST

int main(void)
{
	return check_run(check_suite("mail", "mail", CHECK_TESTS(addresses, from, headers, mailboxes, text_part)));
}
