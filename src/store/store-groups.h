/* store-groups: agent groups, their explicit members and departments, and the effective members by query. */
#ifndef KEFU_STORE_GROUPS_H
#define KEFU_STORE_GROUPS_H

#include "store/db.h"

struct group_row {
	int64_t id, tenant_id;
	const char *name;
	const char *service_hours; /* canonical JSON text, or NULL (always open) */
	const char *created_at, *updated_at;
};

kefu_err db_group_create(struct kefu_db *db, int64_t tenant_id, const char *name, const char *service_hours,
                         int64_t *id);
/* The tenant's groups by id; *rows in arena a. */
kefu_err db_group_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct group_row **rows, size_t *n);
/* KEFU_E_NOT_FOUND when not the tenant's. */
kefu_err db_group_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct group_row *out);
kefu_err db_group_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *name,
                         const char *service_hours);
kefu_err db_group_delete(struct kefu_db *db, int64_t tenant_id, int64_t id);

/* The explicit members in their stored order (live users only; set with
 * duplicates already removed), and the listed departments in theirs
 * (store-rows.h: rows_link_get, rows_link_set). */
extern const struct id_link db_group_members, db_group_departments;

/* For an assignment decision, in one statement: the group row and, when it
 * lists no departments, its effective members (the explicit ones in member
 * order, in a; *complete true). *complete false: the group lists
 * departments, and the caller reads db_group_effective_members. Also the
 * tenant's admins by ascending id (the queue's other watchers) and its time
 * zone (UTC when it has none). rule_doc (may be NULL): also the document
 * of the tenant's rule rule_id (NULL when there is none), in the same
 * statement (a close reads the rule and group of the queue it will drain).
 * KEFU_E_NOT_FOUND when not the tenant's. */
kefu_err db_group_for_assign(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct group_row *out,
                             int64_t **ids, size_t *n, bool *complete, int64_t **admins, size_t *nadmins,
                             const char **tenant_zone, int64_t rule_id, const char **rule_doc);
/*
 * The group's effective members, computed now from the organisation chart
 * (nothing is stored, so it can never be out of step): the explicit members
 * in their order, then the live users of the listed departments and of all
 * their sub-departments, by user id; each user once, at its first place.
 * This is the member order round-robin assignment walks. *ids in arena a.
 * Call it inside the assignment transaction to read a consistent chart.
 */
kefu_err db_group_effective_members(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, int64_t **ids,
                                    size_t *n);

#endif
