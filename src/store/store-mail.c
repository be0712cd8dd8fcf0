/* store-mail: SQL for the mail_outbox table. */
#include "store/store-mail.h"

#include "store/store-rows.h"

#define MAIL_FIELDS                                                                                                    \
	id, tenant_id, kind, ref_id, to_user_id, to_addr, to_name, lang, status, attempts, last_error, created_at,     \
	    sent_at
#define MAIL_COLUMNS ROWS_SQL(MAIL_FIELDS)

static const struct row_spec mail_spec = ROWS(struct mail_row, MAIL_FIELDS);

static const struct row_spec due_spec = ROWS(struct digest_due, tenant_id, user_id, email, name, lang, last);

static const struct row_spec leave_spec = ROWS(struct digest_leave, id, channel_id, fields, created_at);

kefu_err db_mail_queue(struct kefu_db *db, int64_t tenant_id, const struct mail_row *m)
{
	return db_exec(db, NULL, NULL,
	               "INSERT INTO mail_outbox (tenant_id, kind, ref_id, to_user_id, to_addr, to_name, lang)"
	               " VALUES (?, ?, ?, ?, ?, ?, ?)",
	               "isinsss", tenant_id, m->kind, m->ref_id, m->to_user_id, m->to_addr, m->to_name, m->lang);
}

kefu_err db_mail_count(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *kind, int64_t ref_id,
                       int64_t *n)
{
	return db_query_i64(db, a, n,
	                    "SELECT COUNT(*) FROM mail_outbox WHERE tenant_id = ? AND kind = ? AND ref_id = ?", "isi",
	                    tenant_id, kind, ref_id);
}

kefu_err db_mail_of(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *kind, int64_t ref_id,
                    struct mail_row **rows, size_t *n)
{
	return rows_query(db, a, &mail_spec, (void **)rows, n,
	                  "SELECT " MAIL_COLUMNS " FROM mail_outbox WHERE tenant_id = ? AND kind = ? AND ref_id = ?"
	                  " ORDER BY id",
	                  "isi", tenant_id, kind, ref_id);
}

kefu_err db_mail_claim(struct kefu_db *db, kefu_arena *a, int limit, int lease_s, struct mail_row **rows, size_t *n)
{
	/* Cross-tenant by design (see the header); the due index drives it. */
	return rows_claim(
	    db, a, &mail_spec,
	    "SELECT " MAIL_COLUMNS " FROM mail_outbox WHERE status = 'pending'"
	    " AND next_attempt_at <= NOW(3) AND (lease_until IS NULL OR lease_until < NOW(3))"
	    " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
	    "UPDATE mail_outbox SET lease_until = NOW(3) + INTERVAL ? SECOND WHERE tenant_id = ? AND id = ?", limit,
	    lease_s, (void **)rows, n);
}

kefu_err db_mail_record(struct kefu_db *db, int64_t tenant_id, int64_t id, int attempt, const char *error, char outcome,
                        int64_t retry_ms)
{
	const char *status = outcome == 's' ? "sent" : outcome == 'f' ? "failed" : "pending";
	return db_exec(db, NULL, NULL,
	               "UPDATE mail_outbox SET status = ?, attempts = ?, last_error = LEFT(?, 500), lease_until = NULL,"
	               " next_attempt_at = NOW(3) + INTERVAL ? * 1000 MICROSECOND,"
	               " sent_at = IF(? = 'sent', NOW(3), NULL) WHERE tenant_id = ? AND id = ?",
	               "sisisii", status, (int64_t)attempt, error, retry_ms, status, tenant_id, id);
}

kefu_err db_mail_digest_due(struct kefu_db *db, kefu_arena *a, int limit, struct digest_due **rows, size_t *n)
{
	/* Cross-tenant by design (see the header); each leave_messages probe is
	 * scoped by the user's tenant and runs on ix_leave_messages_status. */
	return rows_query(db, a, &due_spec, (void **)rows, n,
	                  "SELECT u.tenant_id, u.id, u.email, u.name, u.lang, u.leave_digest_at FROM users u"
	                  " WHERE u.leave_digest = 1 AND u.deleted_at IS NULL AND u.email IS NOT NULL"
	                  " AND u.email <> '' AND (u.leave_digest_at IS NULL"
	                  " OR u.leave_digest_at <= NOW(3) - INTERVAL 1 DAY)"
	                  " AND EXISTS (SELECT 1 FROM leave_messages l WHERE l.tenant_id = u.tenant_id"
	                  " AND l.status = 'open' AND l.created_at > NOW(3) - INTERVAL 1 DAY)"
	                  " ORDER BY u.tenant_id, u.id LIMIT ?",
	                  "i", (int64_t)limit);
}

struct digest_ctx {
	const struct digest_due *d;
	bool *queued;
};

static kefu_err digest_tx(struct kefu_db *db, void *p)
{
	struct digest_ctx *c = p;
	const struct digest_due *d = c->d;
	uint64_t changed = 0;
	*c->queued = false;
	kefu_err e = db_exec(db, &changed, NULL,
	                     "UPDATE users SET leave_digest_at = NOW(3) WHERE tenant_id = ? AND id = ?"
	                     " AND leave_digest_at <=> ?",
	                     "iis", d->tenant_id, d->user_id, d->last);
	if (e != KEFU_OK || changed == 0)
		return e;
	struct mail_row m = {.kind = "leave_digest",
	                     .ref_id = d->user_id,
	                     .to_user_id = d->user_id,
	                     .to_addr = d->email,
	                     .to_name = d->name,
	                     .lang = d->lang};
	e = db_mail_queue(db, d->tenant_id, &m);
	*c->queued = e == KEFU_OK;
	return e;
}

kefu_err db_mail_digest_queue(struct kefu_db *db, const struct digest_due *d, bool *queued)
{
	struct digest_ctx c = {d, queued};
	return db_tx(db, digest_tx, &c);
}

kefu_err db_mail_digest_leaves(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t outbox_id, int limit,
                               struct digest_leave **rows, size_t *n)
{
	return rows_query(db, a, &leave_spec, (void **)rows, n,
	                  "SELECT l.id, l.channel_id, l.fields, l.created_at FROM leave_messages l"
	                  " JOIN mail_outbox m ON m.tenant_id = l.tenant_id AND m.id = ?"
	                  " WHERE l.tenant_id = ? AND l.status = 'open'"
	                  " AND l.created_at > m.created_at - INTERVAL 1 DAY AND l.created_at <= m.created_at"
	                  " ORDER BY l.id LIMIT ?",
	                  "iii", outbox_id, tenant_id, (int64_t)limit);
}
