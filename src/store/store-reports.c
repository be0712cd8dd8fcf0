/* store-reports: SQL for the Reports API; every statement scoped by tenant_id, times as UTC milliseconds. */
#include "store/store-reports.h"

#include "store/store-rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS(x) "FLOOR(UNIX_TIMESTAMP(" x ") * 1000)"

/* The scope as a WHERE clause on conversations c, and its parameters appended to v. */
static const char *scope_where(kefu_arena *a, const struct report_scope *s, struct db_args *v)
{
	/* The starts: the range, or its spans (an OR of ranges of the same index). */
	const char *span = "c.created_at >= FROM_UNIXTIME(? / 1000) AND c.created_at < FROM_UNIXTIME(? / 1000)";
	const char *times = s->nspans ? db_sql_list(a, "((", span, ") OR (", s->nspans, "))") : span;
	db_arg_i64(v, s->tenant_id);
	if (s->nspans) {
		for (size_t i = 0; i < s->nspans; i++) {
			db_arg_i64(v, s->spans[i][0]);
			db_arg_i64(v, s->spans[i][1]);
		}
	} else {
		db_arg_i64(v, s->start_ms);
		db_arg_i64(v, s->end_ms);
	}
	if (s->by_channel)
		db_arg_i64(v, s->channel_id);
	if (s->by_group && s->group_id)
		db_arg_i64(v, s->group_id);
	if (s->by_agent && s->agent_id)
		db_arg_i64(v, s->agent_id);
	return arena_printf(a, " WHERE c.tenant_id = ? AND %s%s%s%s", times,
	                    s->by_channel ? " AND c.channel_id = ?" : "",
	                    !s->by_group  ? ""
	                    : s->group_id ? " AND c.group_id = ?"
	                                  : " AND c.group_id IS NULL",
	                    !s->by_agent  ? ""
	                    : s->agent_id ? " AND c.agent_user_id = ?"
	                                  : " AND c.agent_user_id IS NULL");
}

/* head + where + tail in a. */
static const char *sql3(kefu_arena *a, const char *head, const char *where, const char *tail)
{
	size_t lh = strlen(head), lw = strlen(where), lt = strlen(tail);
	char *s = arena_calloc(a, lh + lw + lt + 1, 1);
	memcpy(s, head, lh);
	memcpy(s + lh, where, lw);
	memcpy(s + lh + lw, tail, lt);
	return s;
}

static int64_t ms_or(const struct db_result *r, size_t i, size_t col, int64_t none)
{
	return db_null(r, i, col) ? none : db_i64(r, i, col);
}

/* As MS() for a DATETIME stored in UTC (the session's zone is +00:00): integer arithmetic, no DECIMAL per cell. */
#define MSI(x) "(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP'1970-01-01 00:00:00', " x ") DIV 1000)"

static int cmp_rating(const void *x, const void *y)
{
	int64_t a = ((const int64_t *)x)[0], b = ((const int64_t *)y)[0];
	return a < b ? -1 : a > b;
}

/* A conversation's facts as integers; the flags are NULL when the column is (closed_from, unserved unset). */
static const char conv_cols[] = "SELECT c.id, c.channel_id, c.group_id, c.agent_user_id, " MSI("c.created_at") ", " MSI(
    "c.first_assigned_at") ", " MSI("c.first_agent_message_at") ", " MSI("c.closed_at") ", c.status = 'closed', "
                                                                                        "c.closed_from = 'queued', "
                                                                                        "c.unserved = 'offline', "
                                                                                        "c.unserved = "
                                                                                        "'out_of_hours', "
                                                                                        "c.transfers FROM "
                                                                                        "conversations c";

kefu_err db_report_conversations(struct kefu_db *db, kefu_arena *a, const struct report_scope *s,
                                 struct report_conv_row **rows, size_t *n)
{
	/* Read from ix_conversations_report_cover alone (schema/0026). Only the columns the figures use
	 * (domain/reports.c), every one an integer: read by the client library without text
	 * (db_query_ints_args), the enums as flags. */
	struct db_args *v = db_args_new(a);
	const char *where = scope_where(a, s, v);
	const char *sql = sql3(a, conv_cols, where, " ORDER BY c.created_at, c.id");
	struct db_result *r;
	kefu_err e = db_query_ints_args(db, a, &r, sql, v);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		(*rows)[i] = (struct report_conv_row){
		    .id = db_i64(r, i, 0),
		    .channel_id = ms_or(r, i, 1, 0),
		    .group_id = ms_or(r, i, 2, 0),
		    .agent_user_id = ms_or(r, i, 3, 0),
		    .created_ms = db_i64(r, i, 4),
		    .first_assigned_ms = ms_or(r, i, 5, -1),
		    .first_agent_message_ms = ms_or(r, i, 6, -1),
		    .closed_ms = ms_or(r, i, 7, -1),
		    .closed = db_i64(r, i, 8) == 1,
		    .closed_queued = db_i64(r, i, 9) == 1,
		    .offline = db_i64(r, i, 10) == 1,
		    .out_of_hours = db_i64(r, i, 11) == 1,
		    .transfers = db_i64(r, i, 12),
		};
	return KEFU_OK;
}

