/* retention: each tenant's retention periods (validation, saving) and the housekeeping purge that applies them in
 * bounded batches. */
#ifndef KEFU_DOMAIN_RETENTION_H
#define KEFU_DOMAIN_RETENTION_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-retention.h"

/* The longest period one may set: ten years. */
#define RETENTION_DAYS_MAX 3650
/* Rows one batch changes per kind and tenant. Attachments carry their bytes,
 * so their batches are smaller. */
#define RETENTION_BATCH            500
#define RETENTION_ATTACHMENT_BATCH 50
/* Tenants one purge step visits (the next step goes on after the last). */
#define RETENTION_TENANTS_PER_STEP 20

/* The four keys of the retention API (docs/privacy.md), by name, in order. */
extern const char *const retention_keys[];

/* in (a PUT body: any of the four keys, integers 0..RETENTION_DAYS_MAX,
 * and "mask_visitor_address", a boolean) over base into *out;
 * KEFU_E_INVALID_FIELD with *bad the key. */
kefu_err retention_check(json_object *in, const struct retention_settings *base, struct retention_settings *out,
                         const char **bad);

/* {"messages_days", "attachments_days", "pageviews_days", "leave_messages_days", "mask_visitor_address"}; new
 * object. */
json_object *retention_json(const struct retention_settings *s);

/* Save who's tenant's periods with their audit entry, in one transaction. */
kefu_err retention_save(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct retention_settings *s);

/*
 * One step of the purge: for up to RETENTION_TENANTS_PER_STEP tenants with a
 * period set (after *cursor, a tenant id; 0 starts over, and the call moves
 * it on, back to 0 after the last), one batch per kind of data (store-
 * retention.h). Returns whether more remains: a batch came back full, or
 * tenants are left after the cursor. Each batch is a statement of its own,
 * so any number of processes may run steps at once.
 */
bool retention_purge_step(struct kefu_db *db, int64_t *cursor);

/*
 * The housekeeping job "retention_purge": one purge step, claimed by one
 * worker of all every RETENTION_BUSY_MS. A step that finds nothing is a few
 * index range probes per tenant.
 */
#define RETENTION_BUSY_MS 2000
void retention_tick(struct kefu_db *db);

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_retention_get (store/store-retention.h). */
kefu_err retention_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct retention_settings *out);

#endif
