/* json-strict: the one JSON parser for decrypted identities and token segments (crypto-internal). */
#ifndef KEFU_CRYPTO_JSON_STRICT_H
#define KEFU_CRYPTO_JSON_STRICT_H

#include <stddef.h>

#include <json-c/json.h>

/* Parses s[0..n) as exactly one JSON object: strict UTF-8 without NUL,
 * json-c's strict grammar (and no single-quoted names), nothing but
 * whitespace after it, nesting at most 16 deep. Returns a new object
 * (caller json_object_put()s) or NULL. */
json_object *crypto_json_object(const char *s, size_t n);

#endif
