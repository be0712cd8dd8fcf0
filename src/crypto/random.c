/* random: RAND_bytes and URL-safe tokens; a generator failure is reported, never papered over. */
#include "crypto/random.h"

#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/hash.h"

int crypto_random(void *buf, size_t n)
{
	unsigned char *p = buf;
	while (n > 0) {
		int chunk = n > INT_MAX ? INT_MAX : (int)n;
		if (RAND_bytes(p, chunk) != 1) {
			memset(buf, 0, (size_t)(p - (unsigned char *)buf) + n);
			return -1;
		}
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

char *crypto_token(size_t bytes)
{
	unsigned char raw[1024];
	if (bytes < 16)
		bytes = 16;
	if (bytes > sizeof raw)
		return NULL;
	if (crypto_random(raw, bytes) != 0)
		return NULL;
	char *t = crypto_b64_encode(raw, bytes, CRYPTO_B64_URL | CRYPTO_B64_NOPAD);
	OPENSSL_cleanse(raw, bytes);
	return t;
}
