/* fuzz_jwt: arbitrary bytes as a v2 identity token; must never crash, leak or half-fill outputs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "crypto/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char key[] = "hYEMN+Ni/qwgn62GkrkE3A==";

/* "s" header "\n" claims: sign the two JSON texts with the test key so the
 * fuzzer gets past the MAC and reaches the header and claim rules. */
static char *signed_token(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	if (!nl)
		return NULL;
	int flags = CRYPTO_B64_URL | CRYPTO_B64_NOPAD;
	char *h = crypto_b64_encode(data, (size_t)(nl - data), flags);
	char *c = crypto_b64_encode(nl + 1, size - (size_t)(nl + 1 - data), flags);
	char *tok = NULL;
	unsigned char k[32], mac[32];
	if (h && c && jwt_derive_key(key, k) == 0) {
		size_t cap = strlen(h) + strlen(c) + 48;
		tok = malloc(cap);
		int n = snprintf(tok, cap, "%s.%s", h, c);
		crypto_hmac_sha256(k, sizeof k, tok, (size_t)n, mac);
		char *s = crypto_b64_encode(mac, sizeof mac, flags);
		snprintf(tok + n, cap - (size_t)n, ".%s", s);
		free(s);
	}
	free(h);
	free(c);
	return tok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tok;
	if (size > 0 && data[0] == 's') {
		tok = signed_token(data + 1, size - 1);
	} else {
		tok = malloc(size + 1);
		if (tok) {
			memcpy(tok, data, size);
			tok[size] = '\0';
		}
	}
	if (!tok)
		return 0;
	json_object *c = NULL;
	char *kid = NULL, *jti = NULL;
	/* A fixed "now" so corpus tokens with exp near it stay interesting. */
	kefu_err e = jwt_verify_identity(tok, key, "ch_abc", 1790000000, &c, &kid, &jti);
	if (e == KEFU_OK ? !(c && kid && jti) : (c || kid || jti || e != KEFU_E_IDENTITY_INVALID))
		abort();
	json_object_put(c);
	free(kid);
	free(jti);
	free(tok);
	return 0;
}
