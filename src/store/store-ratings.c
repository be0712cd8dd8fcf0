/* store-ratings: SQL for satisfaction ratings and the ratings report. */
#include "store/store-ratings.h"

#include <stdlib.h>

#include "store/store-rows.h"

static const struct row_spec spec = ROWS(struct rating_row, conversation_id, agent_user_id, score, comment, created_at);

kefu_err db_rating_create(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t agent_user_id,
                          int score, const char *comment)
{
	return db_exec(
	    db, NULL, NULL,
	    "INSERT INTO ratings (conversation_id, tenant_id, agent_user_id, score, comment) VALUES (?, ?, ?, ?, ?)",
	    "iinis", conversation_id, tenant_id, agent_user_id, (int64_t)score, comment);
}

kefu_err db_rating_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                       struct rating_row *out)
{
	return rows_query_one(db, a, &spec, out,
	                      "SELECT conversation_id, agent_user_id, score, comment, created_at FROM ratings"
	                      " WHERE tenant_id = ? AND conversation_id = ?",
	                      "ii", tenant_id, conversation_id);
}

static const struct row_spec stat_spec = ROWS(struct rating_stat, key, label, count, average);
static const struct row_spec comment_spec =
    ROWS(struct rating_comment, conversation_id, score, comment, created_at, agent_name);

/* One statistics query over [from, to): sql takes (tenant_id, from, from, to, to). */
static kefu_err stats_query(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *from, const char *to,
                            const char *sql, struct rating_stat **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, sql, "issss", tenant_id, from, from, to, to);
	return e != KEFU_OK ? e : rows_all(r, a, &stat_spec, (void **)rows, n);
}

kefu_err db_rating_by_agent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *from, const char *to,
                            struct rating_stat **rows, size_t *n)
{
	return stats_query(
	    db, a, tenant_id, from, to,
	    "SELECT x.agent_user_id, u.name, COUNT(*), ROUND(AVG(x.score), 2) FROM ratings x"
	    " LEFT JOIN users u ON u.id = x.agent_user_id AND u.tenant_id = x.tenant_id"
	    " WHERE x.tenant_id = ? AND (? IS NULL OR x.created_at >= ?) AND (? IS NULL OR x.created_at < ?)"
	    " GROUP BY x.agent_user_id, u.name ORDER BY u.name, x.agent_user_id",
	    rows, n);
}

kefu_err db_rating_by_day(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *from, const char *to,
                          struct rating_stat **rows, size_t *n)
{
	return stats_query(
	    db, a, tenant_id, from, to,
	    "SELECT 0, DATE_FORMAT(created_at, '%Y-%m-%d') d, COUNT(*), ROUND(AVG(score), 2) FROM ratings"
	    " WHERE tenant_id = ? AND (? IS NULL OR created_at >= ?) AND (? IS NULL OR created_at < ?)"
	    " GROUP BY d ORDER BY d",
	    rows, n);
}

kefu_err db_rating_comments(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *from, const char *to,
                            const struct rating_filter *flt, int limit, struct rating_comment **rows, size_t *n)
{
	int64_t hc = flt->has_channel, hg = flt->has_group, ha = flt->has_agent;
	return rows_query(
	    db, a, &comment_spec, (void **)rows, n,
	    "SELECT x.conversation_id, x.score, x.comment, DATE_FORMAT(x.created_at, '%Y-%m-%dT%H:%i:%sZ'), u.name"
	    " FROM ratings x JOIN conversations c ON c.id = x.conversation_id AND c.tenant_id = x.tenant_id"
	    " LEFT JOIN users u ON u.id = x.agent_user_id AND u.tenant_id = x.tenant_id"
	    " WHERE x.tenant_id = ? AND c.created_at >= ? AND c.created_at < ? AND x.comment IS NOT NULL"
	    " AND x.comment <> '' AND (? = 0 OR c.channel_id = ?) AND (? = 0 OR IFNULL(c.group_id, 0) = ?)"
	    " AND (? = 0 OR IFNULL(c.agent_user_id, 0) = ?) ORDER BY x.created_at DESC, x.conversation_id DESC LIMIT ?",
	    "issiiiiiii", tenant_id, from, to, hc, flt->channel_id, hg, flt->group_id, ha, flt->agent_id,
	    (int64_t)limit);
}
