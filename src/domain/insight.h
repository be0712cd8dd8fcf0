/* insight: visitor insight (docs/visitor-insight.md): page views, who is live, the visitor's own stream, invitations,
 * proactive triggers, and what agents hear of it. */
#ifndef KEFU_DOMAIN_INSIGHT_H
#define KEFU_DOMAIN_INSIGHT_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "domain/crud.h"
#include "store/db.h"
#include "store/store-insight.h"
#include "store/store-visitors.h"

/* A visitor is live for this long after their last page view or poll (a held poll counts from its end). */
#define INSIGHT_LIVE_S 60
/* A visitor who says they leave stays this long, so the next page of the same site keeps them one appearance. */
#define INSIGHT_LEAVE_GRACE_S 5
/* A page view after this long without one starts a new session (visitor.returning: more than one). */
#define INSIGHT_SESSION_GAP_S 1800
/* Page views per visitor and minute (a single-page app reports every navigation). */
#define INSIGHT_PAGEVIEWS_PER_MIN 60
/* The agents' notices about visitors are kept this long (a workbench away longer loads its list again). */
#define INSIGHT_NOTICE_MINUTES 10
/* The housekeeping job's period: leaving visitors and due triggers are handled this often. */
#define INSIGHT_SWEEP_MS 1000

/* What a page view reports; the address and User-Agent come from the request. */
struct pageview_in {
	const char *url, *title, *referrer; /* url required; the others may be NULL */
	const char *user_agent, *address;   /* may be NULL */
};

/*
 * POST /widget/visitors/me/pageviews for visitor v: KEFU_E_FORBIDDEN when
 * the channel does not track visitors (tracking: its switch, as the
 * visitor's authentication read it), KEFU_E_RATE_LIMITED (*retry_after)
 * over INSIGHT_PAGEVIEWS_PER_MIN. Records the view and the browser facts,
 * makes the visitor live (the agents serving the channel hear of it),
 * and schedules the channel's triggers whose conditions hold. *id: the view.
 */
kefu_err insight_pageview(struct kefu_db *db, kefu_arena *a, const struct visitor_row *v, bool tracking,
                          int64_t triggers_rev, const struct pageview_in *in, int64_t *id, int *retry_after);

/* What insight_pageview_token did with a page view. */
struct insight_view {
	bool recorded; /* false: the channel does not track visitors or the origin is not listed; nothing written */
	bool limited;  /* over INSIGHT_PAGEVIEWS_PER_MIN: nothing written; try again after retry_after seconds */
	int retry_after;
	int64_t id; /* the view, when written */
};

/*
 * insight_pageview for the visitor whose token hashes to token_hash, read in
 * the same round trip as the view's record: *va the visitor as the token
 * lookup reads them (*found false: none; strings in a). The view is written
 * only when the channel tracks visitors and origin is in its allowed_origins
 * (origin NULL: the request's origin is acceptable whatever the list); the
 * caller checks *va as for any widget call before it answers, and calls
 * insight_pageview when out->recorded is false.
 */
kefu_err insight_pageview_token(struct kefu_db *db, kefu_arena *a, const char *token_hash, const char *origin,
                                const struct pageview_in *in, struct visitor_auth *va, bool *found,
                                struct insight_view *out);

/*
 * insight_pageview_token, parked: the view is written with the others that
 * arrive meanwhile by the page views' batcher's own thread (store/batcher.h,
 * batcher_park), which then calls done there with its connection and the
 * batch's arena (e, *in, *va, found and *out as insight_pageview_token
 * answers them; valid until done returns), and the caller's thread does not
 * wait. The arguments are copied. false, and nothing queued, when the
 * batcher holds as many parked jobs as it may: call insight_pageview_token.
 */
typedef void (*insight_viewed_fn)(void *ctx, struct kefu_db *db, kefu_arena *a, kefu_err e,
                                  const struct pageview_in *in, struct visitor_auth *va, bool found,
                                  const struct insight_view *out);
