/* fuzz_jwt: arbitrary bytes as a v2 identity token; must never crash, leak or half-fill outputs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char key[] = "hYEMN+Ni/qwgn62GkrkE3A==";
	char *tok = malloc(size + 1);
	if (!tok)
		return 0;
	memcpy(tok, data, size);
	tok[size] = '\0';
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
