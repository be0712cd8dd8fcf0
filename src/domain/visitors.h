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

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_visitor_get (store/store-visitors.h). */
kefu_err visitor_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct visitor_row *out);

/* As db_visitor_by_token (store/store-visitors.h). */
kefu_err visitor_by_token(struct kefu_db *db, kefu_arena *a, const char *token_hash, struct visitor_row *out);

/* As db_visitor_create (store/store-visitors.h). */
kefu_err visitor_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, const char *token_hash,
                        const struct visitor_seen *seen, int64_t *id);

/* As db_visitor_touch (store/store-visitors.h). */
kefu_err visitor_touch(struct kefu_db *db, int64_t tenant_id, int64_t id, const struct visitor_seen *seen);

/* As db_ratelimit_count (store/store-ratelimit.h). */
kefu_err visitor_ratelimit_count(struct kefu_db *db, kefu_arena *a, const char *bucket, int window_s, int64_t *hits,
                                 int *retry_after);

/* As db_ratelimit_hit (store/store-ratelimit.h). */
kefu_err visitor_ratelimit_hit(struct kefu_db *db, const char *bucket, int window_s);

/* The buttons an identified visitor's widget offers, as db_quick_button_list (store/store-quick-buttons.h). */
kefu_err visitor_quick_buttons(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct quick_button **rows, size_t *n);

#endif
