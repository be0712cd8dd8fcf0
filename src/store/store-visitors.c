/* store-visitors: SQL for the visitors table. */
#include "store/store-visitors.h"

#include <string.h>

#include "store/batcher.h"
#include "store/store-rows.h"

/* roles reads as ["guest"] when unset: the default the table gives new visitors. */
#define VISITOR_COLUMNS                                                                                                \
	"id, tenant_id, channel_id, contact_id, account_id, identified, name, COALESCE(roles, '[\"guest\"]'),"         \
	" page_url, referrer, locale, user_agent, attributes, created_at, last_seen_at"

#define VISITOR_FIELDS                                                                                                 \
	id, tenant_id, channel_id, contact_id, account_id, identified, name, roles, page_url, referrer, locale,        \
	    user_agent, attributes, created_at, last_seen_at
static const struct row_spec spec = ROWS(struct visitor_row, VISITOR_FIELDS);

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
	kefu_err e =
	    db_query(db, a, &r, "SELECT " VISITOR_COLUMNS " FROM visitors WHERE token_hash = ?", "s", token_hash);
	return e != KEFU_OK ? e : rows_one(r, &spec, out);
}

/* The visitor's columns (the spec's), then the channel's four, the token hash, the channel's triggers_rev and how
 * long the visitor stays live (visitor insight's polls read it here rather than on their own). */
#define AUTH_COLUMNS                                                                                                   \
	"v.id, v.tenant_id, v.channel_id, v.contact_id, v.account_id, v.identified, v.name,"                           \
	" COALESCE(v.roles, '[\"guest\"]'), v.page_url, v.referrer, v.locale, v.user_agent, v.attributes,"             \
	" v.created_at, v.last_seen_at, ch.allowed_origins, ch.`key`, ch.prechat_fields, v.token_hash, ch.tracking,"   \
	" ch.triggers_rev, TIMESTAMPDIFF(MICROSECOND, NOW(3), (SELECT l.live_until FROM visitor_live l"                \
	" WHERE l.visitor_id = v.id AND l.tenant_id = v.tenant_id)) DIV 1000"
_Static_assert(ROWS_COUNT_(VISITOR_FIELDS) + 7 == VISITOR_AUTH_NCOLS, "AUTH_COLUMNS and the spec agree");

/* The channel is read by its key, forced: with few channels the optimizer
 * would rather scan them and read every visitor of each by channel, which
 * joined to the posts' conversations (store-conversations.c) cost a join
 * buffer, a temporary table and a sort on every batch of posts. */
#define AUTH_FROM                                                                                                      \
	" FROM visitors v"                                                                                             \
	" JOIN channels ch FORCE INDEX (PRIMARY) ON ch.id = v.channel_id AND ch.tenant_id = v.tenant_id"               \
	" AND ch.deleted_at IS NULL WHERE v.token_hash IN ("

const char *db_visitors_auth_sql(kefu_arena *a, size_t n)
{
	return db_sql_list(a, "SELECT " AUTH_COLUMNS AUTH_FROM, "?", ", ", n, ")");
}

/* A post needs of its caller who it is and where it may post from: the
 * visitor's keys, the channel's origins and the token (to match the row to
 * its post). Read with every batch of posts, so nothing more: the full
 * caller's visitor columns and its visitor_live read cost MariaDB a fifth
 * more CPU a message (README, "Message POST"). */
#define CALLER_COLUMNS "v.id, v.tenant_id, v.channel_id, ch.allowed_origins, v.token_hash"

const char *db_visitors_caller_sql(kefu_arena *a, size_t n)
{
	return db_sql_list(a, "SELECT " CALLER_COLUMNS AUTH_FROM, "?", ", ", n, ")");
}

const char *db_visitor_caller_read(const struct db_result *r, size_t row, size_t first, struct visitor_auth *out)
{
	if (db_null(r, row, first))
		return NULL;
	*out = (struct visitor_auth){.v = {.id = db_i64(r, row, first),
	                                   .tenant_id = db_i64(r, row, first + 1),
	                                   .channel_id = db_i64(r, row, first + 2)},
	                             .allowed_origins = db_str(r, row, first + 3),
	                             .live_ms = -1};
	return db_str(r, row, first + 4);
}

