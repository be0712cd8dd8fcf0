/* store-conversations: SQL for the conversations table and agent load. */
#include "store/store-conversations.h"

#include <string.h>

#include "store/store-rows.h"

#include "store/store-messages.h"
#include "store/store-visitors.h"

/* The columns the spec reads, with agent_name the given expression. */
#define CONV_COLUMNS_NAMED(agent_name)                                                                                 \
	"c.id, c.tenant_id, c.channel_id, c.visitor_id, c.status, c.agent_user_id, " agent_name ", c.group_id,"        \
	" c.rule_id, c.prechat, c.created_at, c.assigned_at, c.closed_at, c.closed_by, c.visitor_read_seq,"            \
	" c.agent_read_seq, c.first_agent_message_at IS NOT NULL"
#define CONV_COLUMNS CONV_COLUMNS_NAMED("u.name")
#define CONV_NCOLS   17
/* The agent's name comes along so status events and lists need no second query. */
#define CONV_FROM " FROM conversations c LEFT JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.agent_user_id"

#define CONV_FIELDS                                                                                                    \
	id, tenant_id, channel_id, visitor_id, status, agent_user_id, agent_name, group_id, rule_id, prechat,          \
	    created_at, assigned_at, closed_at, closed_by, visitor_read_seq, agent_read_seq, answered
static const struct row_spec spec = ROWS(struct conversation_row, CONV_FIELDS);
_Static_assert(ROWS_COUNT_(CONV_FIELDS) == CONV_NCOLS, "CONV_COLUMNS and the spec agree");

kefu_err db_conversation_start(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                               int64_t visitor_id, const char *prechat, int64_t rule_id, int64_t group_id,
                               struct conversation_row *out, bool *webhooks)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "INSERT INTO conversations (tenant_id, channel_id, visitor_id, status, prechat, rule_id, group_id)"
	             " VALUES (?, ?, ?, 'queued', ?, ?, ?) RETURNING id, created_at,"
	             " EXISTS (SELECT 1 FROM webhooks WHERE tenant_id = ? AND enabled = 1 AND deleted_at IS NULL)",
	             "iiisIIi", tenant_id, channel_id, visitor_id, prechat, rule_id ? &rule_id : NULL,
	             group_id ? &group_id : NULL, tenant_id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows != 1)
		return KEFU_E_INTERNAL;
	*out = (struct conversation_row){
	    .id = db_i64(r, 0, 0),
	    .tenant_id = tenant_id,
	    .channel_id = channel_id,
	    .visitor_id = visitor_id,
	    .status = "queued",
	    .rule_id = rule_id,
	    .group_id = group_id,
	    .prechat = prechat,
	    .created_at = db_str(r, 0, 1),
	};
	*webhooks = db_i64(r, 0, 2) != 0;
	return KEFU_OK;
}

kefu_err db_conversation_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool for_update,
                             struct conversation_row *out)
{
	struct db_result *r;
	kefu_err e;
	if (for_update) {
		/* Lock the conversation row alone: a FOR UPDATE on the join below
		 * would lock the agent's users row too, and the assigner locks
		 * those. The read after the lock sees the newest committed row
		 * when it is the transaction's first plain read (as in every caller). */
		e = db_query_one(db, a, &r, "SELECT id FROM conversations WHERE tenant_id = ? AND id = ? FOR UPDATE",
		                 "ii", tenant_id, id);
		if (e != KEFU_OK)
			return e;
	}
	e = db_query(db, a, &r, "SELECT " CONV_COLUMNS CONV_FROM " WHERE c.tenant_id = ? AND c.id = ?", "ii", tenant_id,
	             id);
	return e != KEFU_OK ? e : rows_one(r, &spec, out);
}

