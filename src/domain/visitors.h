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

/* Registrations allowed per client address and VISITOR_WINDOW_S; the window's length. */
#define VISITOR_WINDOW_S 60

/*
 * Take one registration of client's (the client address) budget of limit
 * per window (0: no limit), atomically (store-ratelimit.h), so concurrent
 * registrations cannot all pass a count made first: KEFU_OK, or
 * KEFU_E_RATE_LIMITED with *retry_after the seconds left.
 */
kefu_err visitor_throttle(struct kefu_db *db, kefu_arena *a, const char *client, int limit, int *retry_after);

/* The buttons an identified visitor's widget offers, the list of db_quick_buttons (store/store-quick-buttons.h). */
kefu_err visitor_quick_buttons(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct quick_button **rows,
                               size_t *n);

#endif
