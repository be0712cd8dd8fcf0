/* store-queue: SQL for queue_entries, the FIFO of waiting conversations per (rule, group). */
#ifndef KEFU_STORE_QUEUE_H
#define KEFU_STORE_QUEUE_H

#include "store/db.h"

struct queue_entry {
	int64_t id, rule_id, group_id, conversation_id;
	int64_t owner_user_id; /* 0: any member; else waits for this owner only */
	int64_t position;      /* the last queue_position sent */
	const char *enqueued_at;
	int64_t waiting_s; /* seconds since enqueued */
};

/* Append (under the rule's lock, so id order is arrival order); *position:
 * its place, behind everyone there now, also stored as the one sent. */
kefu_err db_queue_add(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                      int64_t conversation_id, int64_t owner_user_id, int64_t *position);
/* At most limit entries of the (rule, group) queue with id > after_id, in
 * order, locked FOR UPDATE; *rows in a. A drain reads the head a page at a
 * time and stops where nobody can be served, so its cost does not grow
 * with the queue's length. */
kefu_err db_queue_head(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                       int64_t after_id, size_t limit, struct queue_entry **rows, size_t *n);
/* db_queue_head with each entry's conversation locked too and its status
 * read (*status[i], NULL when the conversation is gone), in one statement:
 * a drain that may serve the page (the conversations it serves must be
 * locked and still queued). Locks the page's conversations, served or not. */
kefu_err db_queue_head_lock(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                            int64_t after_id, size_t limit, struct queue_entry **rows, const char ***status, size_t *n);
/* The conversation's entry; KEFU_E_NOT_FOUND when it is not queued. */
kefu_err db_queue_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                      struct queue_entry *out);
kefu_err db_queue_remove(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id);
/* The entries of conversations ids[0..n) go, in one statement. */
kefu_err db_queue_remove_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n);
/* n entries appended to the (rule, group) queue in the order given, in one
 * statement (under the rule's lock): each one's position is its place
 * behind everyone there now and the ones before it. */
struct queue_add {
	int64_t conversation_id, owner_user_id; /* owner 0: none */
	int64_t position;                       /* out */
};
kefu_err db_queue_add_many(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                           struct queue_add *v, size_t n);
/* Store each entry's position (the one just sent); one statement for all. */
kefu_err db_queue_set_positions(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct queue_entry *rows,
                                size_t n);
/* The entries of the (rule, group) queue whose stored position is not their
 * place in it now, in order, each with position set to that place: what
 * the periodic position update sends. A plain read: the caller holds the
 * rule's lock, under which alone entries come and go. */
kefu_err db_queue_moved(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                        struct queue_entry **rows, size_t *n);
/* 1-based position of the conversation in its queue (0: not queued); a plain read. */
kefu_err db_queue_position(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id, int64_t *pos);

/* A (rule, group) pair with waiting conversations. */
struct queue_key {
	int64_t rule_id, group_id;
};
/* Non-empty queues of the tenant (rule_id -1: any rule), by rule then group. */
kefu_err db_queue_keys(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, struct queue_key **keys,
                       size_t *n);
/* Every non-empty queue of every tenant (the periodic check's entry, a
 * system read across tenants, like the event tailer's), by tenant, rule and group, with its
 * rule's decision count (assign_state.decisions: every lock of the rule adds
 * one, 0 before the first), at most 5000. */
struct queue_watch {
	int64_t tenant_id, rule_id, group_id, decisions;
};
kefu_err db_queue_watch(struct kefu_db *db, kefu_arena *a, struct queue_watch **rows, size_t *n);

/* A line of GET /agent/queue. */
struct queue_view {
	struct queue_entry e;
	int64_t channel_id, visitor_id;
	const char *visitor_name, *page_url, *created_at;
	const char *prechat; /* JSON object text: a guest's pre-chat answers (its name) */
	int64_t position;    /* in its own queue, computed */
};
/* The queued conversations of the listed groups, oldest first; *rows in a. */
kefu_err db_queue_for_groups(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *group_ids,
                             size_t ngroups, struct queue_view **rows, size_t *n);

#endif