bool insight_pageview_token_park(struct kefu_db *db, const char *token_hash, const char *origin,
                                 const struct pageview_in *in, insight_viewed_fn done, void *ctx);

/* The parked page views' thread takes them itself from now on: before each batch, and while none is parked waiting
 * up to wait_ms for one, it calls intake, which parks what has come (insight_pageview_token_park) from a socket of
 * the page views' own (kefu.conf pageview_listen), so that no request thread is woken from accept() for a view only
 * to park it. conf: the settings of the thread's connection, given to intake. */
struct kefu_conf;
typedef void (*insight_intake_fn)(void *arg, struct kefu_db *db, kefu_arena *a, int wait_ms);
void insight_pageview_intake(const struct kefu_conf *conf, insight_intake_fn intake, void *arg);

/* The visitor's poll arrives (held for wait_s): still live, or live again. live_ms: how long the visitor stays live
 * as their authentication read it (-1: not live).
 * KEFU_E_FORBIDDEN when the channel does not track visitors. */
kefu_err insight_poll(struct kefu_db *db, kefu_arena *a, const struct visitor_row *v, bool tracking, int64_t live_ms,
                      int wait_s);

/* The visitor leaves the site (the loader's pagehide): gone after INSIGHT_LEAVE_GRACE_S unless a page follows. */
kefu_err insight_leave(struct kefu_db *db, const struct visitor_row *v);

/* The visitor's own stream after seq after, as EVENT objects; *next the last seq (after when none). */
kefu_err insight_visitor_events(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t after,
                                int limit, json_object **events, int64_t *next);

/* GET /agent/visitors/live: the live visitors of the channels who serves
 * (an admin: all), the newest appearance first; cursor NULL for the first page, else
 * a next_cursor given before (bad: KEFU_E_INVALID_FIELD). *next_cursor NULL
 * on the last page. */
kefu_err insight_live(struct kefu_db *db, kefu_arena *a, const struct actor *who, const char *cursor, int limit,
                      struct live_row **rows, size_t *n, const char **next_cursor);

/* GET /agent/visitors/{id}: the item and the newest page views (at most 50).
 * KEFU_E_NOT_FOUND when not the caller's to see (a channel they do not serve). */
kefu_err insight_visitor(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t visitor_id,
                         struct live_row *item, struct pageview_row **views, size_t *nviews);

/* POST /agent/visitors/{id}/invite: KEFU_E_NOT_FOUND, KEFU_E_CONFLICT (not
 * live, or in a conversation), KEFU_E_CAPACITY (the agent is at the channel
 * rule's maximum). *id the invitation. */
kefu_err insight_invite(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t visitor_id,
                        const char *text, int64_t *id);

/* POST /widget/invitations/{id}/dismiss by visitor v: KEFU_E_NOT_FOUND when
 * not theirs; an invitation already answered keeps its status. *out the row after. */
kefu_err insight_dismiss(struct kefu_db *db, kefu_arena *a, const struct visitor_row *v, int64_t id,
                         struct invitation_row *out);

/* The agents hear that visitor_id changed (a conversation started or ended, an invitation answered). Errors are
 * logged, not returned: the change itself is done. */
void insight_visitor_changed(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id);

/* The live list's item (LiveVisitor in docs/openapi.json); new object. */
json_object *insight_item_json(const struct live_row *x);

/* The housekeeping job "visitor_sweep" (every INSIGHT_SWEEP_MS): visitors
 * whose time ran out leave (agents hear "visitor_left"), due triggers fire
 * (each claimed by one worker of all), old visitor stream entries go. */
void insight_sweep(struct kefu_db *db);

/* Stop the process's flusher (started by the first page view or poll) after it has written what is queued, and wait
 * for it: after the accept threads and the long-polls, before mysql_library_end. Does nothing if it never started. */
void insight_stop(void);

/* /admin/channels/{channel_id}/triggers (api/resource.h, nested: the channel is crud_ctx.parent_id). */
extern const struct crud_ops trigger_ops;

#endif
