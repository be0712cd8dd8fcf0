/* store-canned: SQL for canned replies, tenant-wide (owner NULL) and per agent. */
#include "store/store-canned.h"

#include "store/store-rows.h"

#include <string.h>

#define FIELDS  id, owner_user_id, shortcut, title, text, created_at, updated_at
#define COLUMNS ROWS_SQL(FIELDS)

static const struct row_spec spec = ROWS(struct canned_row, FIELDS);

kefu_err db_canned_create(struct kefu_db *db, int64_t tenant_id, const struct canned_row *c, int64_t *id)
{
	return db_exec(
	    db, NULL, id,
	    "INSERT INTO canned_replies (tenant_id, owner_user_id, shortcut, title, text) VALUES (?, ?, ?, ?, ?)",
	    "insss", tenant_id, c->owner_user_id, c->shortcut, c->title, c->text);
}

kefu_err db_canned_update(struct kefu_db *db, int64_t tenant_id, const struct canned_row *c)
{
	uint64_t n = 0;
	kefu_err e = db_exec(db, &n, NULL,
	                     "UPDATE canned_replies SET shortcut = ?, title = ?, text = ?, updated_at = NOW(3)"
	                     " WHERE tenant_id = ? AND id = ? AND owner_user_id <=> ?",
	                     "sssiin", c->shortcut, c->title, c->text, tenant_id, c->id, c->owner_user_id);
	(void)n; /* an update with identical values touches 0 rows: not an error */
	return e;
}

kefu_err db_canned_delete(struct kefu_db *db, int64_t tenant_id, int64_t owner_user_id, int64_t id)
{
	return db_exec_one(db, "DELETE FROM canned_replies WHERE tenant_id = ? AND id = ? AND owner_user_id <=> ?",
	                   "iin", tenant_id, id, owner_user_id);
}

kefu_err db_canned_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct canned_row *out)
{
	return rows_get(db, a, &spec, out, "SELECT " COLUMNS " FROM canned_replies WHERE tenant_id = ? AND id = ?",
	                tenant_id, id);
}

/* q with LIKE's wildcards and escape character escaped. */
static char *like_escape(kefu_arena *a, const char *q)
{
	char *out = arena_alloc(a, strlen(q) * 2 + 1), *p = out;
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			*p++ = '\\';
		*p++ = *q;
	}
	*p = '\0';
	return out;
}

kefu_err db_canned_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool only_tenant,
                        const char *q, int64_t limit, struct canned_row **rows, size_t *n)
{
	struct db_result *r;
	const char *esc = q && *q ? like_escape(a, q) : "";
	int64_t mine = only_tenant ? 0 : user_id;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " COLUMNS " FROM canned_replies WHERE tenant_id = ?"
	                      " AND (owner_user_id IS NULL OR (? <> 0 AND owner_user_id = ?))"
	                      " AND (? = '' OR shortcut LIKE CONCAT(?, '%') OR title LIKE CONCAT('%', ?, '%')"
	                      " OR text LIKE CONCAT('%', ?, '%'))"
	                      " ORDER BY shortcut, owner_user_id IS NULL, id LIMIT ?",
	                      "iiissssi", tenant_id, mine, mine, esc, esc, esc, esc, limit);
	return e != KEFU_OK ? e : rows_all(r, a, &spec, (void **)rows, n);
}
