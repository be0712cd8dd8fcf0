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

/* The admin resource's table (store-rows.h); its list is by ascending
 * priority, then id (the matching order). */
extern const struct row_table db_cgroups;

#endif
