/* store-audit: the audit log of admin changes (who, when, what object, before/after summary). */
#ifndef KEFU_STORE_AUDIT_H
#define KEFU_STORE_AUDIT_H

#include <json-c/json.h>

#include "core/actor.h"
#include "store/db.h"

/*
 * Record one admin change by who (user or API key) in who's tenant:
 * action ("create", "update", "delete", "reveal", ...), object_type ("user",
 * "department", "group", "api_key", "channel", ...), object_id (0: none), and
 * summary, a JSON object such as {"before": {...}, "after": {...}} (never
 * secrets). Takes ownership of summary (NULL records {}). Runs on db: pass
 * the transaction's connection, so the entry commits or rolls back with the
 * change itself:
 *
 *   static kefu_err tx(struct kefu_db *db, void *ctx) {
 *       ... change ...;
 *       return audit_record(db, who, "update", "channel", id, summary);
 *   }
 */
kefu_err audit_record(struct kefu_db *db, const struct actor *who, const char *action, const char *object_type,
                      int64_t object_id, json_object *summary);

struct audit_row {
	int64_t id, actor_user_id, actor_api_key_id, object_id;
	const char *actor_name; /* the user's name or the key's name, NULL if neither */
	const char *action, *object_type, *summary, *created_at;
};

/* The tenant's entries newest first, with id < before (0: from the newest),
 * at most limit; *rows in arena a. */
kefu_err db_audit_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t before, int64_t limit,
                       struct audit_row **rows, size_t *n);

#endif
