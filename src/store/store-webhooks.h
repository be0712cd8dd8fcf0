/* store-webhooks: SQL for webhook subscriptions, the outbox written with each change, and delivery attempts. */
#ifndef KEFU_STORE_WEBHOOKS_H
#define KEFU_STORE_WEBHOOKS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A subscription. Strings live in the arena of the call that filled it. */
struct webhook_row {
	int64_t id;
	const char *url, *secret;
	const char *events; /* comma-separated event names */
	bool enabled;
	const char *created_at, *updated_at;
};

/* The admin resource's table (store-rows.h). Its delete is soft: the
 * webhook's undelivered outbox rows then fail with "webhook deleted". */
extern const struct row_table db_webhooks;

/* Inside the change's db_tx: one outbox row per enabled subscription of the
 * tenant to event, all carrying body (the exact bytes to POST). *queued
 * (may be NULL) is how many. One INSERT ... SELECT: no round trip per hook. */
kefu_err db_webhook_outbox_add(struct kefu_db *db, int64_t tenant_id, const char *event, const char *body,
                               uint64_t *queued);

/* A delivery (outbox row) as the console and the sender see it. */
struct webhook_delivery {
	int64_t id, tenant_id, webhook_id;
	const char *event, *body, *status; /* pending | delivered | failed */
	int64_t attempts;
	int64_t last_status; /* 0: none */
	const char *last_error, *created_at, *delivered_at, *next_attempt_at;
};

/* A tenant's deliveries newest first (webhook_id 0: every webhook), id <
 * before (0: newest), at most limit. */
kefu_err db_webhook_deliveries(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t webhook_id, int64_t before,
                               int64_t limit, struct webhook_delivery **rows, size_t *n);

struct webhook_attempt {
	int64_t id, attempt, status_code; /* status_code 0: no HTTP answer */
	const char *error, *created_at;
	int64_t duration_ms;
};
kefu_err db_webhook_attempts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t outbox_id,
                             struct webhook_attempt **rows, size_t *n);

/*
 * The sender's side (kefu-webhookd). These read across tenants on purpose:
 * one sender serves every tenant; each row it then touches is addressed by
 * tenant_id and id.
 *
 * Claim up to limit due pending rows and lease them for lease_s seconds, in
 * one short transaction: SELECT ... FOR UPDATE SKIP LOCKED lets any number
 * of senders claim side by side without waiting on each other, and the lease
 * (not a transaction held open over the HTTP call) keeps a second sender off
 * a row while the first is POSTing it. A sender that dies mid-POST loses its
 * lease at expiry and the row is tried again. *rows in a.
 */
kefu_err db_webhook_claim(struct kefu_db *db, kefu_arena *a, int limit, int lease_s, struct webhook_delivery **rows,
                          size_t *n);

/* The URL and secret for a claimed row; KEFU_E_NOT_FOUND when the webhook
 * was deleted since the event was queued (a disabled one still delivers
 * what was queued while it was enabled). */
kefu_err db_webhook_target(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t webhook_id, const char **url,
                           const char **secret);

/* One attempt at a delivery and its outcome: 'd' delivered, 'r' retry after
 * retry_ms, 'f' failed for good. status_code 0: no HTTP answer. */
struct webhook_outcome {
	int attempt, status_code, duration_ms;
	const char *error; /* NULL: none */
	char outcome;
	int64_t retry_ms;
};

/* Record the attempt and its outcome in one transaction. Releases the lease. */
kefu_err db_webhook_record(struct kefu_db *db, int64_t tenant_id, int64_t outbox_id, const struct webhook_outcome *o);

#endif
