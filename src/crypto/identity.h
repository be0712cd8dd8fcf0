/* identity: the vendor's legacy custom_params (hex of AES/ECB/PKCS5Padding over a JSON object) and channel keys. */
#ifndef KEFU_CRYPTO_IDENTITY_H
#define KEFU_CRYPTO_IDENTITY_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/err.h"

/* Longest ciphertext accepted: 8 KiB, so at most 16 KiB of hex. */
#define IDENTITY_MAX_CIPHERTEXT 8192

/* Decrypts a legacy custom_params value.
 *
 * key_b64: the channel key, standard base64 with padding, decoding to 16,
 * 24 or 32 bytes (AES-128/192/256). hex: the ciphertext in hex, upper or
 * lower case (or mixed), a non-zero multiple of 16 bytes, at most
 * IDENTITY_MAX_CIPHERTEXT. The plaintext must unpad (PKCS#5/#7), be UTF-8
 * without NUL, and be exactly one JSON object.
 *
 * Returns KEFU_OK and a new object in *out (caller json_object_put()s), or
 * KEFU_E_IDENTITY_INVALID for every failure whatever the cause, including a
 * bad channel key, with *out set to NULL: one answer, so callers cannot
 * become a padding oracle. out may not be NULL. */
kefu_err identity_decrypt_legacy(const char *key_b64, const char *hex, json_object **out);

/* Encrypts json (taken as bytes; not checked) the way the vendor's Java
 * sample does. Returns malloc'd uppercase hex (caller frees), or NULL when
 * the key is not valid, the ciphertext would exceed
 * IDENTITY_MAX_CIPHERTEXT, or OpenSSL/malloc failed. For tests, the demo
 * page and docs; sites do this on their side. */
char *identity_encrypt_legacy(const char *key_b64, const char *json);

/* A new random channel key of bits = 128, 192 or 256: malloc'd standard
 * base64 with padding (caller frees), or NULL for another size or when the
 * generator failed. */
char *identity_key_generate(int bits);

/* True when key_b64 is standard padded base64 of 16, 24 or 32 bytes. */
bool identity_key_valid(const char *key_b64);

#endif
