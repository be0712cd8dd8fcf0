/* store-leave-messages: SQL for the leave_messages table. */
#include "store/store-leave-messages.h"

#include "store/store-rows.h"

#define LM_COLUMNS                                                                                                     \
	"id, channel_id, COALESCE(visitor_id, 0), COALESCE(rule_id, 0), COALESCE(handled_by, 0), fields, status,"      \
	" note, created_at, handled_at"

static const struct row_spec spec = ROWS(struct leave_row, id, channel_id, visitor_id, rule_id, handled_by, fields,
                                         status, note, created_at, handled_at);

kefu_err db_leave_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t visitor_id, int64_t rule_id,
                         const char *fields, int64_t *id)
{
	return db_exec(
	    db, NULL, id,
	    "INSERT INTO leave_messages (tenant_id, channel_id, visitor_id, rule_id, fields) VALUES (?, ?, ?, ?, ?)",
	    "iinns", tenant_id, channel_id, visitor_id, rule_id, fields);
}

kefu_err db_leave_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *status, int64_t limit,
                       struct leave_row **rows, size_t *n)
{
	return rows_query(db, a, &spec, (void **)rows, n,
	                  "SELECT " LM_COLUMNS " FROM leave_messages WHERE tenant_id = ? AND (? IS NULL OR status = ?)"
	                  " ORDER BY id DESC LIMIT ?",
	                  "issi", tenant_id, status, status, limit);
}

kefu_err db_leave_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct leave_row *out)
{
	return rows_query_one(db, a, &spec, out,
	                      "SELECT " LM_COLUMNS " FROM leave_messages WHERE tenant_id = ? AND id = ?", "ii",
	                      tenant_id, id);
}

kefu_err db_leave_handle(struct kefu_db *db, int64_t tenant_id, int64_t id, int64_t user_id, const char *note)
{
	uint64_t n = 0;
	kefu_err e =
	    db_exec(db, &n, NULL,
	            "UPDATE leave_messages SET status = 'handled', handled_by = ?, note = ?, handled_at = NOW(3)"
	            " WHERE tenant_id = ? AND id = ?",
	            "isii", user_id, note, tenant_id, id);
	if (e != KEFU_OK)
		return e;
	/* affected is 0 both when absent and when unchanged: tell them apart. */
	if (n == 0) {
		kefu_arena *a = arena_new();
		struct leave_row row;
		e = db_leave_get(db, a, tenant_id, id, &row);
		arena_free(a);
	}
	return e;
}

kefu_err db_leave_of_visitors(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *visitor_ids,
                              size_t nids, struct leave_row **rows, size_t *n)
{
	struct db_args *v = db_args_new(a);
	db_arg_i64(v, tenant_id);
	for (size_t i = 0; i < nids; i++)
		db_arg_i64(v, visitor_ids[i]);
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r,
	                           db_sql_list(a,
	                                       "SELECT " LM_COLUMNS " FROM leave_messages WHERE tenant_id = ?"
	                                       " AND visitor_id IN (",
	                                       "?", ", ", nids, ") ORDER BY id"),
	                           v);
	return e != KEFU_OK ? e : rows_all(r, a, &spec, (void **)rows, n);
}
