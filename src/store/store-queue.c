/* store-queue: SQL for queue_entries. */
#include "store/store-queue.h"

#include "store/store-rows.h"

#define QE_COLUMNS                                                                                                     \
	"q.id, q.rule_id, q.group_id, q.conversation_id, COALESCE(q.owner_user_id, 0), q.position, q.enqueued_at,"     \
	" TIMESTAMPDIFF(SECOND, q.enqueued_at, NOW(3))"

#define QE_FIELDS(e)                                                                                                   \
	e id, e rule_id, e group_id, e conversation_id, e owner_user_id, e position, e enqueued_at, e waiting_s

static const struct row_spec spec = ROWS(struct queue_entry, QE_FIELDS());

/* A view row: the entry's columns into its e, then the view's own. */
static const struct row_spec view_spec = ROWS(struct queue_view, QE_FIELDS(e.), channel_id, visitor_id, visitor_name,
                                              page_url, created_at, position, prechat);

static const struct row_spec key_spec = ROWS(struct queue_key, rule_id, group_id);

kefu_err db_queue_add(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                      int64_t conversation_id, int64_t owner_user_id, int64_t *position)
{
	int64_t *owner = owner_user_id ? &owner_user_id : NULL;
	/* Its place counted and stored in the same round trip (inside the
	 * rule's lock, round trips are what the next decision waits for). */
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r,
	    "INSERT INTO queue_entries (tenant_id, rule_id, group_id, conversation_id, owner_user_id, position)"
	    " SELECT ?, ?, ?, ?, ?, COUNT(*) + 1 FROM queue_entries"
	    " WHERE tenant_id = ? AND rule_id = ? AND group_id = ? RETURNING position",
	    "iiiiIiii", tenant_id, rule_id, group_id, conversation_id, owner, tenant_id, rule_id, group_id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows != 1)
		return KEFU_E_INTERNAL;
	*position = db_i64(r, 0, 0);
	return KEFU_OK;
}

kefu_err db_queue_add_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                           struct queue_add *v, size_t n)
{
	if (n == 0)
		return KEFU_OK;
	/* [[conversation, owner], ...]: the ordinality is each one's offset
	 * behind the count, and the ORDER BY makes the ids follow it. */
	int64_t(*pairs)[2] = arena_calloc(a, n, sizeof *pairs);
	for (size_t i = 0; i < n; i++)
		pairs[i][0] = v[i].conversation_id, pairs[i][1] = v[i].owner_user_id;
	const char *list = db_pairs_json(a, (const int64_t(*)[2])pairs, n);
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r,
	    "INSERT INTO queue_entries (tenant_id, rule_id, group_id, conversation_id, owner_user_id, position)"
	    " SELECT ?, ?, ?, j.cid, NULLIF(j.owner, 0), n.n + j.k FROM JSON_TABLE(?, '$[*]' COLUMNS"
	    " (k FOR ORDINALITY, cid BIGINT PATH '$[0]', owner BIGINT PATH '$[1]')) j"
	    " CROSS JOIN (SELECT COUNT(*) AS n FROM queue_entries WHERE tenant_id = ? AND rule_id = ?"
	    " AND group_id = ?) n ORDER BY j.k RETURNING conversation_id, position",
	    "iiisiii", tenant_id, rule_id, group_id, list, tenant_id, rule_id, group_id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows != n)
		return KEFU_E_INTERNAL;
	for (size_t k = 0; k < r->nrows; k++)
		for (size_t i = 0; i < n; i++)
			if (db_i64(r, k, 0) == v[i].conversation_id)
				v[i].position = db_i64(r, k, 1);
	return KEFU_OK;
}

kefu_err db_queue_head(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                       int64_t after_id, size_t limit, struct queue_entry **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " QE_COLUMNS " FROM queue_entries q WHERE q.tenant_id = ? AND q.rule_id = ?"
	                      " AND q.group_id = ? AND q.id > ? ORDER BY q.id LIMIT ? FOR UPDATE",
	                      "iiiii", tenant_id, rule_id, group_id, after_id, (int64_t)limit);
	return e != KEFU_OK ? e : rows_all(r, a, &spec, (void **)rows, n);
}

kefu_err db_queue_head_lock(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                            int64_t after_id, size_t limit, struct queue_entry **rows, const char ***status, size_t *n)
{
	/* The entries by the queue's index, each one's conversation by its
	 * primary key (STRAIGHT_JOIN: that order, no sort); FOR UPDATE locks
	 * both. */
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT STRAIGHT_JOIN " QE_COLUMNS ", c.status FROM queue_entries q"
	                      " LEFT JOIN conversations c ON c.tenant_id = q.tenant_id AND c.id = q.conversation_id"
	                      " WHERE q.tenant_id = ? AND q.rule_id = ? AND q.group_id = ? AND q.id > ?"
	                      " ORDER BY q.id LIMIT ? FOR UPDATE",
	                      "iiiii", tenant_id, rule_id, group_id, after_id, (int64_t)limit);
	if (e != KEFU_OK || (e = rows_all(r, a, &spec, (void **)rows, n)) != KEFU_OK)
		return e;
	*status = arena_calloc(a, *n + 1, sizeof **status);
	for (size_t i = 0; i < *n; i++)
		(*status)[i] = db_str(r, i, r->ncols - 1); /* the last column, after QE_COLUMNS */
	return KEFU_OK;
}

kefu_err db_queue_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                      struct queue_entry *out)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT " QE_COLUMNS " FROM queue_entries q WHERE q.tenant_id = ? AND q.conversation_id = ?"
	             " FOR UPDATE",
	             "ii", tenant_id, conversation_id);
	return e != KEFU_OK ? e : rows_one(r, &spec, out);
}

