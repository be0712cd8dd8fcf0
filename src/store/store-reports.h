/* store-reports: the reads behind the Reports API: conversation facts in a range, message counts, leave messages,
 * the status log, and the live counts of the real-time board. */
#ifndef KEFU_STORE_REPORTS_H
#define KEFU_STORE_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* Conversations of a tenant started in [start_ms, end_ms) (UTC milliseconds), narrowed by the filters that are on;
 * group_id (agent_id) 0 with its flag on: the conversations of no group (no agent). */
struct report_scope {
	int64_t tenant_id;
	int64_t start_ms, end_ms;
	bool by_channel, by_group, by_agent;
	int64_t channel_id, group_id, agent_id;
	/* nspans > 0: only the starts in these [from, to) spans (inside the range, ascending, disjoint). */
	const int64_t (*spans)[2];
	size_t nspans;
};

/* One conversation's facts; a time is UTC milliseconds, -1 when it has not happened. */
struct report_conv_row {
	int64_t id, channel_id, group_id, agent_user_id; /* 0: none */
	int64_t created_ms, first_assigned_ms, first_agent_message_ms, closed_ms;
	bool closed;                /* status 'closed' now */
	bool closed_queued;         /* closed from 'queued' */
	bool offline, out_of_hours; /* its unserved answer */
	int64_t transfers;
	int score; /* its rating, 0: none */
};

/* In (created, id) order; score is left 0 (db_report_ratings). */
kefu_err db_report_conversations(struct kefu_db *db, kefu_arena *a, const struct report_scope *s,
                                 struct report_conv_row **rows, size_t *n);

/* How many conversations the scope holds (an index range count). */
kefu_err db_report_count(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, int64_t *n);

/* Every rating of the tenant made at or after since_ms: (conversation id, score) pairs sorted by conversation id. */
kefu_err db_report_ratings(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t since_ms, int64_t (**pairs)[2],
                           size_t *n);

/* Messages in the scope's conversations, by sender: the rollup of schema/0026 plus what it has yet to add. */
kefu_err db_report_messages(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, int64_t *visitor,
                            int64_t *agent);

/* Leave messages created in the range (on the channel when by_channel); they have no group and no agent. */
kefu_err db_report_leave_messages(struct kefu_db *db, kefu_arena *a, const struct report_scope *s, int64_t *n);

/* Invitations to chat sent in the range (docs/visitor-insight.md), by their status now. They have no group (only
 * the group filter's "none" holds them); the agent filter is the inviting agent, its "none" the triggers' own. */
struct report_invitations {
	int64_t sent, accepted, dismissed; /* sent counts every one, whatever became of it */
	int64_t proactive;                 /* of sent, those a trigger sent (the others an agent) */
};
kefu_err db_report_invitations(struct kefu_db *db, kefu_arena *a, const struct report_scope *s,
                               struct report_invitations *out);

/* A status change: user, status, when (UTC ms). */
struct report_status_row {
	int64_t user_id;
	const char *status;
	int64_t at_ms;
};

/* The tenant's status changes in [start_ms, end_ms) and, for each user, the last one before start_ms; by user,
 * then time. */
kefu_err db_report_status_log(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t start_ms, int64_t end_ms,
                              struct report_status_row **rows, size_t *n);

/* A staff member (agent or admin) of the tenant; deleted ones too, for conversations they held. */
struct report_user_row {
	int64_t id;
	const char *name, *status;
	bool deleted;
};

kefu_err db_report_staff(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct report_user_row **rows,
                         size_t *n);

/* Live counts per group (group_id 0: none): queued, assigned, and the oldest queued wait's start (-1: none). */
struct report_live_row {
	int64_t group_id;
	int64_t waiting, live;
	int64_t oldest_wait_ms;
};

kefu_err db_report_live(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct report_live_row **rows, size_t *n,
                        int64_t *now_ms);

#endif
