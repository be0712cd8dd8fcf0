/* store-visitors: SQL for the visitors table. */
#include "store/store-visitors.h"

#define VISITOR_COLUMNS                                                                                     \
	"id, tenant_id, channel_id, contact_id, account_id, identified, name, roles, page_url, referrer,"   \
	" locale, user_agent, attributes, created_at, last_seen_at"

static void read_row(const struct db_result *r, size_t i, struct visitor_row *v)
{
	v->id = db_i64(r, i, 0);
	v->tenant_id = db_i64(r, i, 1);
	v->channel_id = db_i64(r, i, 2);
	v->contact_id = db_null(r, i, 3) ? 0 : db_i64(r, i, 3);
	v->account_id = db_null(r, i, 4) ? 0 : db_i64(r, i, 4);
	v->identified = db_i64(r, i, 5) != 0;
	v->name = db_str(r, i, 6);
	v->roles = db_str(r, i, 7) ? db_str(r, i, 7) : "[\"guest\"]";
	v->page_url = db_str(r, i, 8);
	v->referrer = db_str(r, i, 9);
	v->locale = db_str(r, i, 10);
	v->user_agent = db_str(r, i, 11);
	v->attributes = db_str(r, i, 12);
	v->created_at = db_str(r, i, 13);
	v->last_seen_at = db_str(r, i, 14);
}

static kefu_err one(const struct db_result *r, struct visitor_row *out)
{
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_row(r, 0, out);
	return KEFU_OK;
}

kefu_err db_visitor_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, const char *token_hash,
                           const struct visitor_seen *s, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO visitors (tenant_id, channel_id, token_hash, page_url, referrer, locale,"
	               " user_agent, attributes, roles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[\"guest\"]')",
	               "iissssss", tenant_id, channel_id, token_hash, s->page_url, s->referrer, s->locale,
	               s->user_agent, s->attributes);
}

kefu_err db_visitor_by_token(struct kefu_db *db, kefu_arena *a, const char *token_hash, struct visitor_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT " VISITOR_COLUMNS " FROM visitors WHERE token_hash = ?", "s",
	                      token_hash);
	return e != KEFU_OK ? e : one(r, out);
}

kefu_err db_visitor_auth(struct kefu_db *db, kefu_arena *a, const char *token_hash, struct visitor_auth *out)
{
	/* Every widget call resolves its caller: one joined read, not two. */
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT v.id, v.tenant_id, v.channel_id, v.contact_id, v.account_id, v.identified, v.name,"
	                      " v.roles, v.page_url, v.referrer, v.locale, v.user_agent, v.attributes, v.created_at,"
	                      " v.last_seen_at, ch.allowed_origins, ch.`key`, ch.prechat_fields FROM visitors v"
	                      " JOIN channels ch ON ch.id = v.channel_id AND ch.tenant_id = v.tenant_id"
	                      " AND ch.deleted_at IS NULL WHERE v.token_hash = ?",
	                      "s", token_hash);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_row(r, 0, &out->v);
	out->allowed_origins = db_str(r, 0, 15);
	out->channel_key = db_str(r, 0, 16);
	out->prechat_fields = db_str(r, 0, 17);
	return KEFU_OK;
}

kefu_err db_visitor_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct visitor_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT " VISITOR_COLUMNS " FROM visitors WHERE tenant_id = ? AND id = ?",
	                      "ii", tenant_id, id);
	return e != KEFU_OK ? e : one(r, out);
}

kefu_err db_visitor_touch(struct kefu_db *db, int64_t tenant_id, int64_t id, const struct visitor_seen *s)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE visitors SET last_seen_at = NOW(3), page_url = COALESCE(?, page_url),"
	               " referrer = COALESCE(?, referrer), locale = COALESCE(?, locale),"
	               " user_agent = COALESCE(?, user_agent), attributes = COALESCE(?, attributes)"
	               " WHERE tenant_id = ? AND id = ?",
	               "sssssii", s->page_url, s->referrer, s->locale, s->user_agent, s->attributes, tenant_id, id);
}
