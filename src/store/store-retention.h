/* store-retention: SQL for each tenant's retention periods and for removing, one bounded batch at a time, what outlived
 * them. */
#ifndef KEFU_STORE_RETENTION_H
#define KEFU_STORE_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Days to keep each kind of data; 0 keeps it forever. mask_visitor_address: agents see a visitor's address masked
 * (docs/visitor-insight.md); it lives here because it is the tenant's other privacy setting. */
struct retention_settings {
	int64_t messages_days, attachments_days, pageviews_days, leave_messages_days;
	bool mask_visitor_address;
};

/* The tenant's periods; all 0 (and the address masked) when it never set any. */
kefu_err db_retention_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct retention_settings *out);
kefu_err db_retention_put(struct kefu_db *db, int64_t tenant_id, const struct retention_settings *s);

/* Tenants with some period above 0 and id > after, by id, at most limit. */
struct retention_tenant {
	int64_t tenant_id;
	struct retention_settings s;
};
kefu_err db_retention_tenants(struct kefu_db *db, kefu_arena *a, int64_t after, int64_t limit,
                              struct retention_tenant **rows, size_t *n);

/* What a retention batch removes. */
enum retention_kind {
	RETAIN_MESSAGES,       /* messages older than days: text and card NULL, removed_at set (rows stay: they are
	                        * stream entries, see 0016-privacy.sql) */
	RETAIN_ATTACHMENTS,    /* attachments: bytes dropped, removed_at set (the metadata stays) */
	RETAIN_LEAVE_MESSAGES, /* leave-messages: deleted */
	RETAIN_STATUS_LOG,     /* staff status changes, except each user's last one before the cut-off (it says the
	                        * status at the start of any later range; docs/reports.md): deleted */
};

/*
 * One batch of kind, older than days, in a statement of its own (autocommit:
 * locks held for one batch only), on the (tenant_id, removed_at, created_at)
 * or (tenant_id, created_at) key; *done is how many rows it changed (==
 * limit: more may remain). Two processes running the same batch at once are
 * harmless: the second waits for the first's row locks, then skips the rows
 * it finds already removed.
 */
kefu_err db_retention_batch(struct kefu_db *db, enum retention_kind kind, int64_t tenant_id, int64_t days,
                            int64_t limit, uint64_t *done);

#endif
