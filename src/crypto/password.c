/* password: scrypt via EVP_KDF with parameters parsed back from the stored string. */
#include "crypto/password.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto/hash.h"
#include "crypto/random.h"

#define DEFAULT_LN 15
#define DEFAULT_R  8
#define DEFAULT_P  1
#define SALT_LEN   16
#define HASH_LEN   32
#define MAX_MEM    ((uint64_t)256 << 20)

struct params {
	unsigned ln, r, p;
};

static unsigned current_ln(void)
{
	const char *e = getenv("KEFU_SCRYPT_LN");
	if (e && *e) {
		char *end;
		long v = strtol(e, &end, 10);
		if (*end == '\0' && v >= 1 && v <= DEFAULT_LN)
			return (unsigned)v;
	}
	return DEFAULT_LN;
}

static bool params_sane(const struct params *pp)
{
	if (pp->ln < 1 || pp->ln > 20 || pp->r < 1 || pp->r > 32 || pp->p < 1 || pp->p > 16)
		return false;
	return (uint64_t)128 * pp->r * ((uint64_t)1 << pp->ln) * pp->p <= MAX_MEM;
}

static int derive(const char *pw, size_t pwlen, const unsigned char *salt, size_t saltlen, const struct params *pp,
                  unsigned char *out, size_t outlen)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	uint64_t n = (uint64_t)1 << pp->ln;
	uint32_t r = pp->r, p = pp->p;
	/* OpenSSL's default limit is 32 MiB, which the default cost just exceeds
	 * once its bookkeeping is counted; params_sane() is the real cap. */
	uint64_t maxmem = MAX_MEM + ((uint64_t)1 << 20);
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)pw, pwlen),
	    OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen),
	    OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
	    OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
	    OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
	    OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
	    OSSL_PARAM_construct_end(),
	};
	int rc = ctx && EVP_KDF_derive(ctx, out, outlen, params) == 1 ? 0 : -1;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

/* Parses "$scrypt$ln=L,r=R,p=P$salt$hash" into its parts. The salt and hash
 * are malloc'd (caller frees) only on success. */
static bool parse(const char *stored, struct params *pp, unsigned char **salt, size_t *saltlen, unsigned char **hash,
                  size_t *hashlen)
{
	unsigned ln, r, p;
	int used = 0;
	if (!stored || strlen(stored) > 512)
		return false;
	if (sscanf(stored, "$scrypt$ln=%2u,r=%2u,p=%2u$%n", &ln, &r, &p, &used) != 3 || used == 0)
		return false;
	/* sscanf skips spaces and signs; insist on the exact canonical text. */
	char canon[64];
	snprintf(canon, sizeof canon, "$scrypt$ln=%u,r=%u,p=%u$", ln, r, p);
	if (strncmp(stored, canon, (size_t)used) != 0 || strlen(canon) != (size_t)used)
		return false;
	pp->ln = ln;
	pp->r = r;
	pp->p = p;
	if (!params_sane(pp))
		return false;
	const char *s = stored + used;
	const char *dollar = strchr(s, '$');
	if (!dollar)
		return false;
	*salt = crypto_b64_decode(s, (size_t)(dollar - s), CRYPTO_B64_NOPAD, saltlen);
	if (!*salt)
		return false;
	*hash = crypto_b64_decode(dollar + 1, strlen(dollar + 1), CRYPTO_B64_NOPAD, hashlen);
	if (!*hash || *saltlen < 8 || *saltlen > 64 || *hashlen < 16 || *hashlen > 64) {
		free(*salt);
		free(*hash);
		return false;
	}
	return true;
}

char *password_hash(const char *pw)
{
	unsigned char salt[SALT_LEN], hash[HASH_LEN];
	struct params pp = {current_ln(), DEFAULT_R, DEFAULT_P};
	char *out = NULL, *s64 = NULL, *h64 = NULL;
	size_t pwlen = pw ? strlen(pw) : 0;
	if (!pw || pwlen > PASSWORD_MAX_LEN || crypto_random(salt, sizeof salt) != 0 ||
	    derive(pw, pwlen, salt, sizeof salt, &pp, hash, sizeof hash) != 0)
		goto done;
	s64 = crypto_b64_encode(salt, sizeof salt, CRYPTO_B64_NOPAD);
	h64 = crypto_b64_encode(hash, sizeof hash, CRYPTO_B64_NOPAD);
	if (!s64 || !h64)
		goto done;
	size_t cap = strlen(s64) + strlen(h64) + 64;
	out = malloc(cap);
	if (out)
		snprintf(out, cap, "$scrypt$ln=%u,r=%u,p=%u$%s$%s", pp.ln, pp.r, pp.p, s64, h64);
done:
	OPENSSL_cleanse(hash, sizeof hash);
	free(s64);
	if (h64)
		OPENSSL_cleanse(h64, strlen(h64));
	free(h64);
	return out;
}

bool password_verify(const char *pw, const char *stored)
{
	struct params pp;
	unsigned char *salt = NULL, *hash = NULL;
	size_t saltlen = 0, hashlen = 0;
	unsigned char calc[64];
	size_t pwlen = pw ? strlen(pw) : 0;
	bool ok = pw && pwlen <= PASSWORD_MAX_LEN && parse(stored, &pp, &salt, &saltlen, &hash, &hashlen);
	if (!ok) {
		/* Spend what a real check at the default cost would, then say no. */
		static const unsigned char dummy_salt[SALT_LEN];
		struct params def = {current_ln(), DEFAULT_R, DEFAULT_P};
		(void)derive(pw ? pw : "", pw && pwlen <= PASSWORD_MAX_LEN ? pwlen : 0, dummy_salt, sizeof dummy_salt,
		             &def, calc, HASH_LEN);
		OPENSSL_cleanse(calc, sizeof calc);
		return false;
	}
	ok = derive(pw, pwlen, salt, saltlen, &pp, calc, hashlen) == 0 && crypto_equal(calc, hash, hashlen);
	OPENSSL_cleanse(calc, sizeof calc);
	OPENSSL_cleanse(hash, hashlen);
	free(salt);
	free(hash);
	return ok;
}

bool password_needs_rehash(const char *stored)
{
	struct params pp;
	unsigned char *salt = NULL, *hash = NULL;
	size_t saltlen = 0, hashlen = 0;
	if (!parse(stored, &pp, &salt, &saltlen, &hash, &hashlen))
		return true;
	free(salt);
	OPENSSL_cleanse(hash, hashlen);
	free(hash);
	return pp.ln != current_ln() || pp.r != DEFAULT_R || pp.p != DEFAULT_P || saltlen != SALT_LEN ||
	       hashlen != HASH_LEN;
}
