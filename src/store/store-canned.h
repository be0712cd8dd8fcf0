/* store-canned: SQL for canned replies, tenant-wide (owner NULL) and per agent. */
#ifndef KEFU_STORE_CANNED_H
#define KEFU_STORE_CANNED_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct canned_row {
	int64_t id, owner_user_id; /* owner 0: tenant-wide */
	const char *shortcut, *title, *text, *created_at, *updated_at;
};

kefu_err db_canned_create(struct kefu_db *db, int64_t tenant_id, const struct canned_row *c, int64_t *id);
/* Update / delete the row id with exactly this owner (0: tenant-wide);
 * KEFU_E_NOT_FOUND otherwise, so an agent cannot touch another's. */
kefu_err db_canned_update(struct kefu_db *db, int64_t tenant_id, const struct canned_row *c);
kefu_err db_canned_delete(struct kefu_db *db, int64_t tenant_id, int64_t owner_user_id, int64_t id);
kefu_err db_canned_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct canned_row *out);
/*
 * The replies an agent may use: tenant-wide ones and (user_id != 0) the
 * agent's own; with only_tenant, tenant-wide ones alone. q (NULL: all)
 * matches a shortcut prefix or a substring of title or text, as typed
 * (LIKE wildcards escaped). Shortcut order, at most limit.
 */
kefu_err db_canned_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool only_tenant,
                        const char *q, int64_t limit, struct canned_row **rows, size_t *n);

#endif
