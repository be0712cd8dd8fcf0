/* receipts: typing signals and read receipts as conversation events, and satisfaction ratings after close. */
#ifndef KEFU_DOMAIN_RECEIPTS_H
#define KEFU_DOMAIN_RECEIPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/conversations.h"
#include "store/db.h"
#include "store/store-ratings.h"

/*
 * Typing. Events reach clients only through the database (workers are
 * stateless: the poller of this conversation may be parked on another
 * host), so a typing signal is an event row like any other. To keep that
 * cheap the clients send at most one signal per TYPING_INTERVAL_MS while
 * the user types, and the server drops a signal when the same side sent
 * one less than TYPING_MIN_GAP_MS ago (a misbehaving client cannot turn
 * keystrokes into writes). The other side shows "typing…" for a few
 * seconds after each event.
 */
#define TYPING_INTERVAL_MS 3000
#define TYPING_MIN_GAP_MS  2000

/* {"type":"typing","sender":"visitor"|"agent","typing":bool} on the
 * conversation's stream (and the assigned agent's stream when the visitor
 * types). KEFU_E_NOT_FOUND as conv_find, KEFU_E_CONFLICT when closed.
 * *sent false when throttled. */
kefu_err receipts_typing(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, bool typing,
                         bool *sent);

/*
 * One side has read the stream up to seq (c as found by the caller): the
 * mark rises (never falls), and when it passed at least one message of the
 * other side, {"type":"read","reader":"visitor"|"agent","read_seq":N} goes on
 * the stream (and to the agent when the visitor reads) in the same
 * transaction. Only messages count, so a read event never causes another
 * (clients mark read whatever they receive, read events included).
 */
kefu_err receipts_mark_read(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conversation_row *c,
                            bool agent_side, int64_t seq);

/*
 * The visitor rates a closed conversation once: score 1..5, comment
 * (NULL or up to 1000 code points, checked by the caller). Stored with the
 * agent who held it, plus {"type":"rating","rating":{"score","comment"}} to
 * the stream and that agent. KEFU_E_NOT_FOUND (not the visitor's),
 * KEFU_E_CONFLICT (not closed yet, or rated already).
 */
kefu_err receipts_rate(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, int score,
                       const char *comment);

/* A report day bound: "YYYY-MM-DD" (NULL or "": none, *out NULL) to the
 * DATETIME text of its midnight (UTC), or of the next day's when end (the
 * "to" day is inclusive). -1 when malformed. */
int receipts_day_bound(kefu_arena *a, const char *day, bool end, const char **out);

/* The ratings report for [from, to) (NULL: open): {"overall": {"count",
 * "average"}, "by_agent": [{"agent": {"id","name"}|null, "count",
 * "average"}], "by_day": [{"day", "count", "average"}]}. New object. */
kefu_err receipts_report(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *from, const char *to,
                         json_object **out);

/* The actor's side has read the conversation's stream up to seq (the
 * conversation found as conv_find does, then receipts_mark_read). */
kefu_err receipts_read_by(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t id, int64_t seq);

/* The newest limit rating comments on the conversations a report covers:
 * started in [start, end) (UTC), filtered as f says (store-ratings.h). */
kefu_err receipts_comments(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, time_t start, time_t end,
                           const struct rating_filter *f, int limit, struct rating_comment **rows, size_t *n);

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_rating_get (store/store-ratings.h). */
kefu_err receipts_rating_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                             struct rating_row *out);

#endif
