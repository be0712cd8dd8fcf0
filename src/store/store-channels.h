/* store-channels: SQL for the channels table (web channels and their widget settings). */
#ifndef KEFU_STORE_CHANNELS_H
#define KEFU_STORE_CHANNELS_H

#include <stdbool.h>

#include "store/db.h"

/* One live channel. allowed_origins, style and prechat_fields are the JSON
 * texts written by the admin API after validation (src/domain/channels.h),
 * so readers may parse them without re-validating. Strings live in the arena
 * passed to the call that filled the row. */
struct channel_row {
	int64_t id, tenant_id;
	const char *key; /* public channel key (in the embed snippet) */
	const char *name;
	const char *allowed_origins; /* JSON array of "https://host[:port]" */
	const char *style;           /* JSON object, every style field present */
	const char *prechat_fields;  /* JSON array */
	const char *notify_email;    /* left messages are mailed here too; NULL: nobody extra */
	bool tracking;               /* visitor insight: page views and the live list (docs/visitor-insight.md) */
	const char *created_at, *updated_at;
};

/* A new channel; *id set. KEFU_E_CONFLICT only if the random key collides. */
kefu_err db_channel_create(struct kefu_db *db, int64_t tenant_id, const char *key, const char *name,
                           const char *allowed_origins, const char *style, const char *prechat_fields,
                           const char *notify_email, int64_t *id);
/* The live channel id of tenant_id; KEFU_E_NOT_FOUND otherwise (also for
 * another tenant's id). */
kefu_err db_channel_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct channel_row *out);
/* The live channel with this public key, in any tenant: the widget's entry
 * point, which is how a widget request learns its tenant. KEFU_E_NOT_FOUND. */
kefu_err db_channel_by_key(struct kefu_db *db, kefu_arena *a, const char *key, struct channel_row *out);
/* The tenant's live channels by id; *rows in a (n entries). */
kefu_err db_channel_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct channel_row **rows, size_t *n);
/* Replace the editable fields; KEFU_E_NOT_FOUND when no such live channel. */
kefu_err db_channel_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name,
                           const char *allowed_origins, const char *style, const char *prechat_fields,
                           const char *notify_email);
/* Visitor insight on or off (off for a new channel). */
kefu_err db_channel_set_tracking(struct kefu_db *db, int64_t tenant_id, int64_t id, bool tracking);
/* Soft delete: the key stops working, visitors and history stay. */
kefu_err db_channel_delete(struct kefu_db *db, int64_t tenant_id, int64_t id);

/* True when an agent or admin of the tenant is online (the widget's "online"). */
kefu_err db_channel_tenant_online(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, bool *online);

#endif
