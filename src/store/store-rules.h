/* store-rules: SQL for assignment rules and the channels they list. */
#ifndef KEFU_STORE_RULES_H
#define KEFU_STORE_RULES_H

#include <stdbool.h>

#include "store/db.h"

/* A stored rule; doc is the canonical JSON text (domain/rules.h reads it). */
struct rule_row {
	int64_t id;
	const char *doc;
	const char *created_at, *updated_at;
};

/* The queryable columns beside the document. */
struct rule_cols {
	const char *name;
	int64_t priority, max_concurrent;
	bool require_identity;
	const char *strategy;
	const char *doc;
	const int64_t *channel_ids;
	size_t nchannels;
};

kefu_err db_rule_create(struct kefu_db *db, int64_t tenant_id, const struct rule_cols *c, int64_t *id);
/* Replace the rule's columns, document and channel list. */
kefu_err db_rule_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const struct rule_cols *c);
/* KEFU_E_NOT_FOUND when not the tenant's. */
kefu_err db_rule_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct rule_row *out);
/* The tenant's rules by ascending priority, then id; *rows in a. */
kefu_err db_rule_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct rule_row **rows, size_t *n);
kefu_err db_rule_delete(struct kefu_db *db, int64_t tenant_id, int64_t id);
/* The rule that applies to the channel: the first by ascending priority
 * (then id) listing it; KEFU_E_NOT_FOUND when none does. */
kefu_err db_rule_for_channel(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                             struct rule_row *out);
/* The tenant's time zone (tenants.timezone), the default for service hours. */
kefu_err db_rule_tenant_zone(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char **zone);
/* db_rule_for_channel and db_rule_tenant_zone in one round trip, for a
 * conversation start: out->id 0 (and KEFU_OK) when no rule lists the channel. */
kefu_err db_rule_for_start(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                           struct rule_row *out, const char **zone);

#endif
