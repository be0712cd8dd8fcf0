/* store-assign: SQL for assign_state, agent_load and rr_cursors. */
#include "store/store-assign.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/store-rows.h"

/* Locks the rule's assign_state row by update, an UPDATE of that row (its
 * parameters after types), making the row when there is none. UPDATE first:
 * INSERT IGNORE on an existing row would take a shared lock, and two
 * transactions upgrading shared to exclusive deadlock. *bits (may be NULL):
 * the UPDATE's insert id. */
static kefu_err lock_state(struct kefu_db *db, int64_t *bits, int64_t tenant_id, int64_t rule_id, const char *update,
                           const char *types, ...)
{
	for (int i = 0; i < 2; i++) {
		uint64_t n = 0;
		va_list ap;
		va_start(ap, types);
		kefu_err e = db_vexec(db, &n, bits, update, types, ap);
		va_end(ap);
		if (e != KEFU_OK || n == 1)
			return e;
		e = db_exec(db, NULL, NULL, "INSERT IGNORE INTO assign_state (tenant_id, rule_id) VALUES (?, ?)", "ii",
		            tenant_id, rule_id);
		if (e != KEFU_OK)
			return e;
	}
	return KEFU_E_INTERNAL;
}

kefu_err db_assign_lock_rule(struct kefu_db *db, int64_t tenant_id, int64_t rule_id)
{
	return lock_state(db, NULL, tenant_id, rule_id,
	                  "UPDATE assign_state SET decisions = decisions + 1 WHERE tenant_id = ? AND rule_id = ?", "ii",
	                  tenant_id, rule_id);
}

kefu_err db_assign_lock_rule_state(struct kefu_db *db, int64_t tenant_id, int64_t rule_id, bool *queued, bool *hooks,
                                   int64_t *only_group)
{
	int64_t bits = 0;
	/* LAST_INSERT_ID(expr) hands the subqueries' answers back as the
	 * statement's insert id (bit 0: a queue of the rule holds someone;
	 * bit 1: the tenant has an enabled webhook; the bits above: the one
	 * group whose queue that is, plus one, or 0 when there are several:
	 * the lowest and highest group of the rule's entries, two ends of
	 * the queue's index); the IF's comparison makes sure it is evaluated
	 * (an "IS NULL" test of a sum that cannot be NULL is folded away,
	 * and with it the call). The subqueries run after the row lock is
	 * taken (they are part of the new value), so they see every entry
	 * committed under the lock. */
	kefu_err e =
	    lock_state(db, &bits, tenant_id, rule_id,
	               "UPDATE assign_state SET decisions = IF(LAST_INSERT_ID(EXISTS (SELECT 1 FROM queue_entries q"
	               " WHERE q.tenant_id = ? AND q.rule_id = ?) + 2 * EXISTS (SELECT 1 FROM webhooks w"
	               " WHERE w.tenant_id = ? AND w.enabled = 1 AND w.deleted_at IS NULL)"
	               " + 4 * COALESCE((SELECT IF(MIN(g.group_id) = MAX(g.group_id), MIN(g.group_id) + 1, 0)"
	               " FROM queue_entries g WHERE g.tenant_id = ? AND g.rule_id = ?), 0)) >= 0, decisions + 1, 0)"
	               " WHERE tenant_id = ? AND rule_id = ?",
	               "iiiiiii", tenant_id, rule_id, tenant_id, tenant_id, rule_id, tenant_id, rule_id);
	if (e != KEFU_OK)
		return e;
	*queued = (bits & 1) != 0;
	if (hooks != NULL)
		*hooks = (bits & 2) != 0;
	if (only_group != NULL)
		*only_group = *queued && (bits >> 2) > 0 ? (bits >> 2) - 1 : -1;
	return KEFU_OK;
}

kefu_err db_assign_lock_rule_quiet(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, bool *hooks)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT 1 FROM assign_state WHERE tenant_id = ? AND rule_id = ? FOR UPDATE",
	                      "ii", tenant_id, rule_id);
	if (e != KEFU_OK)
		return e;
	bool queued;
	if (r->nrows == 0) /* never locked yet: made (and counted) as any first lock */
		return db_assign_lock_rule_state(db, tenant_id, rule_id, &queued, hooks, NULL);
	if ((e = db_query(
	         db, a, &r,
	         "SELECT EXISTS (SELECT 1 FROM webhooks WHERE tenant_id = ? AND enabled = 1 AND deleted_at IS NULL)",
	         "i", tenant_id)) != KEFU_OK)
		return e;
	*hooks = r->nrows == 1 && db_i64(r, 0, 0) != 0;
	return KEFU_OK;
}

