/* jwt: the v2 identity token, a compact JWS (HS256 only) keyed from the channel key. */
#ifndef KEFU_CRYPTO_JWT_H
#define KEFU_CRYPTO_JWT_H

#include <time.h>

#include <json-c/json.h>

#include "core/err.h"

/* Longest token accepted, in bytes. */
#define JWT_MAX_TOKEN 8192
/* Longest kid and jti accepted, in bytes. */
#define JWT_MAX_ID 128
/* exp may be at most this far after now ... */
#define JWT_MAX_LIFETIME 600
/* ... and both limits (expired, too far ahead, iat/nbf in the future) allow this skew. */
#define JWT_CLOCK_SKEW 30

/* Signing key = HMAC-SHA256(key = base64-decoded channel key (16, 24 or 32
 * bytes), data = the 16 ASCII bytes "kefu-identity-v2"), 32 bytes. A token
 * is therefore bound to the channel key and is never an AES key.
 * Writes it to out; returns 0, or -1 when the channel key is not valid. */
int jwt_derive_key(const char *channel_key_b64, unsigned char out[32]);

/* Verifies a v2 identity token
 *
 *   base64url(header) "." base64url(claims) "." base64url(HMAC-SHA256(key, first two parts))
 *
 * (no padding, strict base64url, at most JWT_MAX_TOKEN bytes). The MAC is
 * checked (constant-time) before any JSON is parsed. Then:
 * - header: a JSON object with "alg": "HS256" exactly (none, HS512, RS256...
 *   are refused), "kid": a non-empty string of at most JWT_MAX_ID bytes,
 *   "typ" if present "JWT", and no "crit";
 * - claims: a JSON object with "aud" a string equal to audience (the channel
 *   key as the site knows it); "exp" a number with now - skew < exp <=
 *   now + JWT_MAX_LIFETIME + skew; "jti" a non-empty string of at most
 *   JWT_MAX_ID bytes; "iat" and "nbf" optional numbers not after now + skew.
 *
 * On success returns KEFU_OK and, all caller-owned:
 * *claims: a new object (json_object_put) with the identity fields, i.e.
 *   every claim except the registered ones (iss, sub, aud, exp, nbf, iat, jti);
 * *kid: malloc'd copy of the header's kid (free), to pick the key generation;
 * *jti: malloc'd copy of jti (free), for the caller's single-use check.
 * Any failure at all returns KEFU_E_IDENTITY_INVALID with all three NULL.
 * The caller picks channel_key_b64 by kid; a kid it does not know is its own
 * identity_invalid. claims, kid and jti may not be NULL. */
kefu_err jwt_verify_identity(const char *token, const char *channel_key_b64, const char *audience, time_t now,
                             json_object **claims, char **kid, char **jti);

/* Signs claims (taken as given: the caller puts aud, exp, jti and the
 * identity fields in) under header {"alg":"HS256","typ":"JWT","kid":kid}.
 * Returns a malloc'd token (caller frees), or NULL on a bad key, kid or
 * claims, or a token over JWT_MAX_TOKEN. For tests, the demo page and docs. */
char *jwt_sign_identity(const char *channel_key_b64, const char *kid, json_object *claims);

#endif
