/* store-assign: SQL for the assignment engine's bookkeeping: the per-rule lock, agent load, round-robin cursors. */
#ifndef KEFU_STORE_ASSIGN_H
#define KEFU_STORE_ASSIGN_H

#include <stdbool.h>

#include "store/db.h"

/*
 * Take the rule's assign_state row lock (creating the row on first use);
 * rule_id 0 is the tenant's default. Inside db_tx only: every decision under
 * the rule holds it until commit, so decisions under one rule serialise.
 */
kefu_err db_assign_lock_rule(struct kefu_db *db, int64_t tenant_id, int64_t rule_id);
/* The same, also telling whether anything waits in any queue of the rule
 * and (hooks, may be NULL) whether the tenant has an enabled webhook, read
 * under the lock in the same round trip: a start into empty queues (the
 * usual case) need not look at them again, a close that frees room where
 * nobody waits drains nothing, and a drain without webhooks neither reads
 * the conversation for a body nor tries an outbox INSERT. */
/* only_group (may be NULL): the one group whose queue under the rule holds
 * anyone, or -1 when several do or none (a drain then needs no look for
 * the rule's queues). */
kefu_err db_assign_lock_rule_state(struct kefu_db *db, int64_t tenant_id, int64_t rule_id, bool *queued, bool *hooks,
                                   int64_t *only_group);
/* The lock for a look that decides nothing unless there is something to
 * do (the periodic check): the row locked without adding to its decision
 * count, so that the count tells only of decisions (see assign_tick), and
 * whether the tenant has an enabled webhook. */
kefu_err db_assign_lock_rule_quiet(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, bool *hooks);

/* One member as the engine sees it, read with locking reads (the newest
 * committed values, whatever this transaction's snapshot). */
struct member_state {
	int64_t user_id;
	const char *name; /* NULL when the user is deleted or not the tenant's */
	bool online;
	int64_t live, assigned_today;
	const char *day; /* "YYYY-MM-DD" of assigned_today, or NULL */
	int64_t last_ms; /* epoch ms of the last assignment, 0: never */
	bool loaded;     /* the agent_load row exists (db_assign_book_many needs it) */
};

/*
 * The members' users rows (status) and agent_load rows under rule_id, with
 * shared locks (a status change waits for this decision), in the order of
 * ids; *out[i] belongs to ids[i]. Inside the rule's lock only.
 */
kefu_err db_assign_members(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, const int64_t *ids,
                           size_t n, struct member_state **out);

/* As db_assign_members without locks and without load (name and online
 * only): for hints such as the widget's "online". */
kefu_err db_assign_members_peek(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                                struct member_state **out);

/*
 * The one capacity check every path uses: live := live + 1 for (rule,
 * user) only while live < max, counting the day's assignments in the
 * group's local date `day`. *booked false when the agent is at its maximum.
 */
kefu_err db_assign_book(struct kefu_db *db, int64_t tenant_id, int64_t rule_id, int64_t user_id, int64_t max,
                        const char *day, bool *booked);
/*
 * Many bookings under one rule in one statement (a drain serving several,
 * a batch of starts, with the rooms a close batch freed): agent
 * b[i].user_id first loses b[i].freed live (not below 0: the rooms its
 * closed conversations held), then gets b[i].k more live and
 * assigned_today b[i].today (counted by the caller, who read the row under
 * the rule's lock), each booking only while live + k <= max after the
 * frees; *booked false when any would pass its maximum (the caller then
 * gives up the transaction). A row with k = 0 only frees (day unused
 * then). The booked agents' agent_load rows must exist
 * (db_assign_load_rows); a freed one missing frees nothing.
 */
struct booking {
	int64_t user_id, k, today, freed;
};
struct agent_set;
/* set[0..nset): gives under rule_id written with the bookings, in the same
 * statement (as db_assign_set_agents; all of them or none); 0 for none. */
kefu_err db_assign_book_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t max,
                             const char *day, const struct booking *b, size_t n, const struct agent_set *set,
                             size_t nset, bool *booked);
/* The agent_load rows of users[0..n) under rule_id, made where missing. */
kefu_err db_assign_load_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id,
                             const int64_t *users, size_t n);
/* live := live - 1 (a close or a transfer away). */
kefu_err db_assign_unbook(struct kefu_db *db, int64_t tenant_id, int64_t rule_id, int64_t user_id);

/* The group's round-robin cursor (0: no history), locked. */
kefu_err db_rr_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t group_id, int64_t *last_user_id);
kefu_err db_rr_set(struct kefu_db *db, int64_t tenant_id, int64_t group_id, int64_t user_id);

/* conversations.rule_id / group_id (the engine's choice). group_id 0 = NULL. */
kefu_err db_assign_set_route(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t rule_id,
                             int64_t group_id);

/* status := assigned to agent_user_id (assigned_at now) with the rule and
 * group, in one statement. */
kefu_err db_assign_set_agent(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t agent_user_id,
                             int64_t rule_id, int64_t group_id);

/* db_assign_set_agent for many conversations in one statement. */
struct agent_set {
	int64_t conversation_id, agent_user_id, rule_id, group_id; /* rule, group 0: NULL */
};
kefu_err db_assign_set_agents(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct agent_set *v,
                              size_t n);
/* The tenant's staff (agents and admins, live) by id: the default pool when
 * no rule or group applies. *ids in a. */
kefu_err db_assign_staff(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t **ids, size_t *n);

/* The tenant's admins (live) by id: they watch every queue. *ids in a. */
kefu_err db_assign_admins(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t **ids, size_t *n);

/* Every rule id of the tenant with a state row, ascending (status changes lock them all). */
kefu_err db_assign_rules(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t **ids, size_t *n);

#endif