kefu_err db_assign_members(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, const int64_t *ids,
                           size_t n, struct member_state **out)
{
	*out = arena_calloc(a, n + 1, sizeof **out);
	for (size_t i = 0; i < n; i++)
		(*out)[i].user_id = ids[i];
	if (n == 0)
		return KEFU_OK;
	/* One statement, one round trip inside the rule's lock: shared locks on
	 * the users rows (a status change waits) and on existing load rows
	 * (upgraded by db_assign_book; only decisions under this rule touch
	 * them, and those hold the rule's lock, so the upgrade cannot deadlock). */
	struct db_result *u;
	kefu_err e =
	    db_query(db, a, &u,
	             "SELECT u.id, u.name, u.status, COALESCE(l.live, 0), COALESCE(l.assigned_today, 0), l.day,"
	             " COALESCE(FLOOR(UNIX_TIMESTAMP(l.last_assigned_at) * 1000), 0), l.user_id IS NOT NULL"
	             " FROM users u"
	             " JOIN JSON_TABLE(?, '$[*]' COLUMNS (uid BIGINT PATH '$')) j ON u.id = j.uid"
	             " LEFT JOIN agent_load l ON l.tenant_id = u.tenant_id AND l.rule_id = ? AND l.user_id = u.id"
	             " WHERE u.tenant_id = ? AND u.deleted_at IS NULL LOCK IN SHARE MODE",
	             "sii", db_ids_json(a, ids, n), rule_id, tenant_id);
	if (e != KEFU_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		struct member_state *m = &(*out)[i];
		for (size_t k = 0; k < u->nrows; k++)
			if (db_i64(u, k, 0) == m->user_id) {
				m->name = db_str(u, k, 1);
				m->online = strcmp(db_str(u, k, 2), "online") == 0;
				m->live = db_i64(u, k, 3);
				m->assigned_today = db_i64(u, k, 4);
				m->day = db_str(u, k, 5);
				m->last_ms = db_i64(u, k, 6);
				m->loaded = db_i64(u, k, 7) != 0;
			}
	}
	return KEFU_OK;
}

kefu_err db_assign_members_peek(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                                struct member_state **out)
{
	*out = arena_calloc(a, n + 1, sizeof **out);
	for (size_t i = 0; i < n; i++)
		(*out)[i].user_id = ids[i];
	if (n == 0)
		return KEFU_OK;
	struct db_result *u;
	size_t *at;
	kefu_err e = db_query_ids(db, a, &u, &at,
	                          "SELECT u.id, u.name, u.status FROM users u"
	                          " JOIN JSON_TABLE(?, '$[*]' COLUMNS (uid BIGINT PATH '$')) j ON u.id = j.uid"
	                          " WHERE u.tenant_id = ? AND u.deleted_at IS NULL",
	                          tenant_id, ids, n);
	for (size_t i = 0; e == KEFU_OK && i < n; i++)
		if (at[i] != DB_NO_ROW) {
			(*out)[i].name = db_str(u, at[i], 1);
			(*out)[i].online = strcmp(db_str(u, at[i], 2), "online") == 0;
		}
	return e;
}

kefu_err db_assign_book(struct kefu_db *db, int64_t tenant_id, int64_t rule_id, int64_t user_id, int64_t max,
                        const char *day, bool *booked)
{
	*booked = false;
	for (int i = 0; i < 2; i++) {
		/* assigned_today is computed before day changes: SET runs left to right. */
		uint64_t n = 0, ins = 0;
		kefu_err e = db_exec(db, &n, NULL,
		                     "UPDATE agent_load SET live = live + 1,"
		                     " assigned_today = IF(day <=> ?, assigned_today + 1, 1), day = ?,"
		                     " last_assigned_at = NOW(3)"
		                     " WHERE tenant_id = ? AND rule_id = ? AND user_id = ? AND live < ?",
		                     "ssiiii", day, day, tenant_id, rule_id, user_id, max);
		if (e != KEFU_OK || n == 1) {
			*booked = n == 1;
			return e;
		}
		e = db_exec(db, &ins, NULL,
		            "INSERT IGNORE INTO agent_load (tenant_id, rule_id, user_id) VALUES (?, ?, ?)", "iii",
		            tenant_id, rule_id, user_id);
		if (e != KEFU_OK || ins == 0)
			return e; /* the row was there: at the maximum */
	}
	return KEFU_OK;
}

/* [[a, b, c, d], ...] of n rows of four numbers, row(i, v) writing the i-th: a JSON_TABLE's rows. */
static const char *rows4_json(kefu_arena *a, size_t n, const void *items, void (*row)(const void *, size_t, int64_t *))
{
	size_t cap = n * 88 + 3, len = 0;
	char *s = arena_alloc(a, cap);
	s[len++] = '[';
	for (size_t i = 0; i < n; i++) {
		int64_t v[4];
		row(items, i, v);
		len += (size_t)snprintf(s + len, cap - len, "%s[%lld,%lld,%lld,%lld]", i ? "," : "", (long long)v[0],
		                        (long long)v[1], (long long)v[2], (long long)v[3]);
	}
	snprintf(s + len, cap - len, "]");
	return s;
}

