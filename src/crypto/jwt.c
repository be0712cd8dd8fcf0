/* jwt: HS256 compact JWS for v2 identities; MAC first, then strict JSON, then claim rules. */
#include "crypto/jwt.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/hash.h"
#include "crypto/json-strict.h"

#define B64URL (CRYPTO_B64_URL | CRYPTO_B64_NOPAD)

static const char derivation_label[] = "kefu-identity-v2";

int jwt_derive_key(const char *channel_key_b64, unsigned char out[32])
{
	size_t klen = 0;
	unsigned char *raw = NULL;
	if (channel_key_b64 && strlen(channel_key_b64) <= 64)
		raw = crypto_b64_decode(channel_key_b64, strlen(channel_key_b64), CRYPTO_B64_STD, &klen);
	int rc = -1;
	if (raw && (klen == 16 || klen == 24 || klen == 32))
		rc = crypto_hmac_sha256(raw, klen, derivation_label, sizeof derivation_label - 1, out);
	if (raw) {
		OPENSSL_cleanse(raw, klen);
		free(raw);
	}
	if (rc != 0)
		OPENSSL_cleanse(out, 32);
	return rc;
}

/* A JWT NumericDate: an integer or a finite fraction, never a string or bool. */
static bool numeric_date(json_object *o, double *v)
{
	if (json_object_is_type(o, json_type_int))
		*v = (double)json_object_get_int64(o);
	else if (json_object_is_type(o, json_type_double))
		*v = json_object_get_double(o);
	else
		return false;
	return isfinite(*v);
}

/* The string value of key in o when it is a non-empty string of at most max bytes. */
static const char *short_string(json_object *o, const char *key, size_t max)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	size_t n = (size_t)json_object_get_string_len(v);
	const char *s = json_object_get_string(v);
	/* An embedded NUL would make the C string differ from the JSON one. */
	if (n == 0 || n > max || strlen(s) != n)
		return NULL;
	return s;
}

static json_object *decode_segment(const char *s, size_t n)
{
	size_t len = 0;
	unsigned char *raw = crypto_b64_decode(s, n, B64URL, &len);
	if (!raw)
		return NULL;
	json_object *o = crypto_json_object((const char *)raw, len);
	free(raw);
	return o;
}

static bool header_ok(json_object *h, const char **kid)
{
	json_object *v;
	if (!json_object_object_get_ex(h, "alg", &v) || !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "HS256") != 0 || json_object_get_string_len(v) != 5)
		return false;
	if (json_object_object_get_ex(h, "typ", &v) &&
	    (!json_object_is_type(v, json_type_string) || strcmp(json_object_get_string(v), "JWT") != 0 ||
	     json_object_get_string_len(v) != 3))
		return false;
	/* We understand no extensions, so any "crit" must be refused (RFC 7515 4.1.11). */
	if (json_object_object_get_ex(h, "crit", NULL))
		return false;
	*kid = short_string(h, "kid", JWT_MAX_ID);
	return *kid != NULL;
}

static bool claims_ok(json_object *c, const char *audience, time_t now, const char **jti)
{
	json_object *v;
	double t, dnow = (double)now;
	if (!json_object_object_get_ex(c, "aud", &v) || !json_object_is_type(v, json_type_string))
		return false;
	size_t alen = strlen(audience);
	if ((size_t)json_object_get_string_len(v) != alen || !crypto_equal(json_object_get_string(v), audience, alen))
		return false;
	if (!json_object_object_get_ex(c, "exp", &v) || !numeric_date(v, &t))
		return false;
	if (!(t > dnow - JWT_CLOCK_SKEW && t <= dnow + JWT_MAX_LIFETIME + JWT_CLOCK_SKEW))
		return false;
	if (json_object_object_get_ex(c, "iat", &v) && (!numeric_date(v, &t) || t > dnow + JWT_CLOCK_SKEW))
		return false;
	if (json_object_object_get_ex(c, "nbf", &v) && (!numeric_date(v, &t) || t > dnow + JWT_CLOCK_SKEW))
		return false;
	*jti = short_string(c, "jti", JWT_MAX_ID);
	return *jti != NULL;
}

