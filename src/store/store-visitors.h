/* store-visitors: SQL for the visitors table (widget visitors, guests and identified). */
#ifndef KEFU_STORE_VISITORS_H
#define KEFU_STORE_VISITORS_H

#include <stdbool.h>

#include "store/db.h"

/* One visitor. Strings live in the arena given to the call that filled the
 * row; NULL where the column is NULL. */
struct visitor_row {
	int64_t id, tenant_id, channel_id;
	int64_t contact_id, account_id; /* 0 when not linked (the CRM issue links them) */
	bool identified;                /* verified identity (custom_params), never a claim */
	const char *name;               /* from the identity, or NULL */
	const char *roles;              /* JSON array text, e.g. ["guest"] */
	const char *page_url, *referrer, *locale, *user_agent;
	const char *attributes; /* JSON object text the host page claimed (unverified), or NULL */
	const char *created_at, *last_seen_at;
};

/* What registration records; any pointer may be NULL. */
struct visitor_seen {
	const char *page_url, *referrer, *locale, *user_agent;
	const char *attributes; /* JSON object text */
};

/* A new guest of channel_id; token_hash is crypto_sha256_hex of its token. */
kefu_err db_visitor_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, const char *token_hash,
                           const struct visitor_seen *seen, int64_t *id);
/* The visitor whose token hashes to token_hash, in any tenant (the token is
 * how a widget request learns its tenant). KEFU_E_NOT_FOUND. */
kefu_err db_visitor_by_token(struct kefu_db *db, kefu_arena *a, const char *token_hash, struct visitor_row *out);
/* What a widget call's authentication reads, in one joined statement: the
 * visitor and what a widget call may need of its channel. */
struct visitor_auth {
	struct visitor_row v;
	const char *allowed_origins; /* the channel's, JSON text */
	const char *channel_key;     /* the channel's public key */
	const char *prechat_fields;  /* the channel's pre-chat form, JSON array text */
	bool tracking;               /* the channel's visitor insight switch */
	int64_t triggers_rev;        /* the channel's count of changes to its triggers */
	int64_t live_ms;             /* visitor insight: ms the visitor stays live (visitor_live), -1 when not live */
};
/* The visitor holding token_hash whose channel still exists, with that
 * channel's fields above (in the arena); KEFU_E_NOT_FOUND otherwise.
 * Cross-tenant by nature: the token names the tenant. Lookups made at the
 * same time by other threads share one read. */
kefu_err db_visitor_auth(struct kefu_db *db, kefu_arena *a, const char *token_hash, struct visitor_auth *out);
/* The same for n tokens in one read, without batching (for a batch that
 * already gathers callers): found[i] tells whether token_hash[i] names a
 * visitor of a live channel, and then *out[i] is filled in, its strings
 * copied into arena to[i]. */
kefu_err db_visitors_auth(struct kefu_db *db, kefu_arena *a, const char *const *token_hash, size_t n,
                          kefu_arena *const *to, struct visitor_auth *const *out, bool *found);
/* For a statement that reads callers along with something else: the
 * lookup of n token hashes (n placeholders) as a SELECT of
 * VISITOR_AUTH_NCOLS columns, and the reading of such a row from column
 * first on into *out (strings pointing into the result). It returns the
 * row's token hash, or NULL when the columns are NULL (an outer join that
 * found no caller) and then leaves *out alone. */
#define VISITOR_AUTH_NCOLS 22
const char *db_visitors_auth_sql(kefu_arena *a, size_t n);
const char *db_visitor_auth_read(const struct db_result *r, size_t row, size_t first, struct visitor_auth *out);
/* The same as a post's caller needs it (db_conversations_lock_callers):
 * VISITOR_CALLER_NCOLS columns, of which *out gets only v.id, v.tenant_id,
 * v.channel_id and allowed_origins (the rest NULL, 0, live_ms -1). */
#define VISITOR_CALLER_NCOLS 5
const char *db_visitors_caller_sql(kefu_arena *a, size_t n);
const char *db_visitor_caller_read(const struct db_result *r, size_t row, size_t first, struct visitor_auth *out);
/* *va's strings copied into dst: for a caller read in another arena. */
void db_visitor_auth_copy(kefu_arena *dst, struct visitor_auth *va);
/* Visitor id of tenant_id; KEFU_E_NOT_FOUND otherwise. */
kefu_err db_visitor_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct visitor_row *out);
/* db_visitor_get inside a transaction, the row locked until it ends: what
 * decides who the visitor is holds while the decision is written. */
kefu_err db_visitor_lock(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct visitor_row *out);
/* A returning visitor: last_seen_at := now, and the fields seen that are not
 * NULL replace the stored ones (a reload on another page moves page_url). */
kefu_err db_visitor_touch(struct kefu_db *db, int64_t tenant_id, int64_t id, const struct visitor_seen *seen);

#endif