kefu_err db_conversations_start(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conv_new *in,
                                size_t n, struct conversation_row *out, bool *inserted, bool *webhooks)
{
	*webhooks = false;
	struct db_args *v = db_args_new(a);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		inserted[i] = false;
		/* IGNORE would store a longer one cut short: the single way refuses it. */
		if (strlen(in[i].prechat) > 65535)
			continue;
		db_arg_i64(v, tenant_id);
		db_arg_i64(v, in[i].channel_id);
		db_arg_i64(v, in[i].visitor_id);
		db_arg_str(v, in[i].prechat);
		if (in[i].rule_id)
			db_arg_i64(v, in[i].rule_id);
		else
			db_arg_str(v, NULL);
		if (in[i].group_id)
			db_arg_i64(v, in[i].group_id);
		else
			db_arg_str(v, NULL);
		m++;
	}
	if (m == 0)
		return KEFU_OK;
	db_arg_i64(v, tenant_id); /* the webhooks' test */
	/* IGNORE: a row the open-conversation key refuses (or any other) is left
	 * out of the answer instead of failing the others; the caller tells
	 * which by the rows that came back. */
	const char *sql = arena_printf(
	    a,
	    "INSERT IGNORE INTO conversations (tenant_id, channel_id, visitor_id, status, prechat, rule_id, group_id)%s"
	    " RETURNING id, channel_id, visitor_id, created_at,"
	    " EXISTS (SELECT 1 FROM webhooks WHERE tenant_id = ? AND enabled = 1 AND deleted_at IS NULL)",
	    db_sql_list(a, " VALUES ", "(?, ?, ?, 'queued', ?, ?, ?)", ", ", m, ""));
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r, sql, v);
	if (e != KEFU_OK)
		return e;
	/* Rows come back in the order inserted; a visitor's second start on a
	 * channel is refused by its first, so the first unmatched one takes it. */
	for (size_t k = 0; k < r->nrows; k++) {
		int64_t ch = db_i64(r, k, 1), vis = db_i64(r, k, 2);
		for (size_t i = 0; i < n; i++) {
			if (inserted[i] || in[i].channel_id != ch || in[i].visitor_id != vis)
				continue;
			inserted[i] = true;
			out[i] = (struct conversation_row){
			    .id = db_i64(r, k, 0),
			    .tenant_id = tenant_id,
			    .channel_id = ch,
			    .visitor_id = vis,
			    .status = "queued",
			    .rule_id = in[i].rule_id,
			    .group_id = in[i].group_id,
			    .prechat = in[i].prechat,
			    .created_at = arena_strdup(in[i].a, db_str(r, k, 3)),
			};
			*webhooks = *webhooks || db_i64(r, k, 4) != 0;
			break;
		}
	}
	return KEFU_OK;
}

/* "<c>id IN (...) AND (<c>tenant_id, <c>id) IN (...)" for keys key[0..n),
 * their values appended to v: the id list is the primary-key range, the
 * pairs keep each row to its caller's tenant. */
static const char *key_scope(kefu_arena *a, struct db_args *v, const char *c, const struct conv_key *key, size_t n)
{
	for (size_t i = 0; i < n; i++)
		db_arg_i64(v, key[i].id);
	for (size_t i = 0; i < n; i++) {
		db_arg_i64(v, key[i].tenant_id);
		db_arg_i64(v, key[i].id);
	}
	return arena_printf(a, "%sid IN (%s) AND (%stenant_id, %sid) IN (%s)", c, db_sql_list(a, "", "?", ", ", n, ""),
	                    c, c, db_sql_list(a, "", "(?, ?)", ", ", n, ""));
}

kefu_err db_conversations_lock(struct kefu_db *db, kefu_arena *a, const struct conv_key *key, size_t n,
                               struct conversation_row **rows, size_t *nrows)
{
	/* The primary key, walked upwards, is the lock order; agent_name stays
	 * NULL because joining users would lock the agent's row too (the
	 * assigner locks those). */
	struct db_args *v = db_args_new(a);
	const char *sql = arena_printf(
	    a,
	    "SELECT STRAIGHT_JOIN " CONV_COLUMNS_NAMED("NULL") " FROM conversations c FORCE INDEX (PRIMARY)"
	                                                       " WHERE %s ORDER BY c.id FOR UPDATE",
	    key_scope(a, v, "c.", key, n));
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r, sql, v);
	return e != KEFU_OK ? e : rows_all(r, a, &spec, (void **)rows, nrows);
}

/* What a post needs of its conversation, read with every batch of posts:
 * whose it is, whether it is open and who is to hear of the message. The
 * other eleven columns (the pre-chat form, the times, the rule and group)
 * cost MariaDB and the worker a column each per post and nobody read them. */
#define POST_CONV_COLUMNS                                                                                              \
	"c.id, c.tenant_id, c.visitor_id, c.status, c.agent_user_id, c.first_agent_message_at IS NOT NULL"
