/* store-retention: SQL for retention_settings and the retention batches. */
#include "store/store-retention.h"

#include "store/store-rows.h"

#define SETTINGS_FIELDS  messages_days, attachments_days, pageviews_days, leave_messages_days, mask_visitor_address
#define SETTINGS_COLUMNS ROWS_SQL(SETTINGS_FIELDS)

static const struct row_spec spec = ROWS(struct retention_settings, SETTINGS_FIELDS);
/* The tenant, then its settings. */
static const struct row_spec tenant_spec = ROWS(struct retention_tenant, tenant_id, s.messages_days, s.attachments_days,
                                                s.pageviews_days, s.leave_messages_days, s.mask_visitor_address);

kefu_err db_retention_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct retention_settings *out)
{
	kefu_err e =
	    rows_query_one(db, a, &spec, out, "SELECT " SETTINGS_COLUMNS " FROM retention_settings WHERE tenant_id = ?",
	                   "i", tenant_id);
	if (e == KEFU_E_NOT_FOUND) {
		*out = (struct retention_settings){.mask_visitor_address = true};
		return KEFU_OK;
	}
	return e;
}

kefu_err db_retention_put(struct kefu_db *db, int64_t tenant_id, const struct retention_settings *s)
{
	return db_exec(db, NULL, NULL,
	               "INSERT INTO retention_settings (tenant_id, " SETTINGS_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?)"
	               " ON DUPLICATE KEY UPDATE messages_days = VALUES(messages_days),"
	               " attachments_days = VALUES(attachments_days), pageviews_days = VALUES(pageviews_days),"
	               " leave_messages_days = VALUES(leave_messages_days),"
	               " mask_visitor_address = VALUES(mask_visitor_address)",
	               "iiiiii", tenant_id, s->messages_days, s->attachments_days, s->pageviews_days,
	               s->leave_messages_days, (int64_t)s->mask_visitor_address);
}

kefu_err db_retention_tenants(struct kefu_db *db, kefu_arena *a, int64_t after, int64_t limit,
                              struct retention_tenant **rows, size_t *n)
{
	/* Cross-tenant on purpose: housekeeping serves every tenant; each
	 * batch below is then scoped to one. */
	return rows_query(db, a, &tenant_spec, (void **)rows, n,
	                  "SELECT tenant_id, " SETTINGS_COLUMNS " FROM retention_settings WHERE tenant_id > ?"
	                  " AND (messages_days > 0 OR attachments_days > 0 OR pageviews_days > 0"
	                  " OR leave_messages_days > 0) ORDER BY tenant_id LIMIT ?",
	                  "ii", after, limit);
}

/* The batches by kind, each taking (tenant_id, days, limit) and the status
 * log's days a second time. The keys are forced: on a small table the
 * optimizer may prefer another one and sort, which at scale would read a
 * tenant's whole table per batch. */
static const struct {
	const char *sql;
	bool days_twice;
} batches[] = {
    [RETAIN_MESSAGES] = {.sql = "UPDATE messages FORCE INDEX (ix_messages_retention) SET text = NULL, card = NULL,"
                                " removed_at = NOW(3)"
                                " WHERE tenant_id = ? AND removed_at IS NULL AND created_at < NOW(3) - INTERVAL ? DAY"
                                " ORDER BY tenant_id, removed_at, created_at LIMIT ?"},
    [RETAIN_ATTACHMENTS] = {.sql =
                                "UPDATE attachments FORCE INDEX (ix_attachments_retention) SET data = '',"
                                " removed_at = NOW(3)"
                                " WHERE tenant_id = ? AND removed_at IS NULL AND created_at < NOW(3) - INTERVAL ? DAY"
                                " ORDER BY tenant_id, removed_at, created_at LIMIT ?"},
    [RETAIN_LEAVE_MESSAGES] =
        {.sql = "DELETE FROM leave_messages WHERE tenant_id = ? AND created_at < NOW(3) - INTERVAL ? DAY"
                " ORDER BY tenant_id, created_at LIMIT ?"},
    /* Walks ix_agent_status_log_at (schema/0027) from the tenant's oldest row; each candidate's newer row of
     * the same user before the cut-off is one probe of ix_agent_status_log. */
    [RETAIN_STATUS_LOG] =
        {.sql = "DELETE FROM agent_status_log WHERE tenant_id = ? AND at < NOW(3) - INTERVAL ? DAY"
                " AND EXISTS (SELECT 1 FROM agent_status_log n WHERE n.tenant_id = agent_status_log.tenant_id"
                " AND n.user_id = agent_status_log.user_id AND n.at > agent_status_log.at"
                " AND n.at < NOW(3) - INTERVAL ? DAY) ORDER BY tenant_id, at LIMIT ?",
         .days_twice = true},
};

kefu_err db_retention_batch(struct kefu_db *db, enum retention_kind kind, int64_t tenant_id, int64_t days,
                            int64_t limit, uint64_t *done)
{
	return batches[kind].days_twice
	           ? db_exec(db, done, NULL, batches[kind].sql, "iiii", tenant_id, days, days, limit)
	           : db_exec(db, done, NULL, batches[kind].sql, "iii", tenant_id, days, limit);
}
