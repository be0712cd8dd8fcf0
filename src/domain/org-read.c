/* org-read: the organisation's rows as handlers read them (users, departments, groups, API key counts), beside org.h's
 * JSON views. */
#include "domain/org-read.h"

kefu_err org_user_row(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct user_row *out)
{
	return db_user_get(db, a, tenant_id, id, out);
}

kefu_err org_user_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct user_row **rows, size_t *n)
{
	return db_user_list(db, a, tenant_id, rows, n);
}

kefu_err org_user_set_lang(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *lang)
{
	return db_user_set_lang(db, tenant_id, id, lang);
}

kefu_err org_user_counts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *admins, int64_t *agents,
                         int64_t *online)
{
	return db_user_counts(db, a, tenant_id, admins, agents, online);
}

kefu_err org_dept_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct dept_row **rows, size_t *n)
{
	return db_dept_list(db, a, tenant_id, rows, n);
}

kefu_err org_group_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct group_row **rows, size_t *n)
{
	return db_group_list(db, a, tenant_id, rows, n);
}

kefu_err org_key_count(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *n)
{
	return db_apikey_count(db, a, tenant_id, n);
}
