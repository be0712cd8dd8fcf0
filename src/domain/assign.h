/* assign: the assignment engine's entry points: start, release, agent status, take, transfer, queue drain. */
#ifndef KEFU_DOMAIN_ASSIGN_H
#define KEFU_DOMAIN_ASSIGN_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-conversations.h"
#include "store/store-visitors.h"
#include "store/store-queue.h"
#include "domain/rules.h"

struct kefu_i18n;

/*
 * Every function here that changes state runs INSIDE the caller's db_tx
 * (unless it says otherwise), so the caller's change, the assignment
 * decision, its bookkeeping and its events commit together, and a retry on
 * deadlock re-runs all of it. None keeps state outside the database.
 *
 * Lock order (see assign.c): the conversation row the request is about →
 * the rule's assign_state row → queued conversations in queue order →
 * users rows (status) and agent_load rows by ascending user id → event
 * streams (stream_seqs). Callers lock their conversation first (as
 * db_conversation_get(..., true, ...) does) and then call in here.
 */

/*
 * What a start decides before its conversation exists (plain reads, no
 * locks): the rule for the channel and the group it routes to, so that the
 * INSERT writes both and no UPDATE inside the rule's lock has to.
 * refused (with bad): the rule forbids the start, as assign_new documents;
 * the caller still INSERTs (a visitor with an open conversation resumes it
 * whatever the rule says) and fails the transaction only when it created one.
 */
struct assign_route {
	struct rule rule;
	const char *zone; /* the tenant's time zone */
	int64_t group_id; /* routed (0: the tenant's default pool) */
	kefu_err refused;
	const char *bad;
};
kefu_err assign_route(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                      const struct visitor_row *v, const char *prechat, int64_t choice_group_id,
                      struct assign_route *out);
/* The same for a start on the channel that same (non-NULL) was routed for:
 * its rule and zone without reading them again (a batch of starts). */
kefu_err assign_route_like(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                           const struct visitor_row *v, const char *prechat, int64_t choice_group_id,
                           const struct assign_route *same, struct assign_route *out);

/*
 * The conversation c was just created in status queued inside the caller's
 * db_tx with route's rule and group (assign_route; locked by its INSERT; v is
 * its visitor, as read in this request). Picks the rule, the group and the
 * agent; sends the welcome and promo messages, the status event (assigned /
 * queued with queue_position / offline / out_of_hours) and the rule's busy /
 * offline / out-of-hours text; books the agent's load or the queue entry.
 * *c is updated to the decision (status, agent id and name, rule, group; not
 * assigned_at or the last-message fields), so the caller needs no re-read.
 * webhooks false: the tenant has no enabled webhook (checked in this
 * transaction), so no outbox row is written. lang: the language of built-in
 * texts when no rule applies. Fails when the rule forbids the start:
 * KEFU_E_IDENTITY_REQUIRED for a guest when the rule requires identity;
 * KEFU_E_INVALID_FIELD with group_id when the visitor's choice is not one of
 * the rule's choice groups (the caller's transaction then rolls back: nothing is
 * created).
 */
kefu_err assign_new(struct kefu_db *db, kefu_arena *a, const struct kefu_i18n *i18n, const char *lang,
                    struct conversation_row *c, const struct visitor_row *v, bool webhooks,
                    const struct assign_route *route);

/*
 * Many starts of one tenant decided together (a batch of starts, in one
 * db_tx of the caller's): as assign_new for each of s[0..n), in that order,
 * but every rule's lock taken once for the batch (ascending), the members
 * of each rule and group read once under it and kept in step, and every
 * status event written together at the end (three statements for all);
 * the rules' busy and offline texts follow the events. Each s[i].c was just
 * created by its INSERT in this transaction, is not an invitation's answer
 * (invited_by 0: assign_new) and its route did not refuse it. What each
 * s[i].c points to afterwards is allocated in s[i].a; a is the batch's.
 */
struct assign_start {
	struct conversation_row *c;
	const struct visitor_row *v;
	const struct assign_route *route;
	bool webhooks; /* as assign_new's */
	kefu_arena *a; /* the start's own arena */
	const struct kefu_i18n *i18n;
	const char *lang;
};
kefu_err assign_new_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct assign_start *s, size_t n);

/*
 * The conversation `before` (as it was when locked, before the caller set
 * it closed) has just been closed in the caller's db_tx: its queue entry
 * goes (positions behind it are re-sent), or its agent's load drops and the
 * rule's queues are drained into the freed room. Call it after
 * db_conversation_set_closed, in the same transaction.
 */
kefu_err assign_on_close(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conversation_row *before);
/* The same for n conversations of one tenant closed in the caller's db_tx
 * (a batch of closes): every rule's lock once, every close's place or room
 * freed, then one drain per queue for all of them. */
kefu_err assign_on_close_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id,
                              const struct conversation_row *before, size_t n);

/*
 * Starts s[0..n) and closes before[0..nc) of one tenant decided together in
 * the caller's db_tx, under one hold of each rule's lock (a worker's starts
 * and closes that arrived together: one lock statement per rule and one
 * COMMIT where there were two). The closes go first, as if they had
 * committed before the starts: their places and rooms freed, their queues
 * drained; then closed(db, ctx) (may be NULL), whose events are collected
 * with the others; then the starts decide on what is left. Either count
 * may be 0: assign_new_many and assign_on_close_many are this.
 */
kefu_err assign_batch(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct conversation_row *before,
                      size_t nc, kefu_err (*closed)(struct kefu_db *db, void *ctx), void *ctx, struct assign_start *s,
                      size_t n);

