/* visitors: the widget's visitors as handlers reach them: by token, created, touched, and the rate limit on creating
 * them. */
#include "domain/visitors.h"

#include "store/store-rows.h"

kefu_err visitor_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct visitor_row *out)
{
	return db_visitor_get(db, a, tenant_id, id, out);
}

kefu_err visitor_by_token(struct kefu_db *db, kefu_arena *a, const char *token_hash, struct visitor_row *out)
{
	return db_visitor_by_token(db, a, token_hash, out);
}

kefu_err visitor_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, const char *token_hash,
                        const struct visitor_seen *seen, int64_t *id)
{
	return db_visitor_create(db, tenant_id, channel_id, token_hash, seen, id);
}

kefu_err visitor_touch(struct kefu_db *db, int64_t tenant_id, int64_t id, const struct visitor_seen *seen)
{
	return db_visitor_touch(db, tenant_id, id, seen);
}

kefu_err visitor_throttle(struct kefu_db *db, kefu_arena *a, const char *client, int limit, int *retry_after)
{
	if (limit <= 0)
		return KEFU_OK;
	const char *bucket = arena_printf(a, "visitor:%s", client ? client : "-");
	bool ok = false;
	kefu_err e = db_ratelimit_take(db, a, bucket, VISITOR_WINDOW_S, limit, &ok, retry_after);
	return e != KEFU_OK ? e : ok ? KEFU_OK : KEFU_E_RATE_LIMITED;
}

kefu_err visitor_quick_buttons(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct quick_button **rows,
                               size_t *n)
{
	return rows_table_list(db, a, &db_quick_buttons, tenant_id, (void **)rows, n);
}