const char *db_visitor_auth_read(const struct db_result *r, size_t row, size_t first, struct visitor_auth *out)
{
	if (db_null(r, row, first))
		return NULL;
	rows_read_at(r, row, first, &spec, &out->v);
	out->allowed_origins = db_str(r, row, first + 15);
	out->channel_key = db_str(r, row, first + 16);
	out->prechat_fields = db_str(r, row, first + 17);
	out->tracking = db_i64(r, row, first + 19) != 0;
	out->triggers_rev = db_i64(r, row, first + 20);
	out->live_ms = db_null(r, row, first + 21) || db_i64(r, row, first + 21) <= 0 ? -1 : db_i64(r, row, first + 21);
	return db_str(r, row, first + 18);
}

void db_visitor_auth_copy(kefu_arena *dst, struct visitor_auth *va)
{
	struct visitor_row *w = &va->v;
	w->name = arena_strdup(dst, w->name);
	w->roles = arena_strdup(dst, w->roles);
	w->page_url = arena_strdup(dst, w->page_url);
	w->referrer = arena_strdup(dst, w->referrer);
	w->locale = arena_strdup(dst, w->locale);
	w->user_agent = arena_strdup(dst, w->user_agent);
	w->attributes = arena_strdup(dst, w->attributes);
	w->created_at = arena_strdup(dst, w->created_at);
	w->last_seen_at = arena_strdup(dst, w->last_seen_at);
	va->allowed_origins = arena_strdup(dst, va->allowed_origins);
	va->channel_key = arena_strdup(dst, va->channel_key);
	va->prechat_fields = arena_strdup(dst, va->prechat_fields);
}

kefu_err db_visitors_auth(struct kefu_db *db, kefu_arena *a, const char *const *token_hash, size_t n,
                          kefu_arena *const *to, struct visitor_auth *const *out, bool *found)
{
	struct db_args *v = db_args_new(a);
	for (size_t i = 0; i < n; i++)
		db_arg_str(v, token_hash[i]);
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r, db_visitors_auth_sql(a, n), v);
	if (e != KEFU_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		found[i] = false;
		for (size_t j = 0; j < r->nrows && !found[i]; j++)
			if (strcmp(db_str(r, j, 18), token_hash[i]) == 0) {
				db_visitor_auth_read(r, j, 0, out[i]);
				db_visitor_auth_copy(to[i], out[i]);
				found[i] = true;
			}
	}
	return KEFU_OK;
}

/* One token lookup waiting in the batch. */
struct auth_lookup {
	const char *token_hash;
	struct visitor_auth *out;
};

/* Every widget call resolves its caller, so the lookups of all the calls
 * that arrive together are one joined read (store/batcher.h). */
static void run_auth_batch(struct kefu_db *db, kefu_arena *a, struct batch_job **jobs, size_t n)
{
	const char **hash = arena_calloc(a, n, sizeof *hash);
	kefu_arena **to = arena_calloc(a, n, sizeof *to);
	struct visitor_auth **out = arena_calloc(a, n, sizeof *out);
	bool *found = arena_calloc(a, n, sizeof *found);
	for (size_t i = 0; i < n; i++) {
		struct auth_lookup *l = jobs[i]->arg;
		hash[i] = l->token_hash;
		to[i] = jobs[i]->arena;
		out[i] = l->out;
	}
	kefu_err e = db_visitors_auth(db, a, hash, n, to, out, found);
	for (size_t i = 0; i < n; i++)
		jobs[i]->err = e != KEFU_OK ? e : found[i] ? KEFU_OK : KEFU_E_NOT_FOUND;
}

static struct batcher auth_lookups = BATCHER_INIT(run_auth_batch, 32);

kefu_err db_visitor_auth(struct kefu_db *db, kefu_arena *a, const char *token_hash, struct visitor_auth *out)
{
	struct auth_lookup l = {.token_hash = token_hash, .out = out};
	struct batch_job job = {.arg = &l, .arena = a};
	batcher_run(&auth_lookups, db, a, &job);
	return job.err;
}

kefu_err db_visitor_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct visitor_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "SELECT " VISITOR_COLUMNS " FROM visitors WHERE tenant_id = ? AND id = ?",
	                      "ii", tenant_id, id);
	return e != KEFU_OK ? e : rows_one(r, &spec, out);
}

kefu_err db_visitor_lock(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct visitor_row *out)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "SELECT " VISITOR_COLUMNS " FROM visitors WHERE tenant_id = ? AND id = ? FOR UPDATE",
	             "ii", tenant_id, id);
	return e != KEFU_OK ? e : rows_one(r, &spec, out);
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