/*
 * A close's events collected and written together at its end (three
 * statements inside the rule's lock for all of them, instead of three per
 * event): between assign_events_begin and assign_events_end, on the calling
 * thread, the events assign_on_close writes and those given to assign_event
 * are kept in a (in order) and written by assign_events_end(db, true), or
 * dropped with false (the transaction failed). Every begin needs its end.
 */
void assign_events_begin(kefu_arena *a, int64_t tenant_id);
kefu_err assign_events_end(struct kefu_db *db, bool write);
/* As db_event_append (users ascending; ev not consumed), collected while
 * collecting. */
kefu_err assign_event(struct kefu_db *db, int64_t tenant_id, int64_t conv, json_object *ev, const int64_t *users,
                      size_t n);

/*
 * PUT /agent/status: set users.status of user_id and, when it becomes
 * online, drain every queue the agent can serve. Replaces a bare
 * db_agent_set_status (it also takes the rule locks first, so a decision in
 * flight and the status change serialise). Runs its own db_tx when
 * in_tx is false.
 */
kefu_err assign_set_agent_status(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id,
                                 const char *status, bool in_tx);

/*
 * The presence sweep's status change (domain/presence.h): with the same
 * locks as assign_set_agent_status, user_id goes offline (offline true) or
 * away only while still due (store-presence's guarded transitions). *done:
 * this caller made the change; any number of sweeps may race, one wins.
 * Runs its own db_tx.
 */
kefu_err assign_sweep_agent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool offline,
                            bool *done);

/* The conversation's 1-based position in its queue, 0 when not queued (for
 * views: "queue_position"). A plain read, no locks. */
kefu_err assign_queue_position(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                               int64_t *pos);

/*
 * POST /agent/conversations/{id}/take: the queued conversation to user_id,
 * whatever its status, under the rule's capacity. KEFU_E_NOT_FOUND (not
 * the tenant's, or not in a queue of one of the agent's groups unless
 * admin), KEFU_E_CONFLICT (no longer queued), KEFU_E_CAPACITY (at max).
 * Runs its own db_tx. *out is the conversation afterwards.
 */
kefu_err assign_take(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool admin,
                     int64_t conversation_id, struct conversation_row *out);

/*
 * POST /agent/conversations/{id}/transfer: to_user (capacity applies: 409)
 * or to_group (assigned within it by the rule's strategy, or queued there).
 * A user who is not online (away, offline) is refused: KEFU_E_CONFLICT with
 * *bad "user_id" (a transfer to one of their groups queues it for them).
 * The caller must hold the conversation (assigned agent) or be an admin.
 * KEFU_E_INVALID_FIELD with *bad ("user_id" / "group_id") for a target not
 * in the tenant; KEFU_E_CONFLICT for a closed one. Runs its own db_tx.
 */
kefu_err assign_transfer(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool admin,
                         int64_t conversation_id, int64_t to_user, int64_t to_group, const char **bad,
                         struct conversation_row *out);

/*
 * The presence sweep's hand-back: conversation_id to group_id as a transfer
 * by an admin would, but only while it is still assigned to from_user,
 * checked under its row lock; otherwise (handed back already, by this
 * sweep or another) nothing happens and *moved is false. Runs its own db_tx.
 */
kefu_err assign_hand_back(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t from_user,
                          int64_t conversation_id, int64_t group_id, bool *moved);

/*
 * The cheap periodic check: drain every non-empty queue whose group may
 * have opened (service hours) or whose agents have room, and send every
 * waiter whose queue position changed since it was last sent the new one
 * (a drain sends only the head's: see docs/assignment.md). The housekeeping
 * job "queue_drain" runs it, in one worker of all per interval (domain/
 * housekeeping.h); any number at once would still be safe (each drain is a
 * locked transaction). Runs its own transactions; errors are logged.
 */
void assign_tick(struct kefu_db *db); /* every second: how stale a position behind the head may be */

/*
 * For GET /widget/channels/{key}: sets "online" (a member of the rule's
 * groups, or any staff without a rule, is online), "open_now" (one of those
 * groups is inside its service hours), "choice" (null, or {"prompt",
 * "groups": [{"id","name"}]} in visitor_choice mode) and "leave_message"
 * (null, or {"fields": [...]} when the rule offers the form) on o.
 */
kefu_err assign_channel_view(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, json_object *o);

/* Who follows the queue of group_id (0: the default pool) on their agent
 * stream: its members and the tenant's admins, plus extra (0: none),
 * ascending and distinct (for db_event_append). */
kefu_err assign_queue_watchers(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t group_id, int64_t extra,
                               int64_t **ids, size_t *n);

/* The maximum of concurrent conversations under rule_id (0 when no rule
 * applies, or the rule was deleted: the default rule has no real limit). */
kefu_err assign_rule_max(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t *max);

/* The groups user_id is an effective member of (all the tenant's for an
 * admin when all is true), ascending; *ids in a. */
kefu_err assign_user_groups(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool all,
                            int64_t **ids, size_t *n);

/* The rule that applies to the channel, parsed (rule_id 0 and defaults when
 * none does): for the leave-a-message form. */
struct rule;
kefu_err assign_channel_rule(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                             struct rule *out);

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_queue_for_groups (store/store-queue.h). */
kefu_err assign_queue_for_groups(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *group_ids,
                                 size_t ngroups, struct queue_view **rows, size_t *n);

#endif