#define POST_CONV_NCOLS 6

kefu_err db_conversations_lock_callers(struct kefu_db *db, kefu_arena *a, const struct conv_key *key, size_t nkey,
                                       const int64_t *tok_id, const char *const *tok_hash, size_t ntok,
                                       struct conv_locked **rows, size_t *nrows)
{
	if (ntok == 0) {
		struct conversation_row *c;
		kefu_err e = db_conversations_lock(db, a, key, nkey, &c, nrows);
		if (e != KEFU_OK)
			return e;
		*rows = arena_calloc(a, *nrows + 1, sizeof **rows);
		for (size_t i = 0; i < *nrows; i++)
			(*rows)[i].c = c[i];
		return KEFU_OK;
	}
	/* The callers' read is a derived table: MariaDB has no FOR UPDATE OF,
	 * and joined directly the visitors' and channels' rows would be locked
	 * too (every post of a channel waiting for the channel's row), but a
	 * derived table's SELECT is not the locking one: its rows are read as
	 * db_visitors_caller_sql reads them (tests/integration/messages-burst holds
	 * those rows' locks while posting). Only the conversations are locked,
	 * in ascending id. A conversation is read when a staff post names it
	 * with its tenant or when its own visitor's token is among the callers
	 * (the join's tenant is the token's: the scoping). STRAIGHT_JOIN keeps
	 * that order, conversations by id, then each one's visitor and channel
	 * by their keys: left to itself MariaDB starts from the channels when
	 * there are few (db_visitors_auth_sql). */
	struct db_args *v = db_args_new(a);
	for (size_t i = 0; i < ntok; i++)
		db_arg_str(v, tok_hash[i]);
	for (size_t i = 0; i < ntok; i++)
		db_arg_i64(v, tok_id[i]);
	for (size_t i = 0; i < nkey; i++)
		db_arg_i64(v, key[i].id);
	for (size_t i = 0; i < nkey; i++) {
		db_arg_i64(v, key[i].tenant_id);
		db_arg_i64(v, key[i].id);
	}
	/* Put together by copying: every batch of text posts builds it, and a printf's two passes over the long
	 * text cost the batch's thread about 4,000 instructions a post (callgrind). */
	const char *parts[] = {"SELECT STRAIGHT_JOIN " POST_CONV_COLUMNS
	                       ", x.* FROM conversations c FORCE INDEX (PRIMARY) LEFT JOIN (",
	                       db_visitors_caller_sql(a, ntok),
	                       ") x ON x.id = c.visitor_id AND x.tenant_id = c.tenant_id WHERE c.id IN (",
	                       db_sql_list(a, "", "?", ", ", ntok + nkey, ""),
	                       ") AND (x.id IS NOT NULL",
	                       nkey > 0 ? " OR (c.tenant_id, c.id) IN (" : "",
	                       nkey > 0 ? db_sql_list(a, "", "(?, ?)", ", ", nkey, "") : "",
	                       nkey > 0 ? ")" : "",
	                       ") ORDER BY c.id FOR UPDATE"};
	const char *sql = arena_cat(a, parts, sizeof parts / sizeof *parts);
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r, sql, v);
	if (e != KEFU_OK)
		return e;
	if (r->ncols != POST_CONV_NCOLS + VISITOR_CALLER_NCOLS)
		return KEFU_E_INTERNAL;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	*nrows = r->nrows;
	for (size_t i = 0; i < r->nrows; i++) {
		(*rows)[i].c = (struct conversation_row){
		    .id = db_i64(r, i, 0),
		    .tenant_id = db_i64(r, i, 1),
		    .visitor_id = db_i64(r, i, 2),
		    .status = db_str(r, i, 3),
		    .agent_user_id = db_null(r, i, 4) ? 0 : db_i64(r, i, 4),
		    .answered = db_i64(r, i, 5) != 0,
		};
		(*rows)[i].token_hash = db_visitor_caller_read(r, i, POST_CONV_NCOLS, &(*rows)[i].caller);
	}
	return KEFU_OK;
}

