/* store-reports: SQL for the Reports API; every statement scoped by tenant_id, times as UTC milliseconds. */
#include "store/store-reports.h"

#include <stdio.h>
#include <string.h>

#define MS(x) "FLOOR(UNIX_TIMESTAMP(" x ") * 1000)"

/* The scope as a WHERE clause on conversations c, and its parameters appended to v. */
static const char *scope_where(kefu_arena *a, const struct report_scope *s, struct db_args *v)
{
	char buf[512];
	snprintf(buf, sizeof buf,
	         " WHERE c.tenant_id = ? AND c.created_at >= FROM_UNIXTIME(? / 1000)"
	         " AND c.created_at < FROM_UNIXTIME(? / 1000)%s%s%s",
	         s->by_channel ? " AND c.channel_id = ?" : "",
	         !s->by_group  ? ""
	         : s->group_id ? " AND c.group_id = ?"
	                       : " AND c.group_id IS NULL",
	         !s->by_agent  ? ""
	         : s->agent_id ? " AND c.agent_user_id = ?"
	                       : " AND c.agent_user_id IS NULL");
	db_arg_i64(v, s->tenant_id);
	db_arg_i64(v, s->start_ms);
	db_arg_i64(v, s->end_ms);
	if (s->by_channel)
		db_arg_i64(v, s->channel_id);
	if (s->by_group && s->group_id)
		db_arg_i64(v, s->group_id);
	if (s->by_agent && s->agent_id)
		db_arg_i64(v, s->agent_id);
	return arena_strdup(a, buf);
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

kefu_err db_report_conversations(struct kefu_db *db, kefu_arena *a, const struct report_scope *s,
                                 struct report_conv_row **rows, size_t *n)
{
	struct db_args *v = db_args_new(a);
	const char *where = scope_where(a, s, v);
	const char *sql =
	    sql3(a,
	         "SELECT c.id, c.channel_id, c.group_id, c.agent_user_id, " MS("c.created_at") ", " MS(
	             "c.first_assigned_at") ", " MS("c.first_agent_message_at") ", " MS("c.closed_at") ","
	                                                                                               " c.status, "
	                                                                                               "c.closed_from, "
	                                                                                               "c.unserved, "
	                                                                                               "c.transfers, "
	                                                                                               "r.score FROM "
	                                                                                               "conversations c"
	                                                                                               " LEFT JOIN "
	                                                                                               "ratings r ON "
	                                                                                               "r.conversation_"
	                                                                                               "id = c.id AND "
	                                                                                               "r.tenant_id = "
	                                                                                               "c.tenant_id",
	         where, " ORDER BY c.created_at, c.id");
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r, sql, v);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		(*rows)[i] = (struct report_conv_row){
		    .id = db_i64(r, i, 0),
		    .channel_id = db_i64(r, i, 1),
		    .group_id = ms_or(r, i, 2, 0),
		    .agent_user_id = ms_or(r, i, 3, 0),
		    .created_ms = db_i64(r, i, 4),
		    .first_assigned_ms = ms_or(r, i, 5, -1),
		    .first_agent_message_ms = ms_or(r, i, 6, -1),
		    .closed_ms = ms_or(r, i, 7, -1),
		    .status = db_str(r, i, 8),
		    .closed_from = db_str(r, i, 9),
		    .unserved = db_str(r, i, 10),
		    .transfers = db_i64(r, i, 11),
		    .score = (int)ms_or(r, i, 12, 0),
		};
	return KEFU_OK;
}

kefu_err db_report_messages(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, int64_t *visitor,
                            int64_t *agent)
{
	struct db_args *v = db_args_new(a);
	const char *where = scope_where(a, s, v);
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r,
	                           sql3(a,
	                                "SELECT m.sender, COUNT(*) FROM conversations c JOIN messages m"
	                                " ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id",
	                                where, " AND m.sender IN ('visitor', 'agent') GROUP BY m.sender"),
	                           v);
	*visitor = *agent = 0;
	if (e != KEFU_OK)
		return e;
	for (size_t i = 0; i < r->nrows; i++)
		*(strcmp(db_str(r, i, 0), "agent") == 0 ? agent : visitor) = db_i64(r, i, 1);
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

/* The changes in the range, and each user's last change before it: MAX per user is a loose scan of
 * ix_agent_status_log (rows of the same instant all come, in id order, and the last one holds). */
static const char status_log_sql[] =
    "SELECT l.user_id, l.status, FLOOR(UNIX_TIMESTAMP(l.at) * 1000), l.id FROM agent_status_log l"
    " WHERE l.tenant_id = ? AND l.at >= FROM_UNIXTIME(? / 1000) AND l.at < FROM_UNIXTIME(? / 1000)"
    " UNION ALL SELECT l.user_id, l.status, FLOOR(UNIX_TIMESTAMP(l.at) * 1000), l.id"
    " FROM (SELECT user_id, MAX(at) AS at FROM agent_status_log WHERE tenant_id = ? AND at < FROM_UNIXTIME(? / 1000)"
    " GROUP BY user_id) p JOIN agent_status_log l ON l.tenant_id = ? AND l.user_id = p.user_id AND l.at = p.at"
    " ORDER BY 1, 3, 4";

kefu_err db_report_status_log(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t start_ms, int64_t end_ms,
                              struct report_status_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, status_log_sql, "iiiiii", tenant_id, start_ms, end_ms, tenant_id, start_ms, tenant_id);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		(*rows)[i] = (struct report_status_row){
		    .user_id = db_i64(r, i, 0), .status = db_str(r, i, 1), .at_ms = db_i64(r, i, 2)};
	return KEFU_OK;
}

kefu_err db_report_staff(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct report_user_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT id, name, status, deleted_at IS NOT NULL FROM users WHERE tenant_id = ?"
	                      " AND role IN ('agent', 'admin') ORDER BY name, id",
	                      "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	*n = r->nrows;
	*rows = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		(*rows)[i] = (struct report_user_row){.id = db_i64(r, i, 0),
		                                      .name = db_str(r, i, 1),
		                                      .status = db_str(r, i, 2),
		                                      .deleted = db_i64(r, i, 3) != 0};
	return KEFU_OK;
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
