/* store-rules: SQL for the rules and rule_channels tables. */
#include "store/store-rules.h"

#include "store/store-rows.h"

static kefu_err set_channels(struct kefu_db *db, int64_t tenant_id, int64_t id, const struct rule_cols *c)
{
	kefu_err e = db_exec(db, NULL, NULL, "DELETE FROM rule_channels WHERE tenant_id = ? AND rule_id = ?", "ii",
	                     tenant_id, id);
	for (size_t i = 0; e == KEFU_OK && i < c->nchannels; i++)
		e = db_exec(db, NULL, NULL,
		            "INSERT INTO rule_channels (tenant_id, rule_id, channel_id) VALUES (?, ?, ?)", "iii",
		            tenant_id, id, c->channel_ids[i]);
	return e;
}

kefu_err db_rule_create(struct kefu_db *db, int64_t tenant_id, const struct rule_cols *c, int64_t *id)
{
	kefu_err e =
	    db_exec(db, NULL, id,
	            "INSERT INTO rules (tenant_id, name, priority, max_concurrent, require_identity, strategy, doc)"
	            " VALUES (?, ?, ?, ?, ?, ?, ?)",
	            "isiiiss", tenant_id, c->name, c->priority, c->max_concurrent, (int64_t)c->require_identity,
	            c->strategy, c->doc);
	return e == KEFU_OK ? set_channels(db, tenant_id, *id, c) : e;
}

kefu_err db_rule_update(struct kefu_db *db, int64_t tenant_id, int64_t id, const struct rule_cols *c)
{
	kefu_err e = db_exec(db, NULL, NULL,
	                     "UPDATE rules SET name = ?, priority = ?, max_concurrent = ?, require_identity = ?,"
	                     " strategy = ?, doc = ? WHERE tenant_id = ? AND id = ?",
	                     "siiissii", c->name, c->priority, c->max_concurrent, (int64_t)c->require_identity,
	                     c->strategy, c->doc, tenant_id, id);
	return e == KEFU_OK ? set_channels(db, tenant_id, id, c) : e;
}

#define RULE_COLUMNS "r.id, r.doc, r.created_at, r.updated_at"

static const struct row_spec spec = ROWS(struct rule_row, id, doc, created_at, updated_at);

kefu_err db_rule_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct rule_row *out)
{
	return rows_get(db, a, &spec, out, "SELECT " RULE_COLUMNS " FROM rules r WHERE r.tenant_id = ? AND r.id = ?",
	                tenant_id, id);
}

kefu_err db_rule_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct rule_row **rows, size_t *n)
{
	return rows_list(db, a, &spec, (void **)rows, n,
	                 "SELECT " RULE_COLUMNS " FROM rules r WHERE r.tenant_id = ? ORDER BY r.priority, r.id",
	                 tenant_id);
}

kefu_err db_rule_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	return db_exec_one(db, "DELETE FROM rules WHERE tenant_id = ? AND id = ?", "ii", tenant_id, id);
}

kefu_err db_rule_for_channel(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                             struct rule_row *out)
{
	/* The id first, then the document: sorting rows that carry a TEXT column
	 * makes MariaDB build an on-disk temporary table, which costs more than
	 * the second lookup by primary key. */
	int64_t id;
	kefu_err e = db_query_i64(
	    db, a, &id,
	    "SELECT r.id FROM rule_channels rc JOIN rules r ON r.id = rc.rule_id AND r.tenant_id = rc.tenant_id"
	    " WHERE rc.tenant_id = ? AND rc.channel_id = ? ORDER BY r.priority, r.id LIMIT 1",
	    "ii", tenant_id, channel_id);
	return e != KEFU_OK ? e : db_rule_get(db, a, tenant_id, id, out);
}

kefu_err db_rule_tenant_zone(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char **zone)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT timezone FROM tenants WHERE id = ?", "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	*zone = r->nrows ? db_str(r, 0, 0) : "UTC";
	return KEFU_OK;
}

kefu_err db_rule_for_start(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                           struct rule_row *out, const char **zone)
{
	/* The rule is picked by id in a subquery (no TEXT column is sorted, see
	 * db_rule_for_channel) and joined to the tenant's row, which is always there. */
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r,
	    "SELECT r.id, r.doc, r.created_at, r.updated_at, t.timezone FROM tenants t"
	    " LEFT JOIN rules r ON r.tenant_id = t.id AND r.id = ("
	    " SELECT r2.id FROM rule_channels rc JOIN rules r2 ON r2.id = rc.rule_id AND r2.tenant_id = rc.tenant_id"
	    " WHERE rc.tenant_id = ? AND rc.channel_id = ? ORDER BY r2.priority, r2.id LIMIT 1)"
	    " WHERE t.id = ?",
	    "iii", tenant_id, channel_id, tenant_id);
	if (e != KEFU_OK)
		return e;
	*out = (struct rule_row){0};
	*zone = "UTC";
	if (r->nrows == 0)
		return KEFU_OK;
	if (db_str(r, 0, 0) != NULL)
		rows_read(r, 0, &spec, out);
	if (db_str(r, 0, 4) != NULL)
		*zone = db_str(r, 0, 4);
	return KEFU_OK;
}