/* A booking as [user, k, today, freed]. */
static void booking_row(const void *items, size_t i, int64_t *v)
{
	const struct booking *b = (const struct booking *)items + i;
	v[0] = b->user_id, v[1] = b->k, v[2] = b->today, v[3] = b->freed;
}

/* The bookings j of agent_load rows l (see db_assign_book_many). */
#define BOOK_FROM                                                                                                      \
	"UPDATE JSON_TABLE(?, '$[*]' COLUMNS (uid BIGINT PATH '$[0]', k BIGINT PATH '$[1]',"                           \
	" today BIGINT PATH '$[2]', f BIGINT PATH '$[3]')) j STRAIGHT_JOIN agent_load l"                               \
	" ON l.tenant_id = ? AND l.rule_id = ? AND l.user_id = j.uid"
#define BOOK_SET                                                                                                       \
	" SET l.live = GREATEST(l.live - j.f, 0) + j.k,"                                                               \
	" l.assigned_today = IF(j.k > 0, j.today, l.assigned_today),"                                                  \
	" l.day = IF(j.k > 0, ?, l.day), l.last_assigned_at = IF(j.k > 0, NOW(3), l.last_assigned_at)"
#define BOOK_WHERE " WHERE j.k = 0 OR GREATEST(l.live - j.f, 0) + j.k <= ?"
/* The conversations s given to their agents (db_assign_set_agents). */
#define GIVE_FROM                                                                                                      \
	"JSON_TABLE(?, '$[*]' COLUMNS (cid BIGINT PATH '$[0]', agent BIGINT PATH '$[1]',"                              \
	" rl BIGINT PATH '$[2]', g BIGINT PATH '$[3]')) s STRAIGHT_JOIN conversations c"                               \
	" ON c.tenant_id = ? AND c.id = s.cid"
#define GIVE_SET                                                                                                       \
	"c.status = 'assigned', c.agent_user_id = s.agent,"                                                            \
	" c.assigned_at = NOW(3), c.first_assigned_at = COALESCE(c.first_assigned_at, NOW(3)),"                        \
	" c.rule_id = NULLIF(s.rl, 0), c.group_id = NULLIF(s.g, 0)"

/* A give as [conversation, agent, rule, group]. */
static void give_row(const void *items, size_t i, int64_t *v)
{
	const struct agent_set *g = (const struct agent_set *)items + i;
	v[0] = g->conversation_id, v[1] = g->agent_user_id, v[2] = g->rule_id, v[3] = g->group_id;
}

kefu_err db_assign_book_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t max,
                             const char *day, const struct booking *b, size_t n, const struct agent_set *set,
                             size_t nset, bool *booked)
{
	*booked = n == 0;
	if (n == 0)
		return db_assign_set_agents(db, a, tenant_id, set, nset);
	/* Every value is set from the statement's own and its own column only
	 * (a multi-table UPDATE has no order); a row that only frees keeps its
	 * day and counts. The connection counts rows found (CLIENT_FOUND_ROWS):
	 * every row, unless a booking's guard failed or a freed agent has no
	 * row. With gives (set), their conversations are written in the same
	 * statement, joined to the bookings (each row is updated once, at its
	 * first match, however many rows of the other table it meets): one
	 * round trip inside the rule's lock instead of two. A failed guard
	 * fails the caller's transaction, so whatever the statement wrote of
	 * the rest goes with it. */
	uint64_t m = 0;
	const char *json = rows4_json(a, n, b, booking_row);
	kefu_err e =
	    nset == 0 ? db_exec(db, &m, NULL, BOOK_FROM BOOK_SET BOOK_WHERE, "siisi", json, tenant_id, rule_id,
	                        day != NULL ? day : "", max)
	              : db_exec(db, &m, NULL, BOOK_FROM " STRAIGHT_JOIN " GIVE_FROM BOOK_SET ", " GIVE_SET BOOK_WHERE,
	                        "siisisi", json, tenant_id, rule_id, rows4_json(a, nset, set, give_row), tenant_id,
	                        day != NULL ? day : "", max);
	if (e != KEFU_OK || m == n + nset) {
		*booked = e == KEFU_OK;
		return e;
	}
	/* Fewer: a guard failed, unless it is a freed agent without a row
	 * (nothing to free, as a lone free finds): count those that have one. */
	size_t nfree = 0;
	int64_t *only = arena_calloc(a, n, sizeof *only);
	for (size_t i = 0; i < n; i++)
		if (b[i].k == 0)
			only[nfree++] = b[i].user_id;
	if (nfree == 0)
		return KEFU_OK;
	struct db_result *r;
	if ((e = db_query(db, a, &r,
	                  "SELECT COUNT(*) FROM JSON_TABLE(?, '$[*]' COLUMNS (uid BIGINT PATH '$')) j"
	                  " JOIN agent_load l ON l.tenant_id = ? AND l.rule_id = ? AND l.user_id = j.uid",
	                  "sii", db_ids_json(a, only, nfree), tenant_id, rule_id)) != KEFU_OK)
		return e;
	*booked = r->nrows == 1 && m == n - nfree + (uint64_t)db_i64(r, 0, 0) + nset;
	return KEFU_OK;
}

