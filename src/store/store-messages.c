/* store-messages: SQL for the messages table. */
#include "store/store-messages.h"

kefu_err db_messages_insert(struct kefu_db *db, kefu_arena *a, struct message_row *m, size_t n)
{
	struct db_args *v = db_args_new(a);
	for (size_t i = 0; i < n; i++) {
		db_arg_i64(v, m[i].tenant_id);
		db_arg_i64(v, m[i].conversation_id);
		db_arg_i64(v, m[i].seq);
		db_arg_str(v, m[i].sender);
		db_arg_id(v, m[i].agent_user_id);
		db_arg_str(v, m[i].kind);
		db_arg_str(v, m[i].text);
		db_arg_id(v, m[i].attachment_id);
		db_arg_str(v, m[i].card);
	}
	/* RETURNING hands back the rows in the order of VALUES. */
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r,
	                           db_sql_list(a,
	                                       "INSERT INTO messages (tenant_id, conversation_id, seq, sender, agent_user_id,"
	                                       " kind, text, attachment_id, card) VALUES ",
	                                       "(?, ?, ?, ?, ?, ?, ?, ?, ?)", ", ", n, " RETURNING id, created_at"),
	                           v);
	if (e != KEFU_OK)
		return e;
	if (r->nrows != n)
		return KEFU_E_INTERNAL;
	for (size_t i = 0; i < n; i++) {
		m[i].id = db_i64(r, i, 0);
		m[i].created_at = db_str(r, i, 1);
	}
	return KEFU_OK;
}

kefu_err db_message_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct message_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT m.id, m.tenant_id, m.conversation_id, m.seq, m.sender, m.agent_user_id, u.name,"
	                      " m.kind, m.text, m.card, m.attachment_id, t.name, t.mime, t.access_token, t.size,"
	                      " m.created_at FROM messages m"
	                      " LEFT JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.agent_user_id"
	                      " LEFT JOIN attachments t ON t.tenant_id = m.tenant_id AND t.id = m.attachment_id"
	                      " WHERE m.tenant_id = ? AND m.id = ?",
	                      "ii", tenant_id, id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	*out = (struct message_row){
	    .id = db_i64(r, 0, 0),
	    .tenant_id = db_i64(r, 0, 1),
	    .conversation_id = db_i64(r, 0, 2),
	    .seq = db_i64(r, 0, 3),
	    .sender = db_str(r, 0, 4),
	    .agent_user_id = db_null(r, 0, 5) ? 0 : db_i64(r, 0, 5),
	    .agent_name = db_str(r, 0, 6),
	    .kind = db_str(r, 0, 7),
	    .text = db_str(r, 0, 8),
	    .card = db_str(r, 0, 9),
	    .attachment_id = db_null(r, 0, 10) ? 0 : db_i64(r, 0, 10),
	    .att_name = db_str(r, 0, 11),
	    .att_mime = db_str(r, 0, 12),
	    .att_token = db_str(r, 0, 13),
	    .att_size = db_null(r, 0, 14) ? 0 : db_i64(r, 0, 14),
	    .created_at = db_str(r, 0, 15),
	};
	return KEFU_OK;
}
