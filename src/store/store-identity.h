/* store-identity: SQL for identity verification (settings, key generations, used v2 jtis) and a visitor's verified
 * identity. */
#ifndef KEFU_STORE_IDENTITY_H
#define KEFU_STORE_IDENTITY_H

#include <stdbool.h>

#include "store/db.h"

/* A channel's settings; a channel without a row reads as the defaults
 * (exists false). JSON texts were validated by the admin API. */
struct identity_settings_row {
	bool exists, enabled, auto_link, require_v2;
	const char *match_fields;   /* JSON array of field names */
	const char *contact_fields; /* JSON array of ContactObj field names */
};

/* One key generation. Strings in the caller's arena. */
struct identity_key_row {
	int64_t id;
	int64_t generation;
	const char *kid, *secret, *created_at, *retired_at;
};

kefu_err db_identity_settings_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                                  struct identity_settings_row *out);
/* Insert or replace the channel's settings. */
kefu_err db_identity_settings_put(struct kefu_db *db, int64_t tenant_id, int64_t channel_id,
                                  const struct identity_settings_row *s);

/* The live (not retired) key; KEFU_E_NOT_FOUND when the channel has none. */
kefu_err db_identity_key_live(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                              struct identity_key_row *out);
/* Inside db_tx: retire the live key and add secret as the next generation,
 * kid "k<generation>"; *out is the new row (in a). Two concurrent calls
 * clash on the kid and the loser's transaction is retried. */
kefu_err db_identity_key_add(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                             const char *secret, struct identity_key_row *out);

/* Inside db_tx: the key id is to be shown once to user_id (the console's generate → redirect → page). */
kefu_err db_identity_key_show_once(struct kefu_db *db, int64_t tenant_id, int64_t key_id, int64_t user_id);
/* Inside db_tx: the live key if it is still to be shown to user_id and was made in the last 10 minutes, and no
 * longer to be shown; KEFU_E_NOT_FOUND otherwise. */
kefu_err db_identity_key_take_once(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                                   int64_t user_id, struct identity_key_row *out);

/* Record a v2 jti (its SHA-256) as used until expires_in seconds from now.
 * KEFU_E_CONFLICT when it was used before. Also trims expired ones. */
kefu_err db_identity_jti_use(struct kefu_db *db, int64_t channel_id, const char *jti_hash, int64_t expires_in);

/* The visitor's verified identity: identified := 1 and the given name,
 * roles (JSON array text), contact and account (0: none). */
kefu_err db_visitor_set_identity(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, const char *name,
                                 const char *roles, int64_t contact_id, int64_t account_id);
/* A hand link by an agent: contact and account only. */
kefu_err db_visitor_set_link(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int64_t contact_id,
                             int64_t account_id);

#endif
