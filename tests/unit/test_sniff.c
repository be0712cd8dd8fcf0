/* test_sniff: upload type sniffing: the four inline image signatures, SVG/HTML/anything else as downloads, truncated
 * headers. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "domain/sniff.h"
#include "check-main.h"

#define SNIFF(lit) sniff_type((const unsigned char *)(lit), sizeof(lit) - 1)

START_TEST(image_signatures)
{
	ck_assert_str_eq(SNIFF("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png");
	ck_assert_str_eq(SNIFF("\xff\xd8\xff\xe0\0\x10JFIF"), "image/jpeg");
	ck_assert_str_eq(SNIFF("\xff\xd8\xff"), "image/jpeg"); /* the three bytes are the whole signature */
	ck_assert_str_eq(SNIFF("GIF87a\x01\0\x01\0"), "image/gif");
	ck_assert_str_eq(SNIFF("GIF89a\x01\0\x01\0"), "image/gif");
	ck_assert_str_eq(SNIFF("RIFF\x24\0\0\0WEBPVP8 "), "image/webp");
	ck_assert_str_eq(SNIFF("RIFF\x24\0\0\0WEBPVP8L"), "image/webp");
	ck_assert_str_eq(SNIFF("RIFF\x24\0\0\0WEBPVP8X"), "image/webp");
	ck_assert(sniff_is_image("image/png") && sniff_is_image("image/jpeg") && sniff_is_image("image/gif") &&
	          sniff_is_image("image/webp"));
}
END_TEST

/* Markup can carry script: whatever it claims, it is never an inline image. */
START_TEST(markup_is_not_an_image)
{
	const char *octet = "application/octet-stream";
	ck_assert_str_eq(SNIFF("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"), octet);
	ck_assert_str_eq(SNIFF("<?xml version=\"1.0\"?><svg/>"), octet);
	ck_assert_str_eq(SNIFF("<!DOCTYPE html><html><body>x</body></html>"), octet);
	ck_assert_str_eq(SNIFF("\xef\xbb\xbf<html>"), octet);
	/* An image signature later in the file does not count. */
	ck_assert_str_eq(SNIFF("<html>\x89PNG\r\n\x1a\n"), octet);
	ck_assert_str_eq(SNIFF("%PDF-1.7"), octet);
	ck_assert_str_eq(SNIFF("RIFF\x24\0\0\0WAVEfmt "), octet); /* RIFF, but audio */
	ck_assert_str_eq(SNIFF("gif89a"), octet);                 /* case matters */
	ck_assert(!sniff_is_image("image/svg+xml"));
	ck_assert(!sniff_is_image("text/html"));
	ck_assert(!sniff_is_image(octet));
	ck_assert(!sniff_is_image(NULL));
	ck_assert(!sniff_is_image("image/PNG"));
}
END_TEST

START_TEST(truncated_headers)
{
	const char *octet = "application/octet-stream";
	ck_assert_str_eq(sniff_type(NULL, 0), octet);
	ck_assert_str_eq(SNIFF(""), octet);
	ck_assert_str_eq(SNIFF("\x89PNG\r\n\x1a"), octet); /* 7 of 8 bytes */
	ck_assert_str_eq(SNIFF("\xff\xd8"), octet);
	ck_assert_str_eq(SNIFF("GIF89"), octet);
	ck_assert_str_eq(SNIFF("RIFF\x24\0\0\0WEBPVP"), octet); /* stops one byte short */
	ck_assert_str_eq(SNIFF("RIFF\x24\0\0"), octet);
	/* The length is what counts, not the bytes beyond it. */
	const unsigned char png[] = "\x89PNG\r\n\x1a\n";
	ck_assert_str_eq(sniff_type(png, 7), octet);
	ck_assert_str_eq(sniff_type(png, 8), "image/png");
}
END_TEST

int main(void)
{
	return check_run(
	    check_suite("sniff", "pure", CHECK_TESTS(image_signatures, markup_is_not_an_image, truncated_headers)));
}