kefu_err db_conversation_open_for_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                                          int64_t visitor_id, struct conversation_row *out)
{
	int64_t id;
	/* Locks the (channel, visitor) entry of uq_conversations_open, or the gap
	 * where it would go, so two starts for one visitor serialise. */
	kefu_err e = db_query_i64(db, a, &id,
	                          "SELECT id FROM conversations WHERE tenant_id = ? AND channel_id = ?"
	                          " AND open_visitor_id = ? FOR UPDATE",
	                          "iii", tenant_id, channel_id, visitor_id);
	return e != KEFU_OK ? e : db_conversation_get(db, a, tenant_id, id, false, out);
}

kefu_err db_conversation_list_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                                      int limit, struct conversation_row **rows, size_t *n)
{
	return rows_query(db, a, &spec, (void **)rows, n,
	                  "SELECT " CONV_COLUMNS CONV_FROM " WHERE c.tenant_id = ? AND c.visitor_id = ?"
	                  " ORDER BY c.id DESC LIMIT ?",
	                  "iii", tenant_id, visitor_id, (int64_t)limit);
}

kefu_err db_conversation_set_unassigned(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *status)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE conversations SET status = ?, agent_user_id = NULL,"
	               " unserved = COALESCE(unserved, IF(status IN ('offline', 'out_of_hours'), status, NULL))"
	               " WHERE tenant_id = ? AND id = ?",
	               "sii", status, tenant_id, id);
}

/* The agent's name, and whether the tenant has an enabled webhook, read
 * with a locking read of conversations c: as subqueries (see
 * db_conversations_lock_closing). */
#define AGENT_NAME_SUBQUERY "(SELECT u.name FROM users u WHERE u.tenant_id = c.tenant_id AND u.id = c.agent_user_id)"
#define WEBHOOKS_EXIST                                                                                                 \
	" EXISTS (SELECT 1 FROM webhooks w WHERE w.tenant_id = ? AND w.enabled = 1 AND w.deleted_at IS NULL)"

kefu_err db_conversations_lock_closing(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids,
                                       size_t n, struct conversation_row **rows, size_t *nrows, const char **now,
                                       bool *webhooks)
{
	*nrows = 0;
	*now = NULL;
	*webhooks = false;
	if (n == 0)
		return KEFU_OK;
	/* Only the conversations' rows are locked (ascending id, the lock
	 * order): the agent's name and the webhooks are scalar subqueries,
	 * which a locking read in MariaDB reads without locks (a join would
	 * lock the agent's users row, which the assigner locks). NOW(3) is
	 * the closing time the UPDATE then writes, so that the rows read
	 * here, closed, are the rows as written. */
	struct db_args *v = db_args_new(a);
	db_arg_i64(v, tenant_id); /* the webhooks' */
	for (size_t i = 0; i < n; i++)
		db_arg_i64(v, ids[i]);
	db_arg_i64(v, tenant_id);
	const char *sql =
	    db_sql_list(a,
	                "SELECT STRAIGHT_JOIN " CONV_COLUMNS_NAMED(
	                    AGENT_NAME_SUBQUERY) ", NOW(3)," WEBHOOKS_EXIST
	                                         " FROM conversations c FORCE INDEX (PRIMARY) WHERE c.id IN (",
	                "?", ", ", n, ") AND c.tenant_id = ? ORDER BY c.id FOR UPDATE");
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r, sql, v);
	if (e != KEFU_OK)
		return e;
	if (r->nrows > 0) {
		*now = db_str(r, 0, CONV_NCOLS);
		*webhooks = db_i64(r, 0, CONV_NCOLS + 1) != 0;
	}
	return rows_all(r, a, &spec, (void **)rows, nrows);
}

kefu_err db_conversations_set_closed(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                                     const char *closed_by, int64_t user_id, const char *at)
{
	if (n == 0)
		return KEFU_OK;
	struct db_args *v = db_args_new(a);
	db_arg_str(v, at);
	db_arg_str(v, closed_by);
	if (user_id)
		db_arg_i64(v, user_id);
	else
		db_arg_str(v, NULL);
	db_arg_i64(v, tenant_id);
	for (size_t i = 0; i < n; i++)
		db_arg_i64(v, ids[i]);
	return db_exec_args(
	    db, NULL, NULL,
	    db_sql_list(a,
	                "UPDATE conversations SET closed_from = IF(status = 'closed', closed_from, status),"
	                " status = 'closed', closed_at = ?, closed_by = ?,"
	                " closed_by_user_id = ? WHERE tenant_id = ? AND id IN (",
	                "?", ", ", n, ")"),
	    v);
}

