/* visitors: the widget's visitors as handlers reach them: by token, created, touched, and the rate limit on creating
 * them. */
#ifndef KEFU_DOMAIN_VISITORS_H
#define KEFU_DOMAIN_VISITORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-ratelimit.h"
#include "store/store-visitors.h"
#include "store/store-quick-buttons.h"

/* ---- what handlers read (thin: the store call, behind the domain) ---- */

/* db_visitor_get (store/store-visitors.h), for handlers: they reach the store through the domain. */
kefu_err visitor_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct visitor_row *out);

/* db_visitor_by_token (store/store-visitors.h), for handlers: they reach the store through the domain. */
kefu_err visitor_by_token(struct kefu_db *db, kefu_arena *a, const char *token_hash, struct visitor_row *out);

/* db_visitor_create (store/store-visitors.h), for handlers: they reach the store through the domain. */
kefu_err visitor_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, const char *token_hash,
                        const struct visitor_seen *seen, int64_t *id);

/* db_visitor_touch (store/store-visitors.h), for handlers: they reach the store through the domain. */
kefu_err visitor_touch(struct kefu_db *db, int64_t tenant_id, int64_t id, const struct visitor_seen *seen);

/* db_ratelimit_count (store/store-ratelimit.h), for handlers: they reach the store through the domain. */
kefu_err visitor_ratelimit_count(struct kefu_db *db, kefu_arena *a, const char *bucket, int window_s, int64_t *hits,
                                 int *retry_after);

/* db_ratelimit_hit (store/store-ratelimit.h), for handlers: they reach the store through the domain. */
kefu_err visitor_ratelimit_hit(struct kefu_db *db, const char *bucket, int window_s);

/* The buttons an identified visitor's widget offers: db_quick_button_list (store/store-quick-buttons.h). */
kefu_err visitor_quick_buttons(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct quick_button **rows, size_t *n);

#endif
