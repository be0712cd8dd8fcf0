/* store-audit: SQL for the audit_log table. */
#include "store/store-audit.h"

#include "store/store-rows.h"

kefu_err audit_record(struct kefu_db *db, const struct actor *who, const char *action, const char *object_type,
                      int64_t object_id, json_object *summary)
{
	const char *text =
	    summary ? json_object_to_json_string_ext(summary, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
	            : "{}";
	kefu_err e =
	    db_exec(db, NULL, NULL,
	            "INSERT INTO audit_log (tenant_id, actor_user_id, actor_api_key_id, action, object_type,"
	            " object_id, summary) VALUES (?, ?, ?, ?, ?, ?, ?)",
	            "innssns", who->tenant_id, who->user_id, who->api_key_id, action, object_type, object_id, text);
	json_object_put(summary);
	return e;
}

static const struct row_spec spec = ROWS(struct audit_row, id, actor_user_id, actor_api_key_id, object_id, actor_name,
                                         action, object_type, summary, created_at);

kefu_err db_audit_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t before, int64_t limit,
                       struct audit_row **rows, size_t *n)
{
	return rows_query(db, a, &spec, (void **)rows, n,
	                  "SELECT l.id, l.actor_user_id, l.actor_api_key_id, l.object_id,"
	                  " COALESCE(u.name, k.name), l.action, l.object_type, l.summary, l.created_at"
	                  " FROM audit_log l"
	                  " LEFT JOIN users u ON u.id = l.actor_user_id AND u.tenant_id = l.tenant_id"
	                  " LEFT JOIN api_keys k ON k.id = l.actor_api_key_id AND k.tenant_id = l.tenant_id"
	                  " WHERE l.tenant_id = ? AND (? = 0 OR l.id < ?) ORDER BY l.id DESC LIMIT ?",
	                  "iiii", tenant_id, before, before, limit);
}
