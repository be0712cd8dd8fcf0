/* random: bytes and tokens from the OpenSSL CSPRNG for sessions, CSRF, API and visitor tokens. */
#ifndef KEFU_CRYPTO_RANDOM_H
#define KEFU_CRYPTO_RANDOM_H

#include <stddef.h>

/* Fills buf[0..n) from RAND_bytes. Returns 0, or -1 when the generator
 * failed (buf is then zeroed so it can never be mistaken for random). */
int crypto_random(void *buf, size_t n);

/* A fresh token of `bytes` random bytes (raised to 16, so at least 128
 * bits; at most 1024) as URL-safe base64 without padding: safe in URLs,
 * cookies, headers and file names. Malloc'd, caller frees; NULL when the
 * generator or malloc failed. Store only crypto_sha256_hex() of it. */
char *crypto_token(size_t bytes);

#endif
