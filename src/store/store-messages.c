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
		db_arg_id(v, m[i].stream_user_id);
		db_arg_id(v, m[i].stream_user_id > 0 ? m[i].stream_user_seq : 0);
	}
	/* RETURNING hands back the rows in the order of VALUES. */
	struct db_result *r;
	kefu_err e =
	    db_query_args(db, a, &r,
	                  db_sql_list(a,
	                              "INSERT INTO messages (tenant_id, conversation_id, seq, sender, agent_user_id,"
	                              " kind, text, attachment_id, card, stream_user_id, stream_user_seq) VALUES ",
	                              "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ", ", n, " RETURNING id, created_at"),
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

void db_message_read(const struct db_result *r, size_t row, size_t col, struct message_row *out)
{
	*out = (struct message_row){
	    .id = db_i64(r, row, col),
	    .tenant_id = db_i64(r, row, col + 1),
	    .conversation_id = db_i64(r, row, col + 2),
	    .seq = db_i64(r, row, col + 3),
	    .sender = db_str(r, row, col + 4),
	    .agent_user_id = db_null(r, row, col + 5) ? 0 : db_i64(r, row, col + 5),
	    .agent_name = db_str(r, row, col + 6),
	    .kind = db_str(r, row, col + 7),
	    .text = db_str(r, row, col + 8),
	    .card = db_str(r, row, col + 9),
	    .attachment_id = db_null(r, row, col + 10) ? 0 : db_i64(r, row, col + 10),
	    .att_name = db_str(r, row, col + 11),
	    .att_mime = db_str(r, row, col + 12),
	    .att_token = db_str(r, row, col + 13),
	    .att_size = db_null(r, row, col + 14) ? 0 : db_i64(r, row, col + 14),
	    .created_at = db_str(r, row, col + 15),
	    .removed = !db_null(r, row, col + 16),
	};
}
