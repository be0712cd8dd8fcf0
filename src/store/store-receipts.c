/* store-receipts: the reads behind typing signals and read receipts (recent typing events, messages inside a read
 * range). */
#include "store/store-receipts.h"

#include <string.h>

kefu_err db_typing_recent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                          const char *sender, int within_ms, bool *recent)
{
	struct db_result *r;
	/* The newest 8 events are plenty: a typing event older than that has
	 * been overtaken by messages anyway. body holds "sender":"<who>". */
	const char *needle = strcmp(sender, "agent") == 0 ? "%\"sender\":\"agent\"%" : "%\"sender\":\"visitor\"%";
	kefu_err e = db_query(db, a, &r,
	                      "SELECT COUNT(*) FROM (SELECT type, body, created_at FROM events WHERE tenant_id = ?"
	                      " AND conversation_id = ? ORDER BY seq DESC LIMIT 8) t WHERE t.type = 'typing'"
	                      " AND t.body LIKE ? AND t.created_at > NOW(3) - INTERVAL ? * 1000 MICROSECOND",
	                      "iisi", tenant_id, conversation_id, needle, (int64_t)within_ms);
	if (e != KEFU_OK)
		return e;
	*recent = db_i64(r, 0, 0) > 0;
	return KEFU_OK;
}

kefu_err db_messages_in_range(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                              const char *sender, int64_t after, int64_t upto, int64_t *n)
{
	return db_query_i64(db, a, n,
	                    "SELECT COUNT(*) FROM messages WHERE tenant_id = ? AND conversation_id = ? AND sender = ?"
	                    " AND seq > ? AND seq <= ?",
	                    "iisii", tenant_id, conversation_id, sender, after, upto);
}
