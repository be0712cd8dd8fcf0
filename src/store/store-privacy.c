/* store-privacy: SQL for one person's export and erase. */
#include "store/store-privacy.h"

#include <string.h>

#include "store/store-rows.h"

kefu_err db_privacy_visitor_ids(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t record_id,
                                bool for_update, int64_t **ids, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query_one(db, a, &r,
	                          for_update ? "SELECT id FROM crm_records WHERE tenant_id = ? AND id = ?"
	                                       " AND object = 'WebImVisitorObj' FOR UPDATE"
	                                     : "SELECT id FROM crm_records WHERE tenant_id = ? AND id = ?"
	                                       " AND object = 'WebImVisitorObj'",
	                          "ii", tenant_id, record_id);
	if (e != KEFU_OK)
		return e;
	e = db_query(
	    db, a, &r,
	    "SELECT visitor_id FROM crm_visitor_records WHERE tenant_id = ? AND record_id = ? ORDER BY visitor_id",
	    "ii", tenant_id, record_id);
	return e != KEFU_OK ? e : rows_ids(r, a, ids, n);
}

/* The tenant then the ids, for a statement ending in "IN (" ids ")". */
static struct db_args *tenant_and_ids(kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n)
{
	struct db_args *v = db_args_new(a);
	db_arg_i64(v, tenant_id);
	for (size_t i = 0; i < n; i++)
		db_arg_i64(v, ids[i]);
	return v;
}

static const struct row_spec conv_spec =
    ROWS(struct privacy_conversation, id, channel_id, visitor_id, agent_user_id, group_id, status, agent_name, prechat,
         created_at, assigned_at, closed_at, closed_by, rating_score, rating_comment, rated_at);

kefu_err db_privacy_conversations(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                                  struct privacy_conversation **rows, size_t *nrows)
{
	struct db_result *r;
	kefu_err e = db_query_args(
	    db, a, &r,
	    db_sql_list(a,
	                "SELECT c.id, c.channel_id, c.visitor_id, c.agent_user_id, c.group_id, c.status, u.name,"
	                " c.prechat, c.created_at, c.assigned_at, c.closed_at, c.closed_by, rt.score, rt.comment,"
	                " rt.created_at FROM conversations c"
	                " LEFT JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.agent_user_id"
	                " LEFT JOIN ratings rt ON rt.tenant_id = c.tenant_id AND rt.conversation_id = c.id"
	                " WHERE c.tenant_id = ? AND c.visitor_id IN (",
	                "?", ", ", n, ") ORDER BY c.id"),
	    tenant_and_ids(a, tenant_id, ids, n));
	return e != KEFU_OK ? e : rows_all(r, a, &conv_spec, (void **)rows, nrows);
}

kefu_err db_privacy_messages(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                             struct message_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " MESSAGE_COLUMNS " FROM messages m" MESSAGE_JOINS
	                      " WHERE m.tenant_id = ? AND m.conversation_id = ? ORDER BY m.seq",
	                      "ii", tenant_id, conversation_id);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		db_message_read(r, i, 0, &(*rows)[i]);
	*n = r->nrows;
	return KEFU_OK;
}

/* One statement over the person's conversations: head names the table joined
 * as c (conversations) and ends in "c.visitor_id IN (". */
static kefu_err over_visitors(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                              const char *head, uint64_t *affected)
{
	return db_exec_args(db, affected, NULL, db_sql_list(a, head, "?", ", ", n, ")"),
	                    tenant_and_ids(a, tenant_id, ids, n));
}

