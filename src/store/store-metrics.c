/* store-metrics: SQL for /metrics' database-wide gauges (operator data, across tenants by design). */
#include "store/store-metrics.h"

#include <string.h>

kefu_err db_metrics_text(struct kefu_db *db, kefu_arena *a, char **text)
{
	struct db_result *q, *l;
	kefu_err e = db_query(
	    db, a, &q, "SELECT tenant_id, group_id, COUNT(*) FROM queue_entries GROUP BY tenant_id, group_id", "");
	if (e == KEFU_OK)
		e = db_query(db, a, &l, "SELECT tenant_id, SUM(live) FROM agent_load GROUP BY tenant_id", "");
	if (e != KEFU_OK)
		return e;
	char *out = arena_strdup(a, "# HELP kefu_queue_length Conversations waiting, by tenant and agent group.\n"
	                            "# TYPE kefu_queue_length gauge\n");
	for (size_t i = 0; i < q->nrows; i++)
		out = arena_printf(a, "%skefu_queue_length{tenant=\"%lld\",group=\"%lld\"} %lld\n", out,
		                   (long long)db_i64(q, i, 0), (long long)db_i64(q, i, 1), (long long)db_i64(q, i, 2));
	out = arena_printf(a,
	                   "%s# HELP kefu_live_conversations Conversations assigned to an agent now, by tenant.\n"
	                   "# TYPE kefu_live_conversations gauge\n",
	                   out);
	for (size_t i = 0; i < l->nrows; i++)
		out = arena_printf(a, "%skefu_live_conversations{tenant=\"%lld\"} %lld\n", out,
		                   (long long)db_i64(l, i, 0), (long long)db_i64(l, i, 1));
	*text = out;
	return KEFU_OK;
}
