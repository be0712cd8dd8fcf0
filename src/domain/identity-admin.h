/* identity-admin: a channel's identity settings and key generations as admins change them (shared by the admin API and
 * the console page). */
#ifndef KEFU_DOMAIN_IDENTITY_ADMIN_H
#define KEFU_DOMAIN_IDENTITY_ADMIN_H

#include <stdint.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "store/db.h"
#include "store/store-identity.h"

/* At most this many names in match_fields or auto_link.contact_fields. */
#define IDENTITY_MAX_NAMES 5

/* "abcd…wxyz": enough to tell keys apart, never enough to use one. In a. */
const char *identity_key_masked(kefu_arena *a, const char *key);

/* The settings document of channel_id (which the caller checked is the
 * tenant's): {"channel_id","enabled","has_key","key_masked","kid",
 * "key_created_at","match_fields","auto_link":{"enabled","contact_fields"},
 * "require_v2"}. A new object the caller owns. */
kefu_err identity_document(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, json_object **out);

/* Apply a PATCH body (the document's writable keys, each optional) to
 * before into *after: booleans, and 1..IDENTITY_MAX_NAMES distinct field
 * names. A mistake is KEFU_E_INVALID_FIELD with *f naming the field
 * ("match_fields", "auto_link.contact_fields", ...). Pure; text in a. */
kefu_err identity_settings_check(kefu_arena *a, json_object *body, const struct identity_settings_row *before,
                                 struct identity_settings_row *after, struct fault *f);

/* Save after in one transaction with its audit row (before and after). */
kefu_err identity_settings_save(struct kefu_db *db, const struct actor *who, int64_t channel_id,
                                const struct identity_settings_row *before, const struct identity_settings_row *after);

/* A new key of bits (128, 192 or 256, else KEFU_E_INVALID_FIELD "bits")
 * retiring the live one, audited; the channel's first key turns
 * verification on. *out (in a) holds the key in full. */
kefu_err identity_key_create(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id,
                             int64_t bits, struct identity_key_row *out, struct fault *f);

/* As identity_key_create, for the console's form: the key is not answered but kept to be shown once to who
 * (identity_key_take_new), on the page the form redirects to, so a refresh never generates again. */
kefu_err identity_key_create_shown_once(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id,
                                        int64_t bits, struct fault *f);
/* The key who generated in the console in the last 10 minutes and has not seen yet, once (its generation is the
 * audit entry); KEFU_E_NOT_FOUND when there is none. */
kefu_err identity_key_take_new(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id,
                               struct identity_key_row *out);

/* The live key in full, read in the same transaction as its audit row, so
 * no key is shown unrecorded. KEFU_E_NOT_FOUND when there is none. */
kefu_err identity_key_reveal(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id,
                             struct identity_key_row *out);

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_identity_settings_get (store/store-identity.h). */
kefu_err identity_settings_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                               struct identity_settings_row *out);

#endif