kefu_err db_conversation_mark_read(struct kefu_db *db, int64_t tenant_id, int64_t id, bool agent_side, int64_t seq)
{
	return db_exec(db, NULL, NULL,
	               agent_side ? "UPDATE conversations SET agent_read_seq = GREATEST(agent_read_seq, ?)"
	                            " WHERE tenant_id = ? AND id = ?"
	                          : "UPDATE conversations SET visitor_read_seq = GREATEST(visitor_read_seq, ?)"
	                            " WHERE tenant_id = ? AND id = ?",
	               "iii", seq, tenant_id, id);
}

kefu_err db_conversation_list_agent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t agent_user_id,
                                    struct agent_conversation **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT " CONV_COLUMNS ", v.name, v.page_url, v.identified,"
	             " (SELECT COUNT(*) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id"
	             "  AND m.seq > c.agent_read_seq AND m.sender = 'visitor') AS unread, " MESSAGE_COLUMNS CONV_FROM
	             " JOIN visitors v ON v.tenant_id = c.tenant_id AND v.id = c.visitor_id"
	             " LEFT JOIN messages m ON m.tenant_id = c.tenant_id AND m.id = " LAST_MESSAGE_ID_OF_C MESSAGE_JOINS
	             " WHERE c.tenant_id = ? AND c.agent_user_id = ? AND c.status = 'assigned'"
	             " ORDER BY COALESCE(m.created_at, c.assigned_at) DESC, c.id DESC",
	             "ii", tenant_id, agent_user_id);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++) {
		struct agent_conversation *x = &(*rows)[i];
		rows_read(r, i, &spec, &x->c);
		x->visitor_name = db_str(r, i, CONV_NCOLS);
		x->visitor_page_url = db_str(r, i, CONV_NCOLS + 1);
		x->visitor_identified = db_i64(r, i, CONV_NCOLS + 2) != 0;
		x->unread = db_i64(r, i, CONV_NCOLS + 3);
		x->has_last = !db_null(r, i, CONV_NCOLS + 4);
		if (x->has_last)
			db_message_read(r, i, CONV_NCOLS + 4, &x->last);
	}
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err db_agent_set_status(struct kefu_db *db, int64_t tenant_id, int64_t user_id, const char *status)
{
	uint64_t n = 0;
	kefu_err e = db_exec(db, &n, NULL,
	                     "UPDATE users SET status = ?, status_changed_at = NOW(3) WHERE tenant_id = ? AND id = ?"
	                     " AND deleted_at IS NULL",
	                     "sii", status, tenant_id, user_id);
	return e == KEFU_OK && n > 0 ? db_status_log(db, tenant_id, user_id) : e;
}

kefu_err db_status_log(struct kefu_db *db, int64_t tenant_id, int64_t user_id)
{
	/* The status as written (whoever wrote it), at the instant the users row says. */
	return db_exec(db, NULL, NULL,
	               "INSERT INTO agent_status_log (tenant_id, user_id, status, at)"
	               " SELECT tenant_id, id, status, status_changed_at FROM users WHERE tenant_id = ? AND id = ?",
	               "ii", tenant_id, user_id);
}

kefu_err db_conversation_count_transfer(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE conversations SET transfers = transfers + 1 WHERE tenant_id = ? AND id = ?", "ii",
	               tenant_id, id);
}

kefu_err db_conversations_first_agent_message(struct kefu_db *db, kefu_arena *a, const int64_t *tenant_ids,
                                              const int64_t *ids, size_t n)
{
	if (n == 0)
		return KEFU_OK;
	struct db_args *v = db_args_new(a);
	for (size_t i = 0; i < n; i++) {
		db_arg_i64(v, tenant_ids[i]);
		db_arg_i64(v, ids[i]);
	}
	/* Set once: the earliest agent message, which is in this batch (the column was still NULL). */
	return db_exec_args(
	    db, NULL, NULL,
	    db_sql_list(a,
	                "UPDATE conversations c SET c.first_agent_message_at = (SELECT MIN(m.created_at)"
	                " FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id"
	                " AND m.sender = 'agent') WHERE c.first_agent_message_at IS NULL AND (",
	                "(c.tenant_id = ? AND c.id = ?)", " OR ", n, ")"),
	    v);
}
