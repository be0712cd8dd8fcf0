/* store-mail: SQL for the mail_outbox table. */
#include "store/store-mail.h"

#define MAIL_COLUMNS                                                                                                   \
	"id, tenant_id, kind, ref_id, to_user_id, to_addr, to_name, lang, status, attempts, last_error, created_at,"   \
	" sent_at"

static void read_rows(kefu_arena *a, const struct db_result *r, struct mail_row **rows, size_t *n)
{
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		(*rows)[i] = (struct mail_row){
		    .id = db_i64(r, i, 0),
		    .tenant_id = db_i64(r, i, 1),
		    .kind = db_str(r, i, 2),
		    .ref_id = db_i64(r, i, 3),
		    .to_user_id = db_null(r, i, 4) ? 0 : db_i64(r, i, 4),
		    .to_addr = db_str(r, i, 5),
		    .to_name = db_str(r, i, 6),
		    .lang = db_str(r, i, 7),
		    .status = db_str(r, i, 8),
		    .attempts = db_i64(r, i, 9),
		    .last_error = db_str(r, i, 10),
		    .created_at = db_str(r, i, 11),
		    .sent_at = db_str(r, i, 12),
		};
	*n = r->nrows;
}

kefu_err db_mail_queue(struct kefu_db *db, int64_t tenant_id, const struct mail_row *m)
{
	int64_t user = m->to_user_id;
	return db_exec(db, NULL, NULL,
	               "INSERT INTO mail_outbox (tenant_id, kind, ref_id, to_user_id, to_addr, to_name, lang)"
	               " VALUES (?, ?, ?, ?, ?, ?, ?)",
	               "isiIsss", tenant_id, m->kind, m->ref_id, user ? &user : NULL, m->to_addr, m->to_name, m->lang);
}

kefu_err db_mail_of(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *kind, int64_t ref_id,
                    struct mail_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " MAIL_COLUMNS " FROM mail_outbox WHERE tenant_id = ? AND kind = ? AND ref_id = ?"
	                      " ORDER BY id",
	                      "isi", tenant_id, kind, ref_id);
	if (e == KEFU_OK)
		read_rows(a, r, rows, n);
	return e;
}

struct claim_ctx {
	kefu_arena *a;
	int limit, lease_s;
	struct mail_row *rows;
	size_t n;
};

static kefu_err claim_tx(struct kefu_db *db, void *p)
{
	struct claim_ctx *c = p;
	struct db_result *r;
	/* Cross-tenant by design (see the header); the due index drives it. */
	kefu_err e = db_query(db, c->a, &r,
	                      "SELECT " MAIL_COLUMNS " FROM mail_outbox WHERE status = 'pending'"
	                      " AND next_attempt_at <= NOW(3) AND (lease_until IS NULL OR lease_until < NOW(3))"
	                      " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED",
	                      "i", (int64_t)c->limit);
	if (e != KEFU_OK)
		return e;
	read_rows(c->a, r, &c->rows, &c->n);
	for (size_t i = 0; i < c->n && e == KEFU_OK; i++)
		e = db_exec(
		    db, NULL, NULL,
		    "UPDATE mail_outbox SET lease_until = NOW(3) + INTERVAL ? SECOND WHERE tenant_id = ? AND id = ?",
		    "iii", (int64_t)c->lease_s, c->rows[i].tenant_id, c->rows[i].id);
	return e;
}

kefu_err db_mail_claim(struct kefu_db *db, kefu_arena *a, int limit, int lease_s, struct mail_row **rows, size_t *n)
{
	struct claim_ctx c = {.a = a, .limit = limit, .lease_s = lease_s};
	kefu_err e = db_tx(db, claim_tx, &c);
	*rows = c.rows;
	*n = e == KEFU_OK ? c.n : 0;
	return e;
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
