/* store-rollups: SQL of the reports' rollups (schema/0026): per-conversation message counts past a mark. */
#include "store/store-rollups.h"

#include <stdlib.h>

struct step {
	int64_t batch, moved;
	int lag_s;
};

static kefu_err step(struct kefu_db *db, void *ctx)
{
	struct step *s = ctx;
	kefu_arena *a = arena_new();
	struct db_result *r;
	s->moved = 0;
	kefu_err e =
	    db_query(db, a, &r, "SELECT last_id FROM report_rollup_marks WHERE name = 'messages' FOR UPDATE", "");
	if (e != KEFU_OK || r->nrows == 0)
		goto out;
	int64_t lo = db_i64(r, 0, 0);
	/* The batch is the next `batch` messages by id, not an id range: ids have gaps (a multi-row INSERT
	 * reserves more than it uses), and a gap wider than the range would stop the job for good. */
	e = db_query(db, a, &r,
	             "SELECT MAX(t.id) FROM (SELECT id, created_at FROM messages WHERE id > ? ORDER BY id LIMIT ?) t"
	             " WHERE t.created_at < NOW(3) - INTERVAL ? SECOND",
	             "iii", lo, s->batch, (int64_t)s->lag_s);
	if (e != KEFU_OK || r->nrows == 0 || db_null(r, 0, 0))
		goto out;
	int64_t hi = db_i64(r, 0, 0);
	e = db_exec(
	    db, NULL, NULL,
	    "INSERT INTO report_message_counts (conversation_id, tenant_id, created_at, visitor, agent)"
	    " SELECT m.conversation_id, m.tenant_id, c.created_at, SUM(m.sender = 'visitor'), SUM(m.sender = 'agent')"
	    " FROM messages m JOIN conversations c ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id"
	    " WHERE m.id > ? AND m.id <= ? GROUP BY m.conversation_id, m.tenant_id, c.created_at"
	    " ON DUPLICATE KEY UPDATE visitor = report_message_counts.visitor + VALUES(visitor),"
	    " agent = report_message_counts.agent + VALUES(agent)",
	    "ii", lo, hi);
	if (e == KEFU_OK)
		e = db_exec(db, NULL, NULL, "UPDATE report_rollup_marks SET last_id = ? WHERE name = 'messages'", "i",
		            hi);
	if (e == KEFU_OK)
		s->moved = hi - lo;
out:
	arena_free(a);
	return e;
}

kefu_err db_rollup_messages(struct kefu_db *db, int64_t batch, int lag_s, int64_t *moved)
{
	struct step s = {batch, 0, lag_s};
	kefu_err e = db_tx(db, step, &s);
	*moved = e == KEFU_OK ? s.moved : 0;
	return e;
}