kefu_err db_report_count(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, int64_t *n)
{
	struct db_args *v = db_args_new(a);
	struct db_result *r;
	kefu_err e =
	    db_query_ints_args(db, a, &r, sql3(a, "SELECT COUNT(*) FROM conversations c", scope_where(a, s, v), ""), v);
	*n = e == KEFU_OK && r->nrows == 1 ? db_i64(r, 0, 0) : -1;
	return e;
}

kefu_err db_report_ratings(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t since_ms, int64_t (**pairs)[2],
                           size_t *n)
{
	/* Every rating since the range's start, without a join, from ix_ratings_report_cover (schema/0030): a
	 * conversation of the scope was rated after it started, so its rating is among them, and the others
	 * match no conversation of the scope. */
	struct db_args *v = db_args_new(a);
	db_arg_i64(v, tenant_id);
	db_arg_i64(v, since_ms);
	struct db_result *rr;
	kefu_err e = db_query_ints_args(db, a, &rr,
	                                "SELECT r.conversation_id, r.score FROM ratings r"
	                                " WHERE r.tenant_id = ? AND r.created_at >= FROM_UNIXTIME(? / 1000)",
	                                v);
	if (e != KEFU_OK)
		return e;
	*n = rr->nrows;
	*pairs = arena_calloc(a, rr->nrows ? rr->nrows : 1, sizeof **pairs);
	for (size_t i = 0; i < rr->nrows; i++) {
		(*pairs)[i][0] = db_i64(rr, i, 0);
		(*pairs)[i][1] = db_i64(rr, i, 1);
	}
	qsort(*pairs, rr->nrows, sizeof **pairs, cmp_rating);
	return KEFU_OK;
}

kefu_err db_report_messages(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, int64_t *visitor,
                            int64_t *agent)
{
	/* The rollup of schema/0026 up to its mark plus the messages past it, read in one statement (one snapshot:
	 * a run of the job that moves the mark meanwhile is either wholly in it or not at all). Without a filter
	 * the rollup is summed over its own (tenant, start) index; the tail is read from the messages' primary
	 * key, so it costs what the job has yet to do, not the range's size. */
	bool filtered = s->by_channel || s->by_group || s->by_agent;
	struct db_args *v = db_args_new(a);
	const char *rolled;
	if (filtered)
		rolled = sql3(a,
		              "SELECT x.visitor v, x.agent g FROM conversations c JOIN report_message_counts x"
		              " ON x.conversation_id = c.id AND x.tenant_id = c.tenant_id",
		              scope_where(a, s, v), "");
	else {
		rolled = "SELECT x.visitor v, x.agent g FROM report_message_counts x WHERE x.tenant_id = ?"
		         " AND x.created_at >= FROM_UNIXTIME(? / 1000) AND x.created_at < FROM_UNIXTIME(? / 1000)";
		db_arg_i64(v, s->tenant_id);
		db_arg_i64(v, s->start_ms);
		db_arg_i64(v, s->end_ms);
	}
	const char *tail = scope_where(a, s, v);
	const char *sql =
	    sql3(a,
	         sql3(a, "SELECT COALESCE(SUM(t.v), 0), COALESCE(SUM(t.g), 0) FROM (", rolled,
	              " UNION ALL SELECT m.sender = 'visitor', m.sender = 'agent' FROM messages m STRAIGHT_JOIN "
	              "conversations c"
	              " ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id"),
	         tail, " AND m.id > COALESCE((SELECT last_id FROM report_rollup_marks WHERE name = 'messages'), 0)) t");
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r, sql, v);
	*visitor = *agent = 0;
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 1) {
		*visitor = db_i64(r, 0, 0);
		*agent = db_i64(r, 0, 1);
	}
	return KEFU_OK;
}

kefu_err db_report_leave_messages(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, int64_t *n)
{
	*n = 0;
	/* A leave message has no group and no agent: only "none" of those filters holds it. */
	if ((s->by_group && s->group_id != 0) || (s->by_agent && s->agent_id != 0))
		return KEFU_OK;
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT COUNT(*) FROM leave_messages WHERE tenant_id = ?"
	                      " AND created_at >= FROM_UNIXTIME(? / 1000) AND created_at < FROM_UNIXTIME(? / 1000)"
	                      " AND (? = 0 OR channel_id = ?)",
	                      "iiiii", s->tenant_id, s->start_ms, s->end_ms, (int64_t)s->by_channel, s->channel_id);
	if (e == KEFU_OK && r->nrows == 1)
		*n = db_i64(r, 0, 0);
	return e;
}

