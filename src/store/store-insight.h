/* store-insight: SQL for visitor insight: what a visitor's browser says, page views, who is live, invitations,
 * proactive triggers and their due times. */
#ifndef KEFU_STORE_INSIGHT_H
#define KEFU_STORE_INSIGHT_H

#include <stdbool.h>

#include "store/db.h"
#include "store/store-visitors.h"

/* ---- the visitor's browser and address (visitors columns) ---- */

struct visitor_facts {
	const char *browser, *browser_version, *os, *device, *address; /* NULL keeps the stored value */
	bool geo;                   /* a GeoIP database answered for address: country and city are set as they are */
	const char *country, *city; /* with geo: NULL when the database has none */
};

/* ---- page views ---- */

/* A page view as db_pageview_record takes it. */
struct pageview_in_row {
	const char *url, *title, *referrer;
	int gap_s;         /* a new session after this long without a view */
	int window_s, max; /* the rate limit: at most max views in window_s */
	int live_s;        /* the visitor is live for this long from now */
};
/* A transaction of its own, in one round trip (run it with db_tx_self): the
 * page view, unless the visitor already has max views in the last window_s
 * (then *id is 0 and nothing is written), and with it the visitor's counters
 * (pages_viewed + 1, sessions + 1 when the last view is older than gap_s or
 * there is none, last_page_at, page_url), browser facts and their
 * visitor_live row: live for live_s from now (a visitor who left within the
 * grace and comes back stays one appearance). */
kefu_err db_pageview_record(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                            int64_t visitor_id, const struct pageview_in_row *in, const struct visitor_facts *f,
                            int64_t *id);

/* What db_pageview_by_token did. */
enum pageview_by_token_status {
	PAGEVIEW_NOT_RECORDED, /* tracking off, or the origin not in the channel's list: nothing written */
	PAGEVIEW_RECORDED,
	PAGEVIEW_LIMITED, /* over the rate limit: nothing written */
	PAGEVIEW_FAILED,  /* db_pageviews_by_token: its write failed and was rolled back; write it again alone */
};
/* db_pageview_record for the visitor whose token hashes to token_hash, read
 * in the same round trip (schema/0040-pageview-by-token.sql; run it with
 * db_tx_self): recorded only when their channel tracks visitors and origin is
 * in its allowed_origins (origin NULL: acceptable whatever the list). *va:
 * the visitor as db_visitor_auth reads them (strings in a), *found false when
 * there is none (nor a live channel of theirs); *id the view (0: none). */
kefu_err db_pageview_by_token(struct kefu_db *db, kefu_arena *a, const char *token_hash, const char *origin,
                              const struct pageview_in_row *in, const struct visitor_facts *f, struct visitor_auth *va,
                              bool *found, enum pageview_by_token_status *status, int64_t *id);

/* One page view of db_pageviews_by_token: what db_pageview_by_token takes, and (found, status, id, *va) what it
 * answers. */
struct pageview_by_token {
	const char *token_hash, *origin;
	const struct pageview_in_row *in; /* gap_s, window_s, max and live_s: the batch's first view's for all */
	const struct visitor_facts *f;
	struct visitor_auth *va;
	bool found;
	enum pageview_by_token_status status;
	int64_t id;
};
/* db_pageview_by_token for the n views v[0..n) (n > 0) in one round trip (schema/0041-pageviews-by-token.sql),
 * each a transaction of its own, committed when this returns; not inside a transaction. A view whose write failed is
 * PAGEVIEW_FAILED (nothing of it written). An error: nothing is known of any view (some may be written). */
kefu_err db_pageviews_by_token(struct kefu_db *db, kefu_arena *a, struct pageview_by_token *v, size_t n);

/* How many of the visitor's newest max page views are under window_s old (*n), and the age of the oldest of those
 * (the rate limit's wait). */
kefu_err db_pageviews_recent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int window_s,
                             int max, int64_t *n, int *oldest_age_s);

