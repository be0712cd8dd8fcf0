/* hash: thin, strict wrappers over OpenSSL digests, HMAC and base64 so callers never touch EVP. */
#include "crypto/hash.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "core/text.h"
/* SHA-256 fetched from its provider once: EVP_sha256() makes every digest
 * look the algorithm up again (OpenSSL 3's implicit fetch, under the
 * provider store's lock), which was a twentieth of a worker's CPU when each
 * visitor request hashes its token. Each thread keeps one context for it:
 * EVP_Digest allocates, sets up and frees a context per call (0.39 against
 * 0.23 µs of CPU a digest, 8 threads on 2 cores). The context is freed when
 * its thread ends. */
static EVP_MD *sha256_md;
static pthread_key_t sha256_key;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (sha256_md == NULL || pthread_key_create(&sha256_key, sha256_ctx_free) != 0)
		abort();
}

void crypto_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	pthread_once(&sha256_once, sha256_fetch);
	EVP_MD_CTX *ctx = pthread_getspecific(sha256_key);
	if (ctx == NULL) {
		ctx = EVP_MD_CTX_new();
		if (ctx == NULL || pthread_setspecific(sha256_key, ctx) != 0)
			abort();
	}
	/* These only fail on allocation; a zero digest would be a silent
	 * collision, so a failure here is treated as a broken invariant. */
	if (EVP_DigestInit_ex2(ctx, sha256_md, NULL) != 1 || EVP_DigestUpdate(ctx, data, n) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, NULL) != 1)
		abort();
	crypto_hex_encode(md, sizeof md, false, out);
}

int crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t n, unsigned char out[32])
{
	unsigned int len = 0;
	/* HMAC() treats a NULL key as "reuse the previous one"; give it a real pointer. */
	static const unsigned char empty;
	if (keylen > INT_MAX ||
	    HMAC(EVP_sha256(), key ? key : &empty, (int)keylen, data ? data : &empty, n, out, &len) == NULL ||
	    len != 32) {
		OPENSSL_cleanse(out, 32);
		return -1;
	}
	return 0;
}

int crypto_hmac_sha256_hex(const void *key, size_t keylen, const void *data, size_t n, char out[65])
{
	unsigned char mac[32];
	if (crypto_hmac_sha256(key, keylen, data, n, mac) != 0) {
		out[0] = '\0';
		return -1;
	}
	crypto_hex_encode(mac, sizeof mac, false, out);
	OPENSSL_cleanse(mac, sizeof mac);
	return 0;
}

bool crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

/* 1 GiB keeps every length inside the int that EVP_EncodeBlock/DecodeBlock take. */
#define B64_MAX ((size_t)1 << 30)

char *crypto_b64_encode(const void *data, size_t n, int flags)
{
	if (n > B64_MAX)
		return NULL;
	size_t cap = 4 * ((n + 2) / 3) + 1;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	int len = EVP_EncodeBlock((unsigned char *)out, data, (int)n);
	if (flags & CRYPTO_B64_URL) {
		for (int i = 0; i < len; i++) {
			if (out[i] == '+')
				out[i] = '-';
			else if (out[i] == '/')
				out[i] = '_';
		}
	}
	if (flags & CRYPTO_B64_NOPAD) {
		while (len > 0 && out[len - 1] == '=')
			len--;
	}
	out[len] = '\0';
	return out;
}

/* The 6-bit value of c in the chosen alphabet, or -1. Only the alphabet is
 * ours; the decoding itself is EVP_DecodeBlock's. */
static int b64_value(unsigned char c, bool url)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

unsigned char *crypto_b64_decode(const char *s, size_t len, int flags, size_t *outlen)
{
	bool url = flags & CRYPTO_B64_URL;
	size_t data_len = len, pad = 0;
	*outlen = 0;
	if (len > B64_MAX || (!s && len))
		return NULL;
	if (flags & CRYPTO_B64_NOPAD) {
		if (len % 4 == 1)
			return NULL;
	} else {
		if (len % 4 != 0)
			return NULL;
		while (pad < 2 && data_len > 0 && s[data_len - 1] == '=') {
			data_len--;
			pad++;
		}
		/* "xx==" is the shortest padded group: a group of only '=' is not. */
		if (pad && data_len % 4 < 2)
			return NULL;
	}
	int last = 0;
	for (size_t i = 0; i < data_len; i++) {
		last = b64_value((unsigned char)s[i], url);
		if (last < 0)
			return NULL;
	}
	/* Non-zero unused bits would give a second spelling of the same bytes. */
	size_t rem = data_len % 4;
	if ((rem == 2 && (last & 0x0F)) || (rem == 3 && (last & 0x03)))
		return NULL;

	size_t full = data_len + (rem ? 4 - rem : 0);
	size_t nbytes = data_len / 4 * 3 + (rem ? rem - 1 : 0);
	char *std = malloc(full + 1);
	unsigned char *out = malloc(full / 4 * 3 + 1);
	if (!std || !out) {
		free(std);
		free(out);
		return NULL;
	}
	for (size_t i = 0; i < data_len; i++) {
		char c = s[i];
		if (url && c == '-')
			c = '+';
		else if (url && c == '_')
			c = '/';
		std[i] = c;
	}
	for (size_t i = data_len; i < full; i++)
		std[i] = '=';
	std[full] = '\0';
	int got = full ? EVP_DecodeBlock(out, (unsigned char *)std, (int)full) : 0;
	free(std);
	/* EVP_DecodeBlock counts padding as zero bytes: it must say exactly full/4*3. */
	if (got < 0 || (size_t)got != full / 4 * 3) {
		free(out);
		return NULL;
	}
	out[nbytes] = '\0';
	*outlen = nbytes;
	return out;
}

void crypto_hex_encode(const void *data, size_t n, bool upper, char *out)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const unsigned char *p = data;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0F];
	}
	out[2 * n] = '\0';
}

long crypto_hex_decode(const char *hex, size_t len, unsigned char *out, size_t outcap)
{
	if (len % 2 != 0 || len / 2 > outcap || len / 2 > LONG_MAX)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hex_digit((unsigned char)hex[i]);
		int lo = hex_digit((unsigned char)hex[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return (long)(len / 2);
}
