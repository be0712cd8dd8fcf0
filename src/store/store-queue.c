/* store-queue: SQL for queue_entries. */
#include "store/store-queue.h"

#include <stdio.h>

#define QE_COLUMNS                                                                                                     \
	"q.id, q.rule_id, q.group_id, q.conversation_id, COALESCE(q.owner_user_id, 0), q.position, q.enqueued_at,"     \
	" TIMESTAMPDIFF(SECOND, q.enqueued_at, NOW(3))"

static void read_entry(const struct db_result *r, size_t i, struct queue_entry *q)
{
	*q = (struct queue_entry){db_i64(r, i, 0), db_i64(r, i, 1), db_i64(r, i, 2), db_i64(r, i, 3),
	                          db_i64(r, i, 4), db_i64(r, i, 5), db_str(r, i, 6), db_i64(r, i, 7)};
}

kefu_err db_queue_add(struct kefu_db *db, int64_t tenant_id, int64_t rule_id, int64_t group_id, int64_t conversation_id,
                      int64_t owner_user_id, int64_t position)
{
	int64_t *owner = owner_user_id ? &owner_user_id : NULL;
	return db_exec(
	    db, NULL, NULL,
	    "INSERT INTO queue_entries (tenant_id, rule_id, group_id, conversation_id, owner_user_id, position)"
	    " VALUES (?, ?, ?, ?, ?, ?)",
	    "iiiiIi", tenant_id, rule_id, group_id, conversation_id, owner, position);
}

kefu_err db_queue_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t group_id,
                       struct queue_entry **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " QE_COLUMNS " FROM queue_entries q WHERE q.tenant_id = ? AND q.rule_id = ?"
	                      " AND q.group_id = ? ORDER BY q.id FOR UPDATE",
	                      "iii", tenant_id, rule_id, group_id);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++)
		read_entry(r, i, &(*rows)[i]);
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err db_queue_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                      struct queue_entry *out)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT " QE_COLUMNS " FROM queue_entries q WHERE q.tenant_id = ? AND q.conversation_id = ?"
	             " FOR UPDATE",
	             "ii", tenant_id, conversation_id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_entry(r, 0, out);
	return KEFU_OK;
}

kefu_err db_queue_remove(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id)
{
	return db_exec(db, NULL, NULL, "DELETE FROM queue_entries WHERE tenant_id = ? AND conversation_id = ?", "ii",
	               tenant_id, conversation_id);
}

kefu_err db_queue_set_position(struct kefu_db *db, int64_t tenant_id, int64_t entry_id, int64_t position)
{
	return db_exec(db, NULL, NULL, "UPDATE queue_entries SET position = ? WHERE tenant_id = ? AND id = ?", "iii",
	               position, tenant_id, entry_id);
}

kefu_err db_queue_position(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id, int64_t *pos)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT (SELECT COUNT(*) FROM queue_entries o WHERE o.tenant_id = q.tenant_id"
	                      " AND o.rule_id = q.rule_id AND o.group_id = q.group_id AND o.id <= q.id)"
	                      " FROM queue_entries q WHERE q.tenant_id = ? AND q.conversation_id = ?",
	                      "ii", tenant_id, conversation_id);
	if (e != KEFU_OK)
		return e;
	*pos = r->nrows ? db_i64(r, 0, 0) : 0;
	return KEFU_OK;
}

kefu_err db_queue_keys(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, struct queue_key **keys,
                       size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT DISTINCT rule_id, group_id FROM queue_entries WHERE tenant_id = ?"
	                      " AND (? < 0 OR rule_id = ?) ORDER BY rule_id, group_id",
	                      "iii", tenant_id, rule_id, rule_id);
	if (e != KEFU_OK)
		return e;
	*keys = arena_calloc(a, r->nrows + 1, sizeof **keys);
	for (size_t i = 0; i < r->nrows; i++)
		(*keys)[i] = (struct queue_key){db_i64(r, i, 0), db_i64(r, i, 1)};
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err db_queue_tenants(struct kefu_db *db, kefu_arena *a, int64_t **ids, size_t *n)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "SELECT DISTINCT tenant_id FROM queue_entries ORDER BY tenant_id LIMIT 1000", "");
	if (e != KEFU_OK)
		return e;
	*ids = arena_calloc(a, r->nrows + 1, sizeof **ids);
	for (size_t i = 0; i < r->nrows; i++)
		(*ids)[i] = db_i64(r, i, 0);
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err db_queue_for_groups(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *group_ids,
                             size_t ngroups, struct queue_view **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	if (ngroups == 0)
		return KEFU_OK;
	char *list = arena_alloc(a, ngroups * 21 + 3), *p = list;
	*p++ = '[';
	for (size_t i = 0; i < ngroups; i++)
		p += sprintf(p, "%s%lld", i ? "," : "", (long long)group_ids[i]);
	*p++ = ']';
	*p = '\0';
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " QE_COLUMNS ", c.channel_id, c.visitor_id, v.name, v.page_url, c.created_at,"
	                      " (SELECT COUNT(*) FROM queue_entries o WHERE o.tenant_id = q.tenant_id"
	                      "  AND o.rule_id = q.rule_id AND o.group_id = q.group_id AND o.id <= q.id)"
	                      " FROM queue_entries q"
	                      " JOIN JSON_TABLE(?, '$[*]' COLUMNS (gid BIGINT PATH '$')) j ON q.group_id = j.gid"
	                      " JOIN conversations c ON c.id = q.conversation_id AND c.tenant_id = q.tenant_id"
	                      " JOIN visitors v ON v.id = c.visitor_id AND v.tenant_id = c.tenant_id"
	                      " WHERE q.tenant_id = ? ORDER BY q.id LIMIT 500",
	                      "si", list, tenant_id);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	for (size_t i = 0; i < r->nrows; i++) {
		struct queue_view *v = &(*rows)[i];
		read_entry(r, i, &v->e);
		v->channel_id = db_i64(r, i, 8);
		v->visitor_id = db_i64(r, i, 9);
		v->visitor_name = db_str(r, i, 10);
		v->page_url = db_str(r, i, 11);
		v->created_at = db_str(r, i, 12);
		v->position = db_i64(r, i, 13);
	}
	*n = r->nrows;
	return KEFU_OK;
}