struct pageview_row {
	int64_t id;
	const char *url, *title, *referrer, *created_at;
	int64_t seconds; /* time on the page: until the next view (-1: the newest, still open) */
};
/* The visitor's newest page views (at most limit), newest first, with the
 * time on each computed from the view after it. */
kefu_err db_pageviews_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int limit,
                           struct pageview_row **rows, size_t *n);
/* Erase (privacy): every page view of the visitor goes, with their browser facts and their own stream. */
kefu_err db_pageviews_erase(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id);
/* Erase, after the erase's transaction: what the agents' streams said of the visitor becomes
 * {"type": "visitor_erased"} (pages, name, address go). Not a transaction: each batch of 500 on its own. */
kefu_err db_notices_erase(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id);
/* Retention: up to limit page views older than days days go; *n how many. */
kefu_err db_pageviews_purge(struct kefu_db *db, int64_t tenant_id, int64_t days, int limit, uint64_t *n);

/* ---- who is live (visitor_live) ---- */

/* A poll held for wait_s: live at least until wait_s + live_s from now (the
 * poll's end + live_s). The row gets slack_s more and is written only when
 * it has less than that least, so a visitor re-polling every 25 s with 30 s
 * of slack writes every other poll (and stays live up to slack_s longer
 * after the last one). *appeared as above. */
kefu_err db_live_poll(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, int64_t visitor_id,
                      int wait_s, int live_s, int slack_s, bool *appeared);
/* The visitor said they leave: live for at most grace_s more (a next page
 * within it keeps them). */
kefu_err db_live_leave(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int grace_s);

/* A visitor as the live list and the profile show them. */
struct live_row {
	int64_t visitor_id, channel_id, pageview_id, pages_viewed, sessions, conversation_id, invitation_id;
	bool identified, live;
	const char *name, *channel_name, *page_url, *page_title, *page_since, *first_seen_at, *referrer;
	const char *browser, *browser_version, *os, *device, *locale, *address, *seen_at;
	const char *appeared_at;       /* this appearance's start (the list's order), or NULL when not live */
	const char *invitation_status; /* of the newest invitation of this appearance, or NULL */
	bool mask_address;             /* the tenant's mask_visitor_address (store-retention.h) */
	const char *country, *city;    /* from the operator's GeoIP database, or NULL */
};
/* The live visitors of the tenant (of channels[0..nchannels) unless all),
 * newest appearance first (appeared_at, then visitor id, descending: fixed
 * while they stay live, so paging neither skips nor repeats one who browses
 * on), those before (before_at, before_id) (NULL: from the top), at most limit. */
kefu_err db_live_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, bool all, const int64_t *channels,
                      size_t nchannels, const char *before_at, int64_t before_id, int limit, struct live_row **rows,
                      size_t *n);
/* One visitor of the tenant as the list shows them, live or not (live
 * false, page from the visitor row). KEFU_E_NOT_FOUND. */
kefu_err db_live_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, struct live_row *out);

/* The live ones of the tenant's visitors[0..nvisitors) as db_live_get reads them, in one read. */
kefu_err db_live_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *visitors, size_t nvisitors,
                      struct live_row **rows, size_t *n);
/* In the caller's transaction: the tenant's visitors' rows share-locked until it ends, so what is read of them
 * then stays their newest state until it commits (a page view's change waits). */
kefu_err db_live_lock(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *visitors, size_t nvisitors);
/* Held polls of many visitors of the tenant: each live one stays live at
 * least live_s from now; *gone (in a) the ones that were not live, for
 * db_live_appear. One statement when all are live. */
kefu_err db_live_keep(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *visitors, size_t nvisitors,
                      int live_s, int64_t **gone, size_t *ngone);
/* The visitor (not live) is live again for live_s, on their last page. */
kefu_err db_live_appear(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t visitor_id, int live_s);

