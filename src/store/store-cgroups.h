/* store-cgroups: SQL for conversation groups (how the workbench groups an agent's conversations). */
#ifndef KEFU_STORE_CGROUPS_H
#define KEFU_STORE_CGROUPS_H

#include <stdint.h>

#include "store/db.h"

struct cgroup_row {
	int64_t id, priority;
	const char *name;
	const char *match; /* JSON text: "all" or {"all": [COND, ...]} */
	const char *created_at;
};

kefu_err db_cgroup_create(struct kefu_db *db, int64_t tenant_id, const struct cgroup_row *g, int64_t *id);
kefu_err db_cgroup_update(struct kefu_db *db, int64_t tenant_id, const struct cgroup_row *g);
kefu_err db_cgroup_delete(struct kefu_db *db, int64_t tenant_id, int64_t id);
kefu_err db_cgroup_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct cgroup_row *out);
/* The tenant's groups by ascending priority, then id (the matching order). */
kefu_err db_cgroup_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct cgroup_row **rows, size_t *n);

#endif
