/* store-mail: SQL for the mail outbox: queueing in a change's transaction, and the sender's claim and record. */
#ifndef KEFU_STORE_MAIL_H
#define KEFU_STORE_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* One mail to send (a mail_outbox row). Strings in the arena of the call
 * that filled it. */
struct mail_row {
	int64_t id, tenant_id;
	const char *kind;                     /* "leave_message" | "leave_digest" | "transcript" */
	int64_t ref_id;                       /* what kind names: the leave message's, user's or conversation's id */
	int64_t to_user_id;                   /* 0: not a staff member */
	const char *to_addr, *to_name, *lang; /* to_name, lang may be NULL */
	const char *status;                   /* pending | sent | failed */
	int64_t attempts;
	const char *last_error, *created_at, *sent_at;
};

/* Inside the change's db_tx: queue m (kind, ref_id, to_*, lang). */
kefu_err db_mail_queue(struct kefu_db *db, int64_t tenant_id, const struct mail_row *m);

/* How many mails of kind are queued (in any state) for ref_id: the
 * transcript limit per conversation. */
kefu_err db_mail_count(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *kind, int64_t ref_id,
                       int64_t *n);

/* The mails queued for kind/ref_id, oldest first (the console's and tests'
 * view of what a change sent). *rows in a. */
kefu_err db_mail_of(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *kind, int64_t ref_id,
                    struct mail_row **rows, size_t *n);

/*
 * The sender's side (kefu-webhookd), across tenants as db_webhook_claim is:
 * claim up to limit due pending rows and lease them for lease_s seconds in
 * one short transaction (FOR UPDATE SKIP LOCKED: senders never wait on each
 * other; the lease, not an open transaction, covers the SMTP dialogue).
 */
kefu_err db_mail_claim(struct kefu_db *db, kefu_arena *a, int limit, int lease_s, struct mail_row **rows, size_t *n);

/* Record attempt number attempt: outcome 's' sent, 'r' retry after
 * retry_ms, 'f' failed for good; error NULL when sent. Releases the lease. */
kefu_err db_mail_record(struct kefu_db *db, int64_t tenant_id, int64_t id, int attempt, const char *error, char outcome,
                        int64_t retry_ms);

/* A user due a digest of left messages: opted in (users.leave_digest),
 * with an address, none queued in the last day, and an open left message in
 * the tenant from the day before now. */
struct digest_due {
	int64_t tenant_id, user_id;
	const char *email, *name, *lang, *last; /* last: leave_digest_at, NULL: never */
};

/* Up to limit users due a digest, across tenants (the housekeeping job
 * serves every tenant). *rows in a. */
kefu_err db_mail_digest_due(struct kefu_db *db, kefu_arena *a, int limit, struct digest_due **rows, size_t *n);

/* Queue user d's digest and stamp users.leave_digest_at in one
 * transaction, only if the stamp is still d->last: of two runs that picked
 * the same user, one queues. *queued says whether this one did. */
kefu_err db_mail_digest_queue(struct kefu_db *db, const struct digest_due *d, bool *queued);

/* One open left message for a digest. */
struct digest_leave {
	int64_t id, channel_id;
	const char *fields, *created_at; /* fields: JSON object text */
};

/* The tenant's left messages still open that were left in the day before
 * the digest row was queued (mail_outbox.created_at of outbox_id), oldest
 * first, at most limit. *rows in a. */
kefu_err db_mail_digest_leaves(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t outbox_id, int limit,
                               struct digest_leave **rows, size_t *n);

#endif
