/* webhooks: the events kefu reports to a tenant's CRM, their validation, bodies, signatures and retry schedule. */
#ifndef KEFU_DOMAIN_WEBHOOKS_H
#define KEFU_DOMAIN_WEBHOOKS_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/crud.h"
#include "core/egress.h"
#include "store/db.h"
#include "store/store-conversations.h"
#include "store/store-webhooks.h"

/* The events a subscription may list (NULL-terminated). */
extern const char *const webhook_events[];

/*
 * Queue event for every enabled subscription of the tenant that lists it.
 * MUST run inside the db_tx of the change it reports (like
 * db_event_append): the outbox rows commit or roll back with the change, so
 * the CRM hears of exactly the changes that happened, and kefu-webhookd
 * sends them later (a slow CRM never slows a request). payload is borrowed
 * (not consumed); the POSTed body is
 *   {"event": "...", "tenant_id": N, "occurred_at": "RFC 3339", "data": payload}.
 */
kefu_err webhook_enqueue(struct kefu_db *db, int64_t tenant_id, const char *event, json_object *payload);

/* webhook_enqueue with {"conversation": {...}} from the row as it is now
 * (id, status, channel_id, visitor_id, agent, group_id, created_at,
 * closed_at): the one-line hook for conversation.created / .assigned /
 * .closed. Looks the row up again when c is NULL (inside the tx, no lock;
 * a NULL a then uses a scratch arena). */
kefu_err webhook_conversation(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *event, int64_t id,
                              const struct conversation_row *c);

/* visitor.identified: {"visitor": {"id","channel_id","name","record_id"
 * (the WebImVisitorObj record),"contact_id","account_id"}}; ids 0 → null.
 * Inside the identity's db_tx. */
kefu_err webhook_visitor_identified(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int64_t channel_id,
                                    int64_t record_id, const char *name, int64_t contact_id, int64_t account_id);

/*
 * Check a POST (base NULL) or PATCH (base the current row) body of
 * /admin/webhooks into out: url (http:// or https://, host required, at most
 * 2000 bytes, no credentials or fragment, and webhook_address_check),
 * events (non-empty subset of webhook_events), secret (16..200 printable
 * ASCII; generated on create when absent), enabled (default true).
 * KEFU_E_INVALID_FIELD with *bad, and *why a message for the error body
 * when the default one would not say enough (else NULL). allow is the
 * worker's parsed webhook_allow_hosts (NULL: none).
 */
kefu_err webhook_check(kefu_arena *a, json_object *in, const struct webhook_row *base, const struct egress_allow *allow,
                       struct webhook_row *out, const char **bad, const char **why);

/* The admin resource (domain/crud.h): webhook_check's rows (c->egress the
 * allow list), audited as "webhook" without the secret; the answer to a
 * create shows the secret. */
extern const struct crud_ops webhook_ops;

/* The API view; the secret only in full when show_secret (create), else as
 * "secret_hint" (first 4 characters). New object, caller owns. */
json_object *webhook_json(const struct webhook_row *w, bool show_secret);
json_object *webhook_delivery_json(const struct webhook_delivery *d);
/* The caller's deliveries newest first, id < before (0: from the newest), at
 * most limit, as a new array of webhook_delivery_json objects: those of
 * subscription hook_id (NOT_FOUND unless c's tenant's), each with its
 * "attempt_log" [{"attempt","status_code","error","duration_ms","at"}], or,
 * hook_id 0, those of every subscription without it (the console's list). */
kefu_err webhook_deliveries(const struct crud_ctx *c, int64_t hook_id, int64_t before, int64_t limit,
                            json_object **items);

/* "sha256=<hex HMAC-SHA256 of body under secret>" into out (72 bytes). -1 on failure. */
int webhook_sign(const char *secret, const char *body, size_t n, char out[72]);

/* The delay before retry number `attempt` (1 = after the first failure):
 * base * 2^(attempt-1), capped at cap, then "equal jitter" (a random point
 * in [d/2, d]) so senders that failed together do not retry together. */
int64_t webhook_backoff_ms(int attempt, int64_t base_ms, int64_t cap_ms);

/* Parse an http(s) URL: scheme, host (brackets stripped for IPv6), port
 * (default 80 / 443), path with query ("/" when empty), into a. -1 if bad. */
struct webhook_url {
	bool tls;
	const char *host, *port, *path;
};
int webhook_parse_url(kefu_arena *a, const char *url, struct webhook_url *out);

/* 0 when u's host is listed by name in allow or resolves (now) only to
 * addresses egress_allowed lets through; -1 otherwise (also when it does
 * not resolve). Resolves through DNS: may block for the resolver's timeout. */
int webhook_address_check(const struct egress_allow *allow, const struct webhook_url *u);

#endif