kefu_err jwt_verify_identity(const char *token, const char *channel_key_b64, const char *audience, time_t now,
                             json_object **claims, char **kid, char **jti)
{
	unsigned char key[32], mac[32];
	unsigned char *sig = NULL;
	size_t siglen = 0;
	json_object *h = NULL, *c = NULL;
	const char *kid_s, *jti_s;
	kefu_err rc = KEFU_E_IDENTITY_INVALID;
	*claims = NULL;
	*kid = NULL;
	*jti = NULL;
	bool have_key = jwt_derive_key(channel_key_b64, key) == 0;
	if (!have_key || !token || !audience || !*audience)
		goto done;
	size_t n = strnlen(token, JWT_MAX_TOKEN + 1);
	if (n > JWT_MAX_TOKEN)
		goto done;
	const char *d1 = memchr(token, '.', n);
	const char *d2 = d1 ? memchr(d1 + 1, '.', n - (size_t)(d1 + 1 - token)) : NULL;
	if (!d1 || !d2 || d1 == token || d2 == d1 + 1 || d2 + 1 == token + n ||
	    memchr(d2 + 1, '.', n - (size_t)(d2 + 1 - token)))
		goto done;
	sig = crypto_b64_decode(d2 + 1, n - (size_t)(d2 + 1 - token), B64URL, &siglen);
	if (!sig || siglen != 32)
		goto done;
	if (crypto_hmac_sha256(key, sizeof key, token, (size_t)(d2 - token), mac) != 0 || !crypto_equal(mac, sig, 32))
		goto done;
	h = decode_segment(token, (size_t)(d1 - token));
	c = decode_segment(d1 + 1, (size_t)(d2 - d1 - 1));
	if (!h || !c || !header_ok(h, &kid_s) || !claims_ok(c, audience, now, &jti_s))
		goto done;
	*kid = strdup(kid_s);
	*jti = strdup(jti_s);
	if (!*kid || !*jti)
		goto done;
	static const char *const registered[] = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"};
	for (size_t i = 0; i < sizeof registered / sizeof registered[0]; i++)
		json_object_object_del(c, registered[i]);
	*claims = c;
	c = NULL;
	rc = KEFU_OK;
done:
	if (rc != KEFU_OK) {
		free(*kid);
		free(*jti);
		*kid = NULL;
		*jti = NULL;
	}
	OPENSSL_cleanse(key, sizeof key);
	OPENSSL_cleanse(mac, sizeof mac);
	free(sig);
	json_object_put(h);
	json_object_put(c);
	return rc;
}

static char *segment(json_object *o)
{
	size_t len = 0;
	const char *s =
	    json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	return s ? crypto_b64_encode(s, len, B64URL) : NULL;
}

char *jwt_sign_identity(const char *channel_key_b64, const char *kid, json_object *claims)
{
	unsigned char key[32], mac[32];
	char *h64 = NULL, *c64 = NULL, *s64 = NULL, *tok = NULL;
	json_object *h = NULL;
	if (!kid || !*kid || strlen(kid) > JWT_MAX_ID || !json_object_is_type(claims, json_type_object) ||
	    jwt_derive_key(channel_key_b64, key) != 0)
		goto done;
	h = json_object_new_object();
	if (!h || json_object_object_add(h, "alg", json_object_new_string("HS256")) != 0 ||
	    json_object_object_add(h, "typ", json_object_new_string("JWT")) != 0 ||
	    json_object_object_add(h, "kid", json_object_new_string(kid)) != 0)
		goto done;
	h64 = segment(h);
	c64 = segment(claims);
	if (!h64 || !c64)
		goto done;
	size_t hl = strlen(h64), cl = strlen(c64);
	if (hl + 1 + cl + 1 + 43 > JWT_MAX_TOKEN)
		goto done;
	tok = malloc(hl + 1 + cl + 1 + 43 + 1);
	if (!tok)
		goto done;
	memcpy(tok, h64, hl);
	tok[hl] = '.';
	memcpy(tok + hl + 1, c64, cl);
	if (crypto_hmac_sha256(key, sizeof key, tok, hl + 1 + cl, mac) != 0 ||
	    !(s64 = crypto_b64_encode(mac, sizeof mac, B64URL))) {
		free(tok);
		tok = NULL;
		goto done;
	}
	tok[hl + 1 + cl] = '.';
	memcpy(tok + hl + 1 + cl + 1, s64, 44); /* 43 characters and the NUL */
done:
	OPENSSL_cleanse(key, sizeof key);
	OPENSSL_cleanse(mac, sizeof mac);
	json_object_put(h);
	free(h64);
	free(c64);
	free(s64);
	return tok;
}