/* Rows whose live_until passed, of every tenant (the sweep), oldest first. */
struct live_gone {
	int64_t tenant_id, channel_id, visitor_id;
};
kefu_err db_live_expired(struct kefu_db *db, kefu_arena *a, int limit, struct live_gone **rows, size_t *n);
/* Remove the row only while still expired: *removed tells this caller did (one sweep of all wins). */
kefu_err db_live_remove(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, bool *removed);

/* ---- invitations ---- */

struct invitation_row {
	int64_t id, tenant_id, channel_id, visitor_id, user_id, trigger_id, conversation_id;
	const char *text, *status, *created_at;
	const char *agent_name; /* the inviting user's, or NULL */
};
kefu_err db_invitation_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t visitor_id,
                              int64_t user_id, int64_t trigger_id, const char *text, int64_t *id);
/* for_update: locked until the transaction ends. KEFU_E_NOT_FOUND. */
kefu_err db_invitation_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool for_update,
                           struct invitation_row *out);
/* status := to (and the conversation, 0: unchanged) only from "sent", or "accepted" from "dismissed" too (the
 * visitor answered after all); *changed whether it was. */
kefu_err db_invitation_set_status(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *to,
                                  int64_t conversation_id, bool *changed);
/* Whether the trigger invited the visitor within the last hours hours. */
kefu_err db_invitation_recent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t trigger_id,
                              int64_t visitor_id, int64_t hours, bool *found);
/* The visitor's invitations, oldest first (export). */
kefu_err db_invitations_for_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                                    struct invitation_row **rows, size_t *n);
/* Erase: the visitor's invitation texts go (the rows stay for the counts). */
kefu_err db_invitations_erase(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id);
/* Retention (with page views): texts of invitations older than days go. */
kefu_err db_invitations_purge(struct kefu_db *db, int64_t tenant_id, int64_t days, int limit, uint64_t *n);

/* ---- proactive triggers ---- */

struct trigger_row {
	int64_t id, channel_id;
	const char *name;
	bool enabled;
	const char *match; /* JSON text: "all" or {"all": [...]} */
	int64_t after_seconds;
	const char *text;
	int64_t once_per_hours;
	const char *created_at, *updated_at;
};
kefu_err db_trigger_create(struct kefu_db *db, int64_t tenant_id, const struct trigger_row *t, int64_t *id);
kefu_err db_trigger_update(struct kefu_db *db, int64_t tenant_id, const struct trigger_row *t);
kefu_err db_trigger_delete(struct kefu_db *db, int64_t tenant_id, int64_t id);
kefu_err db_trigger_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct trigger_row *out);
/* The channel's triggers by id (enabled_only: the ones that may fire). */
kefu_err db_trigger_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, bool enabled_only,
                         struct trigger_row **rows, size_t *n);

/* A trigger matched a page view: it is due after_s from now. */
kefu_err db_trigger_due_add(struct kefu_db *db, int64_t tenant_id, int64_t trigger_id, int64_t visitor_id,
                            int64_t pageview_id, int64_t after_s);
struct trigger_due {
	int64_t id, tenant_id, trigger_id, visitor_id, pageview_id;
};
/* Due rows of every tenant (the sweep), oldest first, at most limit. */
kefu_err db_trigger_due_list(struct kefu_db *db, kefu_arena *a, int limit, struct trigger_due **rows, size_t *n);
/* Claim one by deleting it: *claimed for the one caller of all whose delete took it. */
kefu_err db_trigger_due_claim(struct kefu_db *db, int64_t tenant_id, int64_t id, bool *claimed);

/* ---- what the rules around them read ---- */

/* The agent's live conversations under the rule (agent_load; 0 when none). */
kefu_err db_agent_live(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t user_id,
                       int64_t *live);
/* The visitor's open (assigned or queued) conversation, 0 when none. */
kefu_err db_visitor_open_conversation(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                                      int64_t *id);
/* Whether one of the visitor's conversations is (or was last) the user's. */
kefu_err db_visitor_agent_had(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t user_id,
                              bool *yes);
/* The tenant's staff not offline (status online or away), by id. */
kefu_err db_staff_present(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t **ids, bool **admin, size_t *n);

#endif
