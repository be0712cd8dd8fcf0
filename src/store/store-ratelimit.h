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

/*
 * Reserve one hit of bucket's current window, atomically: one statement
 * counts it and hands the new count back, so of any number of concurrent
 * callers exactly the first max are told *ok (a count, then a check, would
 * let them all through before any of them counted). A caller refused is
 * still counted; *retry_after is the seconds left in the window.
 */
kefu_err db_ratelimit_take(struct kefu_db *db, kefu_arena *a, const char *bucket, int window_s, int64_t max, bool *ok,
                           int *retry_after);
/* Give back a hit taken in the current window (a login that succeeded). */
kefu_err db_ratelimit_release(struct kefu_db *db, const char *bucket, int window_s);

#endif
