/* fuzz_identity: arbitrary bytes as custom_params hex under a fixed key; must never crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char key[] = "hYEMN+Ni/qwgn62GkrkE3A==";
	/* The first byte picks a mode: 'r' hex-encodes the rest so the fuzzer
	 * reaches the cipher and JSON stages; anything else passes the bytes
	 * through as the hex string itself to exercise the decoder. */
	char *hex = malloc(2 * size + 1);
	if (!hex)
		return 0;
	if (size > 0 && data[0] == 'r') {
		static const char d[] = "0123456789abcdef";
		size_t j = 0;
		for (size_t i = 1; i < size; i++) {
			hex[j++] = d[data[i] >> 4];
			hex[j++] = d[data[i] & 15];
		}
		hex[j] = '\0';
	} else {
		memcpy(hex, data, size);
		hex[size] = '\0';
	}
	json_object *o = NULL;
	kefu_err e = identity_decrypt_legacy(key, hex, &o);
	if ((e == KEFU_OK) != (o != NULL) || (e != KEFU_OK && e != KEFU_E_IDENTITY_INVALID))
		abort();
	json_object_put(o);
	free(hex);
	return 0;
}
