/* strategy: choosing the agent inside a group (load, round robin, idle, account/contact owner): candidates in, choice
 * out. */
#ifndef KEFU_DOMAIN_STRATEGY_H
#define KEFU_DOMAIN_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum strategy {
	STRAT_LOAD,          /* fewest live now; ties: longest since last assignment, then lowest id */
	STRAT_ROUND_ROBIN,   /* next available member after the last one assigned, in member order */
	STRAT_IDLE,          /* fewest assigned today (group's zone); ties as for load */
	STRAT_ACCOUNT_OWNER, /* the visitor's CRM account owner, else owner_fallback */
	STRAT_CONTACT_OWNER, /* the visitor's CRM contact owner, else owner_fallback */
	STRAT__MAX
};

extern const char *const strategy_names[STRAT__MAX + 1]; /* NULL-terminated, for jb_enum */

/* One member of the group, in member order (the group's effective order). */
struct candidate {
	int64_t user_id;
	bool online;              /* users.status = online */
	int64_t live, max;        /* live conversations under the rule, and the rule's maximum */
	int64_t assigned_today;   /* already 0 when its day is not today in the group's zone */
	int64_t last_assigned_ms; /* epoch ms of the last assignment; 0: never */
};

/* Online and below the maximum (service hours are checked per group, before). */
bool candidate_available(const struct candidate *c);

/*
 * The index of the member to assign among m[0..n), or -1 when none is
 * available. rr_last: the member round robin gave the last conversation
 * (0 or not a member: start at the first member). owner: the CRM owner for
 * the owner strategies (0: none). owner_queue: owner_fallback is "queue".
 * *wait_owner is set when the owner is a member who is not available and
 * the rule says to wait for them (the conversation queues for the owner
 * only).
 */
int strategy_pick(enum strategy s, const struct candidate *m, size_t n, int64_t rr_last, int64_t owner,
                  bool owner_queue, bool *wait_owner);

/* What happens to a new conversation in a group. */
enum verdict {
	VERDICT_ASSIGN,       /* someone is available */
	VERDICT_QUEUE,        /* members online, all at their maximum (or waiting for the owner) */
	VERDICT_OFFLINE,      /* no member online (or no members) */
	VERDICT_OUT_OF_HOURS, /* the group's service hours are closed now */
};

/* The verdict and (for ASSIGN) *pick, from the same inputs as strategy_pick
 * plus whether the group is open now. */
enum verdict strategy_verdict(bool open, enum strategy s, const struct candidate *m, size_t n, int64_t rr_last,
                              int64_t owner, bool owner_queue, int *pick, bool *wait_owner);

#endif