kefu_err db_queue_remove(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id)
{
	return db_exec(db, NULL, NULL, "DELETE FROM queue_entries WHERE tenant_id = ? AND conversation_id = ?", "ii",
	               tenant_id, conversation_id);
}

kefu_err db_queue_remove_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n)
{
	if (n == 0)
		return KEFU_OK;
	return db_exec_late(db,
	                    "DELETE q FROM JSON_TABLE(?, '$[*]' COLUMNS (cid BIGINT PATH '$')) j"
	                    " STRAIGHT_JOIN queue_entries q ON q.conversation_id = j.cid WHERE q.tenant_id = ?",
	                    "si", db_ids_json(a, ids, n), tenant_id);
}

kefu_err db_queue_set_positions(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct queue_entry *rows,
                                size_t n)
{
	if (n == 0)
		return KEFU_OK;
	/* [[id, position], ...]: one statement whatever n is. */
	int64_t(*pairs)[2] = arena_calloc(a, n, sizeof *pairs);
	for (size_t i = 0; i < n; i++)
		pairs[i][0] = rows[i].id, pairs[i][1] = rows[i].position;
	const char *list = db_pairs_json(a, (const int64_t(*)[2])pairs, n);
	return db_exec_late(db,
	                    "UPDATE queue_entries q JOIN JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$[0]',"
	                    " pos BIGINT PATH '$[1]')) p ON p.id = q.id SET q.position = p.pos WHERE q.tenant_id = ?",
	                    "si", list, tenant_id);
}

kefu_err db_queue_moved(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                        struct queue_entry **rows, size_t *n)
{
	/* One pass over the queue's index range; the window numbers it in order. */
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT x.id, x.rule_id, x.group_id, x.conversation_id, x.owner, x.place, x.enqueued_at,"
	                      " x.waiting FROM (SELECT q.id, q.rule_id, q.group_id, q.conversation_id,"
	                      " COALESCE(q.owner_user_id, 0) AS owner, q.position AS sent, q.enqueued_at,"
	                      " TIMESTAMPDIFF(SECOND, q.enqueued_at, NOW(3)) AS waiting,"
	                      " ROW_NUMBER() OVER (ORDER BY q.id) AS place FROM queue_entries q"
	                      " WHERE q.tenant_id = ? AND q.rule_id = ? AND q.group_id = ?) x"
	                      " WHERE x.place <> x.sent ORDER BY x.id",
	                      "iii", tenant_id, rule_id, group_id);
	return e != KEFU_OK ? e : rows_all(r, a, &spec, (void **)rows, n);
}

kefu_err db_queue_position(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id, int64_t *pos)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT (SELECT COUNT(*) FROM queue_entries o WHERE o.tenant_id = q.tenant_id"
	                      " AND o.rule_id = q.rule_id AND o.group_id = q.group_id AND o.id <= q.id)"
	                      " FROM queue_entries q WHERE q.tenant_id = ? AND q.conversation_id = ?",
	                      "ii", tenant_id, conversation_id);
	if (e != KEFU_OK)
		return e;
	*pos = r->nrows ? db_i64(r, 0, 0) : 0;
	return KEFU_OK;
}

kefu_err db_queue_keys(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, struct queue_key **keys,
                       size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT DISTINCT rule_id, group_id FROM queue_entries WHERE tenant_id = ?"
	                      " AND (? < 0 OR rule_id = ?) ORDER BY rule_id, group_id",
	                      "iii", tenant_id, rule_id, rule_id);
	return e != KEFU_OK ? e : rows_all(r, a, &key_spec, (void **)keys, n);
}

static const struct row_spec watch_spec = ROWS(struct queue_watch, tenant_id, rule_id, group_id, decisions);

kefu_err db_queue_watch(struct kefu_db *db, kefu_arena *a, struct queue_watch **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT q.tenant_id, q.rule_id, q.group_id, COALESCE(s.decisions, 0)"
	                      " FROM (SELECT DISTINCT tenant_id, rule_id, group_id FROM queue_entries) q"
	                      " LEFT JOIN assign_state s ON s.tenant_id = q.tenant_id AND s.rule_id = q.rule_id"
	                      " ORDER BY q.tenant_id, q.rule_id, q.group_id LIMIT 5000",
	                      "");
	return e != KEFU_OK ? e : rows_all(r, a, &watch_spec, (void **)rows, n);
}

kefu_err db_queue_for_groups(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *group_ids,
                             size_t ngroups, struct queue_view **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	if (ngroups == 0)
		return KEFU_OK;
	const char *list = db_ids_json(a, group_ids, ngroups);
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " QE_COLUMNS ", c.channel_id, c.visitor_id, v.name, v.page_url, c.created_at,"
	                      " (SELECT COUNT(*) FROM queue_entries o WHERE o.tenant_id = q.tenant_id"
	                      "  AND o.rule_id = q.rule_id AND o.group_id = q.group_id AND o.id <= q.id), c.prechat"
	                      " FROM queue_entries q"
	                      " JOIN JSON_TABLE(?, '$[*]' COLUMNS (gid BIGINT PATH '$')) j ON q.group_id = j.gid"
	                      " JOIN conversations c ON c.id = q.conversation_id AND c.tenant_id = q.tenant_id"
	                      " JOIN visitors v ON v.id = c.visitor_id AND v.tenant_id = c.tenant_id"
	                      " WHERE q.tenant_id = ? ORDER BY q.id LIMIT 500",
	                      "si", list, tenant_id);
	return e != KEFU_OK ? e : rows_all(r, a, &view_spec, (void **)rows, n);
}
