/* store-webhooks: SQL for webhook subscriptions, the outbox written with each change, and delivery attempts. */
#include "store/store-webhooks.h"

#include <string.h>

#include "store/store-rows.h"

#define HOOK_FIELDS  id, url, secret, events, enabled, created_at, updated_at
#define HOOK_COLUMNS ROWS_SQL(HOOK_FIELDS)

static const struct row_spec hook_spec = ROWS(struct webhook_row, HOOK_FIELDS);

static const struct row_spec hook_write = ROWS(struct webhook_row, url, secret, events, enabled);

const struct row_table db_webhooks = {
    .spec = &hook_spec,
    .write = &hook_write,
    .get = "SELECT " HOOK_COLUMNS " FROM webhooks WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
    .list = "SELECT " HOOK_COLUMNS " FROM webhooks WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id",
    .ins = "INSERT INTO webhooks (tenant_id, url, secret, events, enabled) VALUES (?, ?, ?, ?, ?)",
    .upd = "UPDATE webhooks SET url = ?, secret = ?, events = ?, enabled = ?, updated_at = NOW(3)"
           " WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
    .del = "UPDATE webhooks SET deleted_at = NOW(3), enabled = 0 WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL",
};

kefu_err db_webhook_outbox_add(struct kefu_db *db, int64_t tenant_id, const char *event, const char *body,
                               uint64_t *queued)
{
	/* events holds names without commas, so FIND_IN_SET is an exact member test. */
	return db_exec(db, queued, NULL,
	               "INSERT INTO webhook_outbox (tenant_id, webhook_id, event, body)"
	               " SELECT tenant_id, id, ?, ? FROM webhooks WHERE tenant_id = ? AND enabled = 1"
	               " AND deleted_at IS NULL AND FIND_IN_SET(?, events) > 0",
	               "ssis", event, body, tenant_id, event);
}

#define DELIVERY_FIELDS                                                                                                \
	id, tenant_id, webhook_id, event, body, status, attempts, last_status, last_error, created_at, delivered_at,   \
	    next_attempt_at
#define DELIVERY_COLUMNS ROWS_SQL(DELIVERY_FIELDS)

static const struct row_spec delivery_spec = ROWS(struct webhook_delivery, DELIVERY_FIELDS);

static const struct row_spec attempt_spec =
    ROWS(struct webhook_attempt, id, attempt, status_code, error, duration_ms, created_at);

kefu_err db_webhook_deliveries(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t webhook_id, int64_t before,
                               int64_t limit, struct webhook_delivery **rows, size_t *n)
{
	return rows_query(db, a, &delivery_spec, (void **)rows, n,
	                  "SELECT " DELIVERY_COLUMNS " FROM webhook_outbox WHERE tenant_id = ?"
	                  " AND (? = 0 OR webhook_id = ?) AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?",
	                  "iiiiii", tenant_id, webhook_id, webhook_id, before, before, limit);
}

kefu_err db_webhook_attempts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t outbox_id,
                             struct webhook_attempt **rows, size_t *n)
{
	return rows_query(db, a, &attempt_spec, (void **)rows, n,
	                  "SELECT id, attempt, status_code, error, duration_ms, created_at FROM webhook_attempts"
	                  " WHERE tenant_id = ? AND outbox_id = ? ORDER BY id",
	                  "ii", tenant_id, outbox_id);
}

kefu_err db_webhook_claim(struct kefu_db *db, kefu_arena *a, int limit, int lease_s, struct webhook_delivery **rows,
                          size_t *n)
{
	/* Cross-tenant by design (see the header); the due index drives it. */
	return rows_claim(
	    db, a, &delivery_spec,
	    "SELECT " DELIVERY_COLUMNS " FROM webhook_outbox WHERE status = 'pending'"
	    " AND next_attempt_at <= NOW(3) AND (lease_until IS NULL OR lease_until < NOW(3))"
	    " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
	    "UPDATE webhook_outbox SET lease_until = NOW(3) + INTERVAL ? SECOND WHERE tenant_id = ? AND id = ?", limit,
	    lease_s, (void **)rows, n);
}

kefu_err db_webhook_target(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t webhook_id, const char **url,
                           const char **secret)
{
	struct db_result *r;
	kefu_err e = db_query_one(
	    db, a, &r, "SELECT url, secret FROM webhooks WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL", "ii",
	    tenant_id, webhook_id);
	if (e != KEFU_OK)
		return e;
	*url = db_str(r, 0, 0);
	*secret = db_str(r, 0, 1);
	return KEFU_OK;
}

struct record_ctx {
	int64_t tenant_id, outbox_id;
	const struct webhook_outcome *o;
};

static kefu_err record_tx(struct kefu_db *db, void *p)
{
	struct record_ctx *c = p;
	const struct webhook_outcome *o = c->o;
	kefu_err e =
	    db_exec(db, NULL, NULL,
	            "INSERT INTO webhook_attempts (tenant_id, outbox_id, attempt, status_code, error, duration_ms)"
	            " VALUES (?, ?, ?, ?, ?, ?)",
	            "iiinsi", c->tenant_id, c->outbox_id, (int64_t)o->attempt, (int64_t)o->status_code, o->error,
	            (int64_t)o->duration_ms);
	if (e != KEFU_OK)
		return e;
	const char *status = o->outcome == 'd' ? "delivered" : o->outcome == 'f' ? "failed" : "pending";
	return db_exec(db, NULL, NULL,
	               "UPDATE webhook_outbox SET status = ?, attempts = ?, last_status = ?, last_error = ?,"
	               " lease_until = NULL, next_attempt_at = NOW(3) + INTERVAL ? * 1000 MICROSECOND,"
	               " delivered_at = IF(? = 'delivered', NOW(3), NULL) WHERE tenant_id = ? AND id = ?",
	               "sinsisii", status, (int64_t)o->attempt, (int64_t)o->status_code, o->error, o->retry_ms, status,
	               c->tenant_id, c->outbox_id);
}

kefu_err db_webhook_record(struct kefu_db *db, int64_t tenant_id, int64_t outbox_id, const struct webhook_outcome *o)
{
	struct record_ctx c = {tenant_id, outbox_id, o};
	return db_tx(db, record_tx, &c);
}
