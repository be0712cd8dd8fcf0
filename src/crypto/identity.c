/* identity: legacy custom_params with EVP AES-ECB; every failure is the same KEFU_E_IDENTITY_INVALID. */
#include "crypto/identity.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "crypto/hash.h"
#include "crypto/json-strict.h"
#include "crypto/random.h"

/* Decodes the channel key into key[32]; returns its length (16/24/32) or 0. */
static size_t decode_key(const char *key_b64, unsigned char key[32])
{
	if (!key_b64)
		return 0;
	size_t klen = 0, slen = strlen(key_b64);
	if (slen > 64)
		return 0;
	unsigned char *raw = crypto_b64_decode(key_b64, slen, CRYPTO_B64_STD, &klen);
	if (!raw)
		return 0;
	if (klen != 16 && klen != 24 && klen != 32) {
		OPENSSL_cleanse(raw, klen);
		free(raw);
		return 0;
	}
	memcpy(key, raw, klen);
	OPENSSL_cleanse(raw, klen);
	free(raw);
	return klen;
}

static const EVP_CIPHER *ecb_for(size_t klen)
{
	switch (klen) {
	case 16: return EVP_aes_128_ecb();
	case 24: return EVP_aes_192_ecb();
	default: return EVP_aes_256_ecb();
	}
}

bool identity_key_valid(const char *key_b64)
{
	unsigned char key[32];
	size_t klen = decode_key(key_b64, key);
	OPENSSL_cleanse(key, sizeof key);
	return klen != 0;
}

/* Runs one whole ECB pass with padding on. Returns the output length or -1. */
static long ecb_run(int enc, const unsigned char *key, size_t klen, const unsigned char *in, size_t n,
                    unsigned char *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;
	bool ok = ctx && EVP_CipherInit_ex(ctx, ecb_for(klen), NULL, key, NULL, enc) == 1 &&
	          EVP_CIPHER_CTX_set_padding(ctx, 1) == 1 && EVP_CipherUpdate(ctx, out, &l1, in, (int)n) == 1 &&
	          EVP_CipherFinal_ex(ctx, out + l1, &l2) == 1;
	/* Freeing the context cleanses its key schedule. */
	EVP_CIPHER_CTX_free(ctx);
	return ok ? (long)l1 + l2 : -1;
}

kefu_err identity_decrypt_legacy(const char *key_b64, const char *hex, json_object **out)
{
	unsigned char key[32];
	unsigned char ct[IDENTITY_MAX_CIPHERTEXT];
	/* One block more than the input: EVP's contract for the output buffer. */
	unsigned char pt[IDENTITY_MAX_CIPHERTEXT + 16];
	kefu_err rc = KEFU_E_IDENTITY_INVALID;
	*out = NULL;
	size_t klen = decode_key(key_b64, key);
	if (!klen || !hex)
		goto done;
	size_t hlen = strnlen(hex, 2 * IDENTITY_MAX_CIPHERTEXT + 1);
	long n = crypto_hex_decode(hex, hlen, ct, sizeof ct);
	if (n <= 0 || n % 16 != 0)
		goto done;
	long m = ecb_run(0, key, klen, ct, (size_t)n, pt);
	if (m < 0)
		goto done;
	/* Wrong key or tampered blocks usually fail the padding above; when they
	 * do not, garbage fails here: invalid UTF-8 or not a JSON object. */
	*out = crypto_json_object((const char *)pt, (size_t)m);
	if (*out)
		rc = KEFU_OK;
done:
	OPENSSL_cleanse(key, sizeof key);
	OPENSSL_cleanse(pt, sizeof pt);
	return rc;
}

char *identity_encrypt_legacy(const char *key_b64, const char *json)
{
	unsigned char key[32];
	unsigned char ct[IDENTITY_MAX_CIPHERTEXT];
	char *hex = NULL;
	size_t klen = decode_key(key_b64, key);
	size_t n = json ? strlen(json) : 0;
	/* PKCS#5 always adds 1..16 bytes. */
	if (!klen || !json || n / 16 * 16 + 16 > IDENTITY_MAX_CIPHERTEXT)
		goto done;
	long m = ecb_run(1, key, klen, (const unsigned char *)json, n, ct);
	if (m < 0)
		goto done;
	hex = malloc(2 * (size_t)m + 1);
	if (hex)
		crypto_hex_encode(ct, (size_t)m, true, hex);
done:
	OPENSSL_cleanse(key, sizeof key);
	return hex;
}

char *identity_key_generate(int bits)
{
	unsigned char key[32];
	if (bits != 128 && bits != 192 && bits != 256)
		return NULL;
	size_t n = (size_t)bits / 8;
	if (crypto_random(key, n) != 0)
		return NULL;
	char *b64 = crypto_b64_encode(key, n, CRYPTO_B64_STD);
	OPENSSL_cleanse(key, sizeof key);
	return b64;
}