kefu_err db_privacy_erase(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t record_id, const int64_t *ids,
                          size_t n, struct privacy_erased *out)
{
	memset(out, 0, sizeof *out);
	/* The statements over the person's conversations, in order; count is where the answer's count goes. */
	const struct {
		const char *head;
		uint64_t *count;
	} steps[] = {
	    /* Message rows stay (they are stream entries and report counts). */
	    {"UPDATE messages m JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id"
	     " SET m.text = NULL, m.card = NULL, m.removed_at = COALESCE(m.removed_at, NOW(3))"
	     " WHERE c.tenant_id = ? AND c.visitor_id IN (",
	     &out->messages},
	    {"UPDATE attachments t JOIN conversations c ON c.tenant_id = t.tenant_id AND c.id = t.conversation_id"
	     " SET t.data = '', t.removed_at = COALESCE(t.removed_at, NOW(3))"
	     " WHERE c.tenant_id = ? AND c.visitor_id IN (",
	     &out->attachments},
	    {"UPDATE ratings t JOIN conversations c ON c.tenant_id = t.tenant_id AND c.id = t.conversation_id"
	     " SET t.comment = NULL WHERE c.tenant_id = ? AND c.visitor_id IN (",
	     NULL},
	    /* The rating event repeats the comment to the agent's stream. */
	    {"UPDATE events t JOIN conversations c ON c.tenant_id = t.tenant_id AND c.id = t.conversation_id"
	     " SET t.body = JSON_REPLACE(t.body, '$.rating.comment', NULL)"
	     " WHERE t.type = 'rating' AND c.tenant_id = ? AND c.visitor_id IN (",
	     NULL},
	    /* Agents' notes are about the person too (transfer reasons, what was asked). */
	    {"UPDATE conversation_notes t JOIN conversations c ON c.tenant_id = t.tenant_id"
	     " AND c.id = t.conversation_id SET t.text = '' WHERE c.tenant_id = ? AND c.visitor_id IN (",
	     NULL},
	    {"UPDATE conversations c SET c.prechat = '{}' WHERE c.tenant_id = ? AND c.visitor_id IN (", NULL},
	    {"DELETE FROM leave_messages WHERE tenant_id = ? AND visitor_id IN (", &out->leave_messages},
	    /* The row stays for its conversations; the token_hash becomes a
	     * value no SHA-256 hex digest can equal, so every token is dead. */
	    {"UPDATE visitors SET token_hash = CONCAT('erased-', id), page_url = NULL,"
	     " referrer = NULL, locale = NULL, user_agent = NULL, attributes = NULL,"
	     " identified = 0, name = NULL, roles = NULL, contact_id = NULL, account_id = NULL,"
	     " erased_at = NOW(3) WHERE tenant_id = ? AND id IN (",
	     NULL},
	};
	kefu_err e = KEFU_OK;
	if (n > 0) {
		/* The count first: no step adds or removes a conversation. */
		struct db_result *r;
		e = db_query_args(db, a, &r,
		                  db_sql_list(a,
		                              "SELECT COUNT(*) FROM conversations c WHERE c.tenant_id = ?"
		                              " AND c.visitor_id IN (",
		                              "?", ", ", n, ")"),
		                  tenant_and_ids(a, tenant_id, ids, n));
		if (e == KEFU_OK)
			out->conversations = (uint64_t)db_i64(r, 0, 0);
		for (size_t i = 0; e == KEFU_OK && i < sizeof steps / sizeof steps[0]; i++)
			e = over_visitors(db, a, tenant_id, ids, n, steps[i].head, steps[i].count);
		/* Webhook bodies already queued or kept as the delivery log carry
		 * pre-chat answers, names and leave-message fields: redact them, and
		 * cancel the undelivered ones (a CRM must not learn of the person
		 * after the erase). last_error is set before status changes. */
		if (e == KEFU_OK) {
			struct db_args *v = db_args_new(a);
			db_arg_i64(v, tenant_id);
			for (int k = 0; k < 3; k++)
				for (size_t i = 0; i < n; i++)
					db_arg_i64(v, ids[i]);
			const char *in = db_sql_list(a, "(", "?", ", ", n, ")");
			e = db_exec_args(
			    db, &out->outbox, NULL,
			    arena_printf(
			        a,
			        "UPDATE webhook_outbox SET"
			        " body = JSON_REPLACE(body, '$.data.conversation.prechat', JSON_OBJECT(),"
			        " '$.data.visitor.name', NULL, '$.data.leave_message.fields', JSON_OBJECT()),"
			        " last_error = IF(status = 'delivered', last_error, 'cancelled: visitor erased'),"
			        " status = IF(status = 'delivered', status, 'failed')"
			        " WHERE tenant_id = ? AND event <> 'visitor.erased'"
			        " AND (JSON_VALUE(body, '$.data.conversation.visitor_id') IN %s"
			        " OR JSON_VALUE(body, '$.data.visitor.id') IN %s"
			        " OR JSON_VALUE(body, '$.data.leave_message.visitor_id') IN %s)",
			        in, in, in),
			    v);
		}
	}
	/* Then the record and its links. */
	static const char *const drop[] = {
	    "DELETE FROM crm_field_index WHERE tenant_id = ? AND record_id = ?",
	    "DELETE FROM crm_visitor_records WHERE tenant_id = ? AND record_id = ?",
	    "DELETE FROM crm_records WHERE tenant_id = ? AND id = ?",
	};
	for (size_t i = 0; e == KEFU_OK && i < sizeof drop / sizeof drop[0]; i++)
		e = db_exec(db, NULL, NULL, drop[i], "ii", tenant_id, record_id);
	return e;
}
