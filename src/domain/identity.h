/* identity: verifying a visitor's identity (legacy custom_params or a v2 token) and tying the visitor to its CRM
 * records. */
#ifndef KEFU_DOMAIN_IDENTITY_H
#define KEFU_DOMAIN_IDENTITY_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* Failed verifications allowed per channel and address per window. */
#define IDENTITY_FAIL_WINDOW_S 60
#define IDENTITY_FAIL_MAX      20

/* What a verified identity says, everything tied to the arena. */
struct identity_result {
	json_object *identity;          /* the identity JSON (v2: the claims minus the registered ones) */
	const char *match_fields;       /* the channel's match fields (JSON array text) */
	const char *name;               /* full_name, else name, else NULL */
	const char *roles;              /* JSON array text: the identity's roles, else the linked contact's, else [] */
	int64_t contact_id, account_id; /* auto-link result, 0: none */
};

/* True when s has the shape of a compact JWS: three non-empty base64url
 * segments. Hex never contains '.', so the two formats cannot be confused. */
bool identity_looks_like_jwt(const char *s);

/*
 * The identity's fields checked against the match fields: every match field
 * is a non-empty string or a number, and roles, when present, is an array of
 * 1..64-byte strings (at most 50). Fills name and roles (identity's own) in
 * out. Pure: no database. KEFU_E_IDENTITY_INVALID otherwise.
 */
kefu_err identity_check_fields(kefu_arena *a, json_object *identity, json_object *match_fields,
                               struct identity_result *out);

/*
 * Verify custom_params for the channel (tenant_id, channel_id, whose public
 * key is channel_key): a v2 token when it looks like one (its kid picks the
 * live key generation; its jti is used up here), else the legacy hex AES-ECB
 * under the live key unless the channel requires v2. Then the match fields,
 * and auto-link (read only): the ContactObj matching the channel's contact
 * fields, and its account. Creates nothing but the jti mark.
 * Every failure is KEFU_E_IDENTITY_INVALID, one answer whatever the cause,
 * and counts against (channel, remote_addr); over IDENTITY_FAIL_MAX failures
 * in the window, KEFU_E_RATE_LIMITED with *retry_after set.
 */
kefu_err identity_resolve(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                          const char *channel_key, const char *custom_params, const char *remote_addr,
                          struct identity_result *out, int *retry_after);

/*
 * After registration: make sure the visitor has its WebImVisitorObj record.
 * id NULL (a guest): a record of its own, made once. id given: the record
 * matching the identity's match fields, created when there is none, updated
 * with the identity's fields (and the auto-linked contact and account); the
 * visitor row becomes identified with name, roles, contact and account.
 *
 * A visitor token is bound to one person (a shared browser must not hand
 * the next customer the last one's chats and orders). A guest may become
 * identified as anyone and keeps its conversations; a visitor already
 * identified stays only for an identity whose match fields find its own
 * record. For another identity, or none (id NULL), nothing is changed and
 * *other_person is true: the caller makes a new visitor instead.
 */
kefu_err identity_attach(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, int64_t visitor_id,
                         const struct identity_result *id, bool *other_person);

/* Whether the visitor is identified (for require-identity checks). */
kefu_err visitor_identified(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, bool *out);

/* An agent links the visitor to a contact by hand (and to the contact's
 * account); the visitor's WebImVisitorObj record follows. KEFU_E_NOT_FOUND
 * when contact_id is not a ContactObj of the tenant. */
kefu_err identity_link_contact(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                               int64_t contact_id, int64_t *account_id);

/* The roles of a contact's roles field ("partner, vip" → ["partner","vip"]) as JSON array text. */
const char *identity_roles_from_text(kefu_arena *a, const char *text);

#endif
