/* store-ratelimit: SQL for the rate_limits table. */
#include "store/store-ratelimit.h"

/* The window start, computed by the database so every worker agrees. */
#define WINDOW "FROM_UNIXTIME(UNIX_TIMESTAMP() DIV ? * ?)"

kefu_err db_ratelimit_trim(struct kefu_db *db)
{
	/* Old windows are dead weight; a bounded batch keeps each run short. */
	return db_exec(db, NULL, NULL, "DELETE FROM rate_limits WHERE window_start < NOW() - INTERVAL 1 DAY LIMIT 500",
	               "");
}

kefu_err db_ratelimit_take(struct kefu_db *db, kefu_arena *a, const char *bucket, int window_s, int64_t max, bool *ok,
                           int *retry_after)
{
	/* LAST_INSERT_ID(expr) hands the row's new count back through the
	 * statement's insert id, as stream numbers are handed out (store-events.c). */
	int64_t hits = 0;
	kefu_err e =
	    db_exec(db, NULL, &hits,
	            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, " WINDOW ", LAST_INSERT_ID(1))"
	            " ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 1)",
	            "sii", bucket, (int64_t)window_s, (int64_t)window_s);
	if (e != KEFU_OK)
		return e;
	*ok = hits <= max;
	if (*ok)
		return KEFU_OK;
	struct db_result *r;
	e = db_query(db, a, &r, "SELECT ? - UNIX_TIMESTAMP() MOD ?", "ii", (int64_t)window_s, (int64_t)window_s);
	if (e != KEFU_OK)
		return e;
	*retry_after = (int)db_i64(r, 0, 0);
	return KEFU_OK;
}

kefu_err db_ratelimit_release(struct kefu_db *db, const char *bucket, int window_s)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE rate_limits SET hits = hits - 1"
	               " WHERE bucket = ? AND window_start = " WINDOW " AND hits > 0",
	               "sii", bucket, (int64_t)window_s, (int64_t)window_s);
}