kefu_err db_assign_load_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id,
                             const int64_t *users, size_t n)
{
	if (n == 0)
		return KEFU_OK;
	return db_exec(db, NULL, NULL,
	               "INSERT IGNORE INTO agent_load (tenant_id, rule_id, user_id) SELECT ?, ?, j.uid"
	               " FROM JSON_TABLE(?, '$[*]' COLUMNS (uid BIGINT PATH '$')) j",
	               "iis", tenant_id, rule_id, db_ids_json(a, users, n));
}

kefu_err db_assign_set_agents(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct agent_set *v, size_t n)
{
	if (n == 0)
		return KEFU_OK;
	return db_exec(db, NULL, NULL, "UPDATE " GIVE_FROM " SET " GIVE_SET, "si", rows4_json(a, n, v, give_row),
	               tenant_id);
}

kefu_err db_assign_unbook(struct kefu_db *db, int64_t tenant_id, int64_t rule_id, int64_t user_id)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE agent_load SET live = GREATEST(live - 1, 0) WHERE tenant_id = ? AND rule_id = ?"
	               " AND user_id = ?",
	               "iii", tenant_id, rule_id, user_id);
}

kefu_err db_rr_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t group_id, int64_t *last_user_id)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "SELECT last_user_id FROM rr_cursors WHERE tenant_id = ? AND group_id = ? FOR UPDATE",
	             "ii", tenant_id, group_id);
	if (e != KEFU_OK)
		return e;
	*last_user_id = r->nrows ? db_i64(r, 0, 0) : 0;
	return KEFU_OK;
}

kefu_err db_rr_set(struct kefu_db *db, int64_t tenant_id, int64_t group_id, int64_t user_id)
{
	return db_exec(db, NULL, NULL,
	               "INSERT INTO rr_cursors (tenant_id, group_id, last_user_id) VALUES (?, ?, ?)"
	               " ON DUPLICATE KEY UPDATE last_user_id = VALUES(last_user_id)",
	               "iii", tenant_id, group_id, user_id);
}

kefu_err db_assign_set_agent(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t agent_user_id,
                             int64_t rule_id, int64_t group_id)
{
	int64_t *g = group_id ? &group_id : NULL, *rl = rule_id ? &rule_id : NULL;
	return db_exec(db, NULL, NULL,
	               "UPDATE conversations SET status = 'assigned', agent_user_id = ?, assigned_at = NOW(3),"
	               " first_assigned_at = COALESCE(first_assigned_at, NOW(3)),"
	               " rule_id = ?, group_id = ? WHERE tenant_id = ? AND id = ?",
	               "iIIii", agent_user_id, rl, g, tenant_id, conversation_id);
}

kefu_err db_assign_set_route(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t rule_id,
                             int64_t group_id)
{
	int64_t *g = group_id ? &group_id : NULL, *rl = rule_id ? &rule_id : NULL;
	return db_exec(db, NULL, NULL,
	               "UPDATE conversations SET rule_id = ?, group_id = ? WHERE tenant_id = ? AND id = ?", "IIii", rl,
	               g, tenant_id, conversation_id);
}

kefu_err db_assign_staff(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t **ids, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT id FROM users WHERE tenant_id = ? AND deleted_at IS NULL"
	                      " AND role IN ('agent','admin') ORDER BY id",
	                      "i", tenant_id);
	return e != KEFU_OK ? e : rows_ids(r, a, ids, n);
}

kefu_err db_assign_admins(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t **ids, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r, "SELECT id FROM users WHERE tenant_id = ? AND deleted_at IS NULL AND role = 'admin' ORDER BY id",
	    "i", tenant_id);
	return e != KEFU_OK ? e : rows_ids(r, a, ids, n);
}

kefu_err db_assign_rules(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t **ids, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT rule_id FROM assign_state WHERE tenant_id = ? ORDER BY rule_id", "i",
	                      tenant_id);
	return e != KEFU_OK ? e : rows_ids(r, a, ids, n);
}
