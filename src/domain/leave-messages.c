/* leave-messages: messages left while nobody could answer: the inbox agents read and mark handled. */
#include "domain/leave-messages.h"

kefu_err leave_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct leave_row *out)
{
	return db_leave_get(db, a, tenant_id, id, out);
}

kefu_err leave_handle(struct kefu_db *db, int64_t tenant_id, int64_t id, int64_t user_id, const char *note)
{
	return db_leave_handle(db, tenant_id, id, user_id, note);
}

kefu_err leave_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *status, int64_t limit,
                    struct leave_row **rows, size_t *n)
{
	return db_leave_list(db, a, tenant_id, status, limit, rows, n);
}