kefu_err db_report_invitations(struct kefu_db *db, kefu_arena *a, const struct report_scope *s,
                               struct report_invitations *out)
{
	*out = (struct report_invitations){0};
	if (s->by_group && s->group_id != 0)
		return KEFU_OK;
	/* ix_invitations_created: the tenant's range, whatever the filters */
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT COUNT(*), COALESCE(SUM(status = 'accepted'), 0), COALESCE(SUM(status = 'dismissed'), 0),"
	             " COALESCE(SUM(trigger_id IS NOT NULL), 0) FROM invitations WHERE tenant_id = ?"
	             " AND created_at >= FROM_UNIXTIME(? / 1000) AND created_at < FROM_UNIXTIME(? / 1000)"
	             " AND (? = 0 OR channel_id = ?) AND (? = 0 OR (? = 0 AND user_id IS NULL) OR user_id = ?)",
	             "iiiiiiii", s->tenant_id, s->start_ms, s->end_ms, (int64_t)s->by_channel, s->channel_id,
	             (int64_t)s->by_agent, s->agent_id, s->agent_id);
	if (e == KEFU_OK && r->nrows == 1)
		*out = (struct report_invitations){db_i64(r, 0, 0), db_i64(r, 0, 1), db_i64(r, 0, 2), db_i64(r, 0, 3)};
	return e;
}

/* The changes in the range, and each user's last change before it: MAX per user is a loose scan of
 * ix_agent_status_log (rows of the same instant all come, in id order, and the last one holds). */
static const char status_log_sql[] =
    "SELECT l.user_id, l.status, FLOOR(UNIX_TIMESTAMP(l.at) * 1000), l.id FROM agent_status_log l"
    " WHERE l.tenant_id = ? AND l.at >= FROM_UNIXTIME(? / 1000) AND l.at < FROM_UNIXTIME(? / 1000)"
    " UNION ALL SELECT l.user_id, l.status, FLOOR(UNIX_TIMESTAMP(l.at) * 1000), l.id"
    " FROM (SELECT user_id, MAX(at) AS at FROM agent_status_log WHERE tenant_id = ? AND at < FROM_UNIXTIME(? / 1000)"
    " GROUP BY user_id) p JOIN agent_status_log l ON l.tenant_id = ? AND l.user_id = p.user_id AND l.at = p.at"
    " ORDER BY 1, 3, 4";

static const struct row_spec status_spec = ROWS(struct report_status_row, user_id, status, at_ms);
static const struct row_spec staff_spec = ROWS(struct report_user_row, id, name, status, deleted);

kefu_err db_report_status_log(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t start_ms, int64_t end_ms,
                              struct report_status_row **rows, size_t *n)
{
	return rows_query(db, a, &status_spec, (void **)rows, n, status_log_sql, "iiiiii", tenant_id, start_ms, end_ms,
	                  tenant_id, start_ms, tenant_id);
}

kefu_err db_report_staff(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct report_user_row **rows, size_t *n)
{
	return rows_list(db, a, &staff_spec, (void **)rows, n,
	                 "SELECT id, name, status, deleted_at IS NOT NULL FROM users WHERE tenant_id = ?"
	                 " AND role IN ('agent', 'admin') ORDER BY name, id",
	                 tenant_id);
}

kefu_err db_report_live(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct report_live_row **rows, size_t *n,
                        int64_t *now_ms)
{
	/* Both statuses through ix_conversations_status; a wait runs from its queue entry (a transfer to a
	 * group's queue starts a new one), else from the start. */
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r,
	    "SELECT c.group_id, SUM(c.status = 'queued'), SUM(c.status = 'assigned'),"
	    " " MS("MIN(IF(c.status = 'queued', COALESCE(q.enqueued_at, c.created_at), NULL))") ", " MS(
	        "NOW(3)") " FROM conversations c"
	                  " LEFT JOIN queue_entries q ON q.conversation_id = c.id AND q.tenant_id = c.tenant_id"
	                  " WHERE c.tenant_id = ? AND c.status IN ('queued', 'assigned') GROUP BY c.group_id ORDER BY "
	                  "c.group_id",
	    "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	*now_ms = 0;
	for (size_t i = 0; i < r->nrows; i++) {
		(*rows)[i] = (struct report_live_row){.group_id = ms_or(r, i, 0, 0),
		                                      .waiting = db_i64(r, i, 1),
		                                      .live = db_i64(r, i, 2),
		                                      .oldest_wait_ms = ms_or(r, i, 3, -1)};
		*now_ms = db_i64(r, i, 4);
	}
	return KEFU_OK;
}
