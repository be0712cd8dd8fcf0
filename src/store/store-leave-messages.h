/* store-leave-messages: SQL for messages visitors leave when nobody can chat, and the agents' inbox. */
#ifndef KEFU_STORE_LEAVE_MESSAGES_H
#define KEFU_STORE_LEAVE_MESSAGES_H

#include "store/db.h"

struct leave_row {
	int64_t id, channel_id, visitor_id, rule_id, handled_by;
	const char *fields; /* JSON object text */
	const char *status; /* open | handled */
	const char *note, *created_at, *handled_at;
};

kefu_err db_leave_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t visitor_id, int64_t rule_id,
                         const char *fields, int64_t *id);
/* status NULL: all; newest first, at most limit; *rows in a. */
kefu_err db_leave_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *status, int64_t limit,
                       struct leave_row **rows, size_t *n);
kefu_err db_leave_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct leave_row *out);
/* status := handled by user_id with an optional note; KEFU_E_NOT_FOUND when not the tenant's. */
kefu_err db_leave_handle(struct kefu_db *db, int64_t tenant_id, int64_t id, int64_t user_id, const char *note);
/* The leave-messages of visitors visitor_ids[0..nids) (nids > 0), oldest first (a person's export). */
kefu_err db_leave_of_visitors(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *visitor_ids,
                              size_t nids, struct leave_row **rows, size_t *n);

#endif
