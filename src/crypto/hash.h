/* hash: SHA-256, HMAC-SHA256, constant-time compare, base64 and hex codecs (OpenSSL underneath). */
#ifndef KEFU_CRYPTO_HASH_H
#define KEFU_CRYPTO_HASH_H

#include <stdbool.h>
#include <stddef.h>

/* Lowercase hex SHA-256 of data[0..n), NUL-terminated in out. Used to store
 * tokens (sessions, API keys, visitor tokens) so a database leak does not
 * leak live credentials. */
void crypto_sha256_hex(const void *data, size_t n, char out[65]);

/* HMAC-SHA256 of data[0..n) under key[0..keylen). Returns 0, or -1 on an
 * OpenSSL failure (out is then zeroed). */
int crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t n, unsigned char out[32]);
/* The same as lowercase hex, NUL-terminated. Returns 0 or -1. */
int crypto_hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t n, char out[65]);

/* True when a[0..n) equals b[0..n); time depends only on n (CRYPTO_memcmp). */
bool crypto_equal(const void *a, const void *b, size_t n);

/* Base64 flavours; combine CRYPTO_B64_URL and CRYPTO_B64_NOPAD freely.
 * Standard (0) is RFC 4648 section 4 with '=' padding; URL is section 5
 * ('-' and '_'); NOPAD drops the trailing '='s (JWS, tokens, PHC strings). */
enum {
	CRYPTO_B64_STD = 0,
	CRYPTO_B64_URL = 1,   /* '-' '_' instead of '+' '/' */
	CRYPTO_B64_NOPAD = 2, /* no trailing '=' */
};

/* Encodes data[0..n). Malloc'd NUL-terminated string, caller frees; NULL
 * when malloc fails or n is absurd (over 1 GiB). */
char *crypto_b64_encode(const void *data, size_t n, int flags);

/* Decodes s[0..len) strictly: only the flavour's alphabet, no whitespace,
 * padding present exactly when the flavour has it (and correct), unused
 * trailing bits zero, so every byte string has exactly one accepted
 * encoding. Returns a malloc'd buffer (caller frees; one extra NUL byte
 * after the data, so text can be used as a C string) and its length in
 * *outlen, or NULL when the input is not valid. "" decodes to length 0. */
unsigned char *crypto_b64_decode(const char *s, size_t len, int flags, size_t *outlen);

/* Writes 2n hex digits of data[0..n) and a NUL to out (2n+1 bytes),
 * lowercase unless upper. */
void crypto_hex_encode(const void *data, size_t n, bool upper, char *out);

/* Decodes hex[0..len), either case, into out[0..outcap). Returns the number
 * of bytes written, or -1 when len is odd, a character is not a hex digit,
 * or the result would not fit in outcap. */
long crypto_hex_decode(const char *hex, size_t len, unsigned char *out, size_t outcap);

#endif
