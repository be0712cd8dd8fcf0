/* store-ratelimit: fixed-window counters shared by every worker (login failures, identity failures). */
#ifndef KEFU_STORE_RATELIMIT_H
#define KEFU_STORE_RATELIMIT_H

#include <stdbool.h>

#include "store/db.h"

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

/* Remove up to 500 windows older than a day (the housekeeping job "ratelimit_trim"). */
kefu_err db_ratelimit_trim(struct kefu_db *db);

#endif
