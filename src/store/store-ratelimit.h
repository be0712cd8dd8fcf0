/* store-ratelimit: fixed-window counters shared by every worker (login failures, identity failures). */
#ifndef KEFU_STORE_RATELIMIT_H
#define KEFU_STORE_RATELIMIT_H

#include <stdbool.h>

#include "store/db.h"

/* Hits recorded for bucket in the current window of window_s seconds;
 * *retry_after is the seconds left in the window. */
kefu_err db_ratelimit_count(struct kefu_db *db, kefu_arena *a, const char *bucket, int window_s, int64_t *hits,
                            int *retry_after);
/* Record one hit for bucket in the current window. */
kefu_err db_ratelimit_hit(struct kefu_db *db, const char *bucket, int window_s);

#endif
