/* store-insight: SQL for visitor insight: browser facts, page views, visitor_live, invitations, triggers, trigger_due.
 */
#include "store/store-insight.h"

#include <json-c/json.h>
#include <string.h>

#include "store/store-rows.h"

/* ---- page views ---- */

kefu_err db_pageview_record(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                            int64_t visitor_id, const struct pageview_in_row *in, const struct visitor_facts *f,
                            int64_t *id)
{
	/* Its own transaction, in one round trip (schema/0037-pageview-procedure.sql): the rate-limited INSERT, the
	 * visitor's counters and facts with their visitor_live row, the row created when they were not live. */
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "CALL pageview_record(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	             "iiisssiiiisssssiss", tenant_id, channel_id, visitor_id, in->url, in->title, in->referrer,
	             (int64_t)in->max, (int64_t)in->window_s, (int64_t)in->gap_s, (int64_t)in->live_s, f->browser,
	             f->browser_version, f->os, f->device, f->address, (int64_t)f->geo, f->country, f->city);
	/* Its answer also says whether the visitor appeared; the flusher's notice tells the agents either way. */
	*id = e == KEFU_OK && r->nrows == 1 ? db_i64(r, 0, 0) : 0;
	return e;
}

kefu_err db_pageview_by_token(struct kefu_db *db, kefu_arena *a, const char *token_hash, const char *origin,
                              const struct pageview_in_row *in, const struct visitor_facts *f, struct visitor_auth *va,
                              bool *found, enum pageview_by_token_status *status, int64_t *id)
{
	/* The token read, the page view's transaction and the visitor's row answered, in one round trip: the token's
	 * own read was a second wait and wake-up of the thread a view. */
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "CALL pageview_by_token(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	             "sssssiiiisssssiss", token_hash, origin, in->url, in->title, in->referrer, (int64_t)in->max,
	             (int64_t)in->window_s, (int64_t)in->gap_s, (int64_t)in->live_s, f->browser, f->browser_version,
	             f->os, f->device, f->address, (int64_t)f->geo, f->country, f->city);
	*found = false;
	*status = PAGEVIEW_NOT_RECORDED;
	*id = 0;
	if (e != KEFU_OK)
		return e;
	if (r->nrows != 1 || r->ncols != VISITOR_AUTH_NCOLS + 2 || db_visitor_auth_read(r, 0, 0, va) == NULL)
		return KEFU_OK;
	*found = true;
	*id = db_i64(r, 0, VISITOR_AUTH_NCOLS);
	int64_t s = db_i64(r, 0, VISITOR_AUTH_NCOLS + 1);
	*status = s == 1 ? PAGEVIEW_RECORDED : s == 2 ? PAGEVIEW_LIMITED : PAGEVIEW_NOT_RECORDED;
	return KEFU_OK;
}

static void put_str(json_object *o, const char *k, const char *v)
{
	if (v != NULL) /* absent: NULL in JSON_TABLE's column */
		json_object_object_add(o, k, json_object_new_string(v));
}

kefu_err db_pageviews_by_token(struct kefu_db *db, kefu_arena *a, struct pageview_by_token *v, size_t n)
{
	/* The views as one JSON array (its keys are the procedure's), so one prepared statement serves any count. */
	json_object *views = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		put_str(o, "h", v[i].token_hash);
		put_str(o, "o", v[i].origin);
		put_str(o, "u", v[i].in->url);
		put_str(o, "t", v[i].in->title);
		put_str(o, "r", v[i].in->referrer);
		put_str(o, "b", v[i].f->browser);
		put_str(o, "bv", v[i].f->browser_version);
		put_str(o, "os", v[i].f->os);
		put_str(o, "d", v[i].f->device);
		put_str(o, "a", v[i].f->address);
		if (v[i].f->geo) {
			json_object_object_add(o, "g", json_object_new_int(1));
			put_str(o, "co", v[i].f->country);
			put_str(o, "ci", v[i].f->city);
		}
		json_object_array_add(views, o);
		v[i].found = false;
		v[i].status = PAGEVIEW_NOT_RECORDED;
		v[i].id = 0;
	}
	const char *json = arena_strdup(
	    a, json_object_to_json_string_ext(views, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(views);
	const struct pageview_in_row *in = v[0].in;
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, "CALL pageviews_by_token(?, ?, ?, ?, ?)", "siiii", json, (int64_t)in->max,
	                      (int64_t)in->window_s, (int64_t)in->gap_s, (int64_t)in->live_s);
	if (e != KEFU_OK)
		return e;
	if (r->ncols != VISITOR_AUTH_NCOLS + 3)
		return KEFU_E_INTERNAL;
	for (size_t k = 0; k < r->nrows; k++) {
		int64_t at = db_i64(r, k, 0) - 1;
		if (at < 0 || (size_t)at >= n || db_visitor_auth_read(r, k, 1, v[at].va) == NULL)
			continue;
		struct pageview_by_token *x = &v[at];
		x->found = true;
		x->id = db_i64(r, k, VISITOR_AUTH_NCOLS + 1);
		int64_t s = db_i64(r, k, VISITOR_AUTH_NCOLS + 2);
		x->status = s == 1   ? PAGEVIEW_RECORDED
		            : s == 2 ? PAGEVIEW_LIMITED
		            : s == 3 ? PAGEVIEW_FAILED
		                     : PAGEVIEW_NOT_RECORDED;
	}
	return KEFU_OK;
}

kefu_err db_pageviews_recent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int window_s,
                             int max, int64_t *n, int *oldest_age_s)
{
	/* The newest max views by ix_pageviews_visitor, counted within the window: at most max rows read. */
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), NOW(3)), 0) FROM"
	                      " (SELECT created_at FROM pageviews WHERE tenant_id = ? AND visitor_id = ?"
	                      " ORDER BY id DESC LIMIT ?) x WHERE created_at > NOW(3) - INTERVAL ? SECOND",
	                      "iiii", tenant_id, visitor_id, (int64_t)max, (int64_t)window_s);
	if (e != KEFU_OK)
		return e;
	*n = db_i64(r, 0, 0);
	*oldest_age_s = (int)db_i64(r, 0, 1);
	return KEFU_OK;
}

kefu_err db_pageviews_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int limit,
                           struct pageview_row **rows, size_t *n)
{
	/* The seconds are the gap to the next view, read with it (LAG over the newest-first order). */
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT id, url, title, referrer, created_at,"
	                      " TIMESTAMPDIFF(SECOND, created_at, LAG(created_at) OVER (ORDER BY id DESC))"
	                      " FROM pageviews WHERE tenant_id = ? AND visitor_id = ? ORDER BY id DESC LIMIT ?",
	                      "iii", tenant_id, visitor_id, (int64_t)limit);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	*n = r->nrows;
	for (size_t i = 0; i < r->nrows; i++)
		(*rows)[i] = (struct pageview_row){
		    .id = db_i64(r, i, 0),
		    .url = db_str(r, i, 1),
		    .title = db_str(r, i, 2),
		    .referrer = db_str(r, i, 3),
		    .created_at = db_str(r, i, 4),
		    .seconds = db_null(r, i, 5) ? -1 : db_i64(r, i, 5),
		};
	return KEFU_OK;
}

kefu_err db_pageviews_erase(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id)
{
	kefu_err e = db_exec(db, NULL, NULL, "DELETE FROM trigger_due WHERE tenant_id = ? AND visitor_id = ?", "ii",
	                     tenant_id, visitor_id);
	if (e == KEFU_OK)
		e = db_exec(db, NULL, NULL, "DELETE FROM visitor_live WHERE tenant_id = ? AND visitor_id = ?", "ii",
		            tenant_id, visitor_id);
	if (e == KEFU_OK)
		e = db_exec(db, NULL, NULL, "DELETE FROM pageviews WHERE tenant_id = ? AND visitor_id = ?", "ii",
		            tenant_id, visitor_id);
	/* the visitor's own stream (invitation texts) */
	if (e == KEFU_OK)
		e = db_exec(db, NULL, NULL, "DELETE FROM visitor_events WHERE tenant_id = ? AND visitor_id = ?", "ii",
		            tenant_id, visitor_id);
	if (e == KEFU_OK)
		e = db_exec(db, NULL, NULL,
		            "UPDATE visitors SET browser = NULL, browser_version = NULL, os = NULL, device = NULL,"
		            " address = NULL, country = NULL, city = NULL, last_page_at = NULL"
		            " WHERE tenant_id = ? AND id = ?",
		            "ii", tenant_id, visitor_id);
	return e;
}

kefu_err db_notices_erase(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id)
{
	/* The agents' streams have no index by visitor: a plain (consistent, lockless) read finds the entries,
	 * then each is changed by its primary key, so agents' appends are never held by the scan. */
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT id FROM user_events WHERE tenant_id = ? AND conversation_id = 0 AND body IS NOT NULL"
	             " AND (JSON_VALUE(body, '$.visitor.visitor_id') = ? OR JSON_VALUE(body, '$.visitor_id') = ?)",
	             "iii", tenant_id, visitor_id, visitor_id);
	int64_t *ids = NULL;
	size_t n = 0;
	if (e == KEFU_OK)
		e = rows_ids(r, a, &ids, &n);
	for (size_t i = 0; i < n && e == KEFU_OK; i += 500)
		e = db_exec(
		    db, NULL, NULL,
		    "UPDATE user_events u JOIN JSON_TABLE(?, '$[*]' COLUMNS (uid BIGINT PATH '$')) j ON u.id = j.uid"
		    " SET u.body = '{\"type\":\"visitor_erased\"}' WHERE u.tenant_id = ? AND u.conversation_id = 0",
		    "si", db_ids_json(a, ids + i, n - i < 500 ? n - i : 500), tenant_id);
	return e;
}

kefu_err db_pageviews_purge(struct kefu_db *db, int64_t tenant_id, int64_t days, int limit, uint64_t *n)
{
	return db_exec(db, n, NULL,
	               "DELETE FROM pageviews WHERE tenant_id = ? AND created_at < NOW(3) - INTERVAL ? DAY"
	               " ORDER BY created_at LIMIT ?",
	               "iii", tenant_id, days, (int64_t)limit);
}

/* ---- visitor_live ---- */

kefu_err db_live_poll(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, int64_t visitor_id,
                      int wait_s, int live_s, int slack_s, bool *appeared)
{
	uint64_t found = 0;
	kefu_err e =
	    db_exec(db, &found, NULL,
	            "UPDATE visitor_live SET live_until = NOW(3) + INTERVAL ? SECOND"
	            " WHERE tenant_id = ? AND visitor_id = ? AND live_until > NOW(3)"
	            " AND live_until < NOW(3) + INTERVAL ? SECOND",
	            "iiii", (int64_t)(wait_s + live_s + slack_s), tenant_id, visitor_id, (int64_t)(wait_s + live_s));
	*appeared = false;
	if (e != KEFU_OK || found > 0)
		return e;
	/* Either live far enough ahead already, or not live: tell them apart only now. */
	struct db_result *r;
	e = db_query(db, a, &r,
	             "SELECT 1 FROM visitor_live WHERE tenant_id = ? AND visitor_id = ? AND live_until > NOW(3)", "ii",
	             tenant_id, visitor_id);
	if (e != KEFU_OK || r->nrows > 0)
		return e;
	e = db_exec(
	    db, NULL, NULL,
	    "INSERT INTO visitor_live (visitor_id, tenant_id, channel_id, pageview_id, live_until)"
	    " VALUES (?, ?, ?, (SELECT COALESCE(MAX(p.id), 0) FROM pageviews p"
	    " WHERE p.tenant_id = ? AND p.visitor_id = ?), NOW(3) + INTERVAL ? SECOND)"
	    " ON DUPLICATE KEY UPDATE pageview_id = VALUES(pageview_id), appeared_at = NOW(3), seen_at = NOW(3),"
	    " live_until = VALUES(live_until)",
	    "iiiiii", visitor_id, tenant_id, channel_id, tenant_id, visitor_id, (int64_t)(wait_s + live_s + slack_s));
	*appeared = e == KEFU_OK;
	return e;
}

kefu_err db_live_leave(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int grace_s)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE visitor_live SET live_until = LEAST(live_until, NOW(3) + INTERVAL ? SECOND)"
	               " WHERE tenant_id = ? AND visitor_id = ?",
	               "iii", (int64_t)grace_s, tenant_id, visitor_id);
}

/* The item's columns; FROM visitors v, LEFT JOIN visitor_live l (the
 * list joins it the other way), channels ch, pageviews p. */
#define LIVE_COLUMNS                                                                                                   \
	"v.id, l.channel_id, COALESCE(l.pageview_id, 0), v.pages_viewed, v.sessions,"                                  \
	" (SELECT c.id FROM conversations c WHERE c.tenant_id = v.tenant_id AND c.visitor_id = v.id"                   \
	" AND c.status IN ('assigned', 'queued') ORDER BY c.id DESC LIMIT 1),"                                         \
	" (SELECT i.id FROM invitations i WHERE i.tenant_id = v.tenant_id AND i.visitor_id = v.id"                     \
	" AND i.created_at >= COALESCE(l.appeared_at, NOW(3) - INTERVAL 1 HOUR) ORDER BY i.id DESC LIMIT 1) AS inv,"   \
	" v.identified, l.live_until > NOW(3), v.name, ch.name, COALESCE(p.url, v.page_url), p.title,"                 \
	" COALESCE(l.page_since, v.last_page_at), v.created_at, v.referrer, v.browser, v.browser_version, v.os,"       \
	" v.device, v.locale, v.address, COALESCE(l.seen_at, v.last_seen_at), v.channel_id,"                           \
	" COALESCE((SELECT rs.mask_visitor_address FROM retention_settings rs WHERE rs.tenant_id = v.tenant_id), 1),"  \
	" v.country, v.city, l.appeared_at"

static void read_live(const struct db_result *r, size_t i, struct live_row *x)
{
	*x = (struct live_row){
	    .visitor_id = db_i64(r, i, 0),
	    .channel_id = db_null(r, i, 1) ? db_i64(r, i, 23) : db_i64(r, i, 1),
	    .pageview_id = db_i64(r, i, 2),
	    .pages_viewed = db_i64(r, i, 3),
	    .sessions = db_i64(r, i, 4),
	    .conversation_id = db_null(r, i, 5) ? 0 : db_i64(r, i, 5),
	    .invitation_id = db_null(r, i, 6) ? 0 : db_i64(r, i, 6),
	    .identified = db_i64(r, i, 7) != 0,
	    .live = !db_null(r, i, 8) && db_i64(r, i, 8) != 0,
	    .name = db_str(r, i, 9),
	    .channel_name = db_str(r, i, 10),
	    .page_url = db_str(r, i, 11),
	    .page_title = db_str(r, i, 12),
	    .page_since = db_str(r, i, 13),
	    .first_seen_at = db_str(r, i, 14),
	    .referrer = db_str(r, i, 15),
	    .browser = db_str(r, i, 16),
	    .browser_version = db_str(r, i, 17),
	    .os = db_str(r, i, 18),
	    .device = db_str(r, i, 19),
	    .locale = db_str(r, i, 20),
	    .address = db_str(r, i, 21),
	    .seen_at = db_str(r, i, 22),
	    .mask_address = db_i64(r, i, 24) != 0,
	    .country = db_str(r, i, 25),
	    .city = db_str(r, i, 26),
	    .appeared_at = db_str(r, i, 27),
	};
}

/* The status of each row's invitation, in one read for the page. */
static kefu_err invitation_statuses(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct live_row *rows,
                                    size_t n)
{
	int64_t *ids = arena_calloc(a, n + 1, sizeof *ids);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (rows[i].invitation_id != 0)
			ids[k++] = rows[i].invitation_id;
	if (k == 0)
		return KEFU_OK;
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT i.id, i.status FROM invitations i"
	                      " JOIN JSON_TABLE(?, '$[*]' COLUMNS (iid BIGINT PATH '$')) j ON i.id = j.iid"
	                      " WHERE i.tenant_id = ?",
	                      "si", db_ids_json(a, ids, k), tenant_id);
	if (e != KEFU_OK)
		return e;
	for (size_t j = 0; j < r->nrows; j++)
		for (size_t i = 0; i < n; i++)
			if (rows[i].invitation_id == db_i64(r, j, 0))
				rows[i].invitation_status = db_str(r, j, 1);
	return KEFU_OK;
}

kefu_err db_live_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, bool all, const int64_t *channels,
                      size_t nchannels, const char *before_at, int64_t before_id, int limit, struct live_row **rows,
                      size_t *n)
{
	*rows = arena_calloc(a, 1, sizeof **rows);
	*n = 0;
	if (!all && nchannels == 0)
		return KEFU_OK;
	/* The page's visitors first, from visitor_live alone: ix_visitor_live_appeared read backwards from the
	 * cursor (the table holds only the live and the just expired, so a page is a short range scan whatever the
	 * number of visitors ever seen). Only then their items: joined and computed for the page's rows, not for
	 * every live visitor before the sort (as one query did: 0.3 to 0.9 s a page at 5,000 live). */
	const char *top = "9999-12-31 23:59:59.999";
	struct db_args *v = db_args_new(a);
	db_arg_i64(v, tenant_id);
	for (size_t i = 0; !all && i < nchannels; i++)
		db_arg_i64(v, channels[i]);
	db_arg_str(v, before_at ? before_at : top);
	db_arg_str(v, before_at ? before_at : top);
	db_arg_i64(v, before_at ? before_id : INT64_MAX);
	db_arg_i64(v, limit);
	const char *sql = arena_printf(a,
	                               "SELECT " LIVE_COLUMNS " FROM (SELECT x.visitor_id FROM visitor_live x"
	                               " WHERE x.tenant_id = ? AND x.live_until > NOW(3)%s"
	                               " AND (x.appeared_at < ? OR (x.appeared_at = ? AND x.visitor_id < ?))"
	                               " ORDER BY x.appeared_at DESC, x.visitor_id DESC LIMIT ?) pg"
	                               " JOIN visitor_live l ON l.visitor_id = pg.visitor_id"
	                               " JOIN visitors v ON v.id = l.visitor_id AND v.tenant_id = l.tenant_id"
	                               " JOIN channels ch ON ch.id = l.channel_id AND ch.tenant_id = l.tenant_id"
	                               " LEFT JOIN pageviews p ON p.id = l.pageview_id AND p.tenant_id = l.tenant_id"
	                               " ORDER BY l.appeared_at DESC, l.visitor_id DESC",
	                               all ? "" : db_sql_list(a, " AND x.channel_id IN (", "?", ", ", nchannels, ")"));
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r, sql, v);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	*n = r->nrows;
	for (size_t i = 0; i < r->nrows; i++)
		read_live(r, i, &(*rows)[i]);
	return invitation_statuses(db, a, tenant_id, *rows, *n);
}

kefu_err db_live_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, struct live_row *out)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " LIVE_COLUMNS " FROM visitors v"
	                      " LEFT JOIN visitor_live l ON l.visitor_id = v.id AND l.tenant_id = v.tenant_id"
	                      " JOIN channels ch ON ch.id = v.channel_id AND ch.tenant_id = v.tenant_id"
	                      " LEFT JOIN pageviews p ON p.id = l.pageview_id AND p.tenant_id = v.tenant_id"
	                      " WHERE v.tenant_id = ? AND v.id = ?",
	                      "ii", tenant_id, visitor_id);
	if (e != KEFU_OK)
		return e;
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	read_live(r, 0, out);
	return invitation_statuses(db, a, tenant_id, out, 1);
}

kefu_err db_live_rows(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *visitors, size_t nvisitors,
                      struct live_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " LIVE_COLUMNS " FROM visitor_live l"
	                      " JOIN JSON_TABLE(?, '$[*]' COLUMNS (vid BIGINT PATH '$')) j ON l.visitor_id = j.vid"
	                      " JOIN visitors v ON v.id = l.visitor_id AND v.tenant_id = l.tenant_id"
	                      " JOIN channels ch ON ch.id = l.channel_id AND ch.tenant_id = l.tenant_id"
	                      " LEFT JOIN pageviews p ON p.id = l.pageview_id AND p.tenant_id = l.tenant_id"
	                      " WHERE l.tenant_id = ? AND l.live_until > NOW(3)",
	                      "si", db_ids_json(a, visitors, nvisitors), tenant_id);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, r->nrows + 1, sizeof **rows);
	*n = r->nrows;
	for (size_t i = 0; i < r->nrows; i++)
		read_live(r, i, &(*rows)[i]);
	return invitation_statuses(db, a, tenant_id, *rows, *n);
}

kefu_err db_live_lock(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *visitors, size_t nvisitors)
{
	struct db_result *r;
	return db_query(db, a, &r,
	                "SELECT l.visitor_id FROM visitor_live l"
	                " JOIN JSON_TABLE(?, '$[*]' COLUMNS (vid BIGINT PATH '$')) j ON l.visitor_id = j.vid"
	                " WHERE l.tenant_id = ? ORDER BY l.visitor_id LOCK IN SHARE MODE",
	                "si", db_ids_json(a, visitors, nvisitors), tenant_id);
}

kefu_err db_live_keep(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *visitors, size_t nvisitors,
                      int live_s, int64_t **gone, size_t *ngone)
{
	const char *ids = db_ids_json(a, visitors, nvisitors);
	uint64_t found = 0;
	*gone = NULL;
	*ngone = 0;
	kefu_err e = db_exec(db, &found, NULL,
	                     "UPDATE visitor_live l JOIN JSON_TABLE(?, '$[*]' COLUMNS (vid BIGINT PATH '$')) j"
	                     " ON l.visitor_id = j.vid"
	                     " SET l.live_until = GREATEST(l.live_until, NOW(3) + INTERVAL ? SECOND)"
	                     " WHERE l.tenant_id = ? AND l.live_until > NOW(3)",
	                     "sii", ids, (int64_t)live_s, tenant_id);
	if (e != KEFU_OK || found >= nvisitors)
		return e;
	/* Some were not live (gone, or never yet): which, read only now. */
	struct db_result *r;
	e = db_query(db, a, &r,
	             "SELECT j.vid FROM JSON_TABLE(?, '$[*]' COLUMNS (vid BIGINT PATH '$')) j"
	             " WHERE NOT EXISTS (SELECT 1 FROM visitor_live l WHERE l.tenant_id = ? AND l.visitor_id = j.vid"
	             " AND l.live_until > NOW(3))",
	             "si", ids, tenant_id);
	return e != KEFU_OK ? e : rows_ids(r, a, gone, ngone);
}

kefu_err db_live_appear(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t visitor_id, int live_s)
{
	return db_exec(
	    db, NULL, NULL,
	    "INSERT INTO visitor_live (visitor_id, tenant_id, channel_id, pageview_id, live_until)"
	    " VALUES (?, ?, ?, (SELECT COALESCE(MAX(p.id), 0) FROM pageviews p"
	    " WHERE p.tenant_id = ? AND p.visitor_id = ?), NOW(3) + INTERVAL ? SECOND)"
	    " ON DUPLICATE KEY UPDATE pageview_id = VALUES(pageview_id), appeared_at = NOW(3), seen_at = NOW(3),"
	    " live_until = VALUES(live_until)",
	    "iiiiii", visitor_id, tenant_id, channel_id, tenant_id, visitor_id, (int64_t)live_s);
}

static const struct row_spec live_gone_spec = ROWS(struct live_gone, tenant_id, channel_id, visitor_id);

kefu_err db_live_expired(struct kefu_db *db, kefu_arena *a, int limit, struct live_gone **rows, size_t *n)
{
	/* Cross-tenant on purpose, as the long-poll tailer: the sweep serves every tenant. */
	return rows_query(db, a, &live_gone_spec, (void **)rows, n,
	                  "SELECT tenant_id, channel_id, visitor_id FROM visitor_live WHERE live_until <= NOW(3)"
	                  " ORDER BY live_until LIMIT ?",
	                  "i", (int64_t)limit);
}

kefu_err db_live_remove(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, bool *removed)
{
	return db_exec_hit(db, removed,
	                   "DELETE FROM visitor_live WHERE tenant_id = ? AND visitor_id = ? AND live_until <= NOW(3)",
	                   "ii", tenant_id, visitor_id);
}

/* ---- invitations ---- */

#define INVITATION_COLUMNS                                                                                             \
	"i.id, i.tenant_id, i.channel_id, i.visitor_id, i.user_id, i.trigger_id, i.conversation_id, i.text, i.status," \
	" i.created_at, u.name"

static const struct row_spec invitation_spec =
    ROWS(struct invitation_row, id, tenant_id, channel_id, visitor_id, user_id, trigger_id, conversation_id, text,
         status, created_at, agent_name);

kefu_err db_invitation_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t visitor_id,
                              int64_t user_id, int64_t trigger_id, const char *text, int64_t *id)
{
	return db_exec(db, NULL, id,
	               "INSERT INTO invitations (tenant_id, channel_id, visitor_id, user_id, trigger_id, text)"
	               " VALUES (?, ?, ?, ?, ?, ?)",
	               "iiiIIs", tenant_id, channel_id, visitor_id, user_id ? &user_id : NULL,
	               trigger_id ? &trigger_id : NULL, text);
}

kefu_err db_invitation_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, bool for_update,
                           struct invitation_row *out)
{
	return rows_get(db, a, &invitation_spec, out,
	                for_update
	                    ? "SELECT " INVITATION_COLUMNS " FROM invitations i LEFT JOIN users u ON u.id = i.user_id"
	                      " WHERE i.tenant_id = ? AND i.id = ? FOR UPDATE"
	                    : "SELECT " INVITATION_COLUMNS " FROM invitations i LEFT JOIN users u ON u.id = i.user_id"
	                      " WHERE i.tenant_id = ? AND i.id = ?",
	                tenant_id, id);
}

kefu_err db_invitation_set_status(struct kefu_db *db, int64_t tenant_id, int64_t id, const char *to,
                                  int64_t conversation_id, bool *changed)
{
	return db_exec_hit(
	    db, changed,
	    "UPDATE invitations SET status = ?, conversation_id = COALESCE(?, conversation_id)"
	    " WHERE tenant_id = ? AND id = ? AND (status = 'sent' OR (? = 'accepted' AND status = 'dismissed'))",
	    "sniis", to, conversation_id, tenant_id, id, to);
}

kefu_err db_invitation_recent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t trigger_id,
                              int64_t visitor_id, int64_t hours, bool *found)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT 1 FROM invitations WHERE tenant_id = ? AND trigger_id = ? AND visitor_id = ?"
	                      " AND created_at > NOW(3) - INTERVAL ? HOUR LIMIT 1",
	                      "iiii", tenant_id, trigger_id, visitor_id, hours);
	*found = e == KEFU_OK && r->nrows > 0;
	return e;
}

kefu_err db_invitations_for_visitor(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                                    struct invitation_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " INVITATION_COLUMNS " FROM invitations i LEFT JOIN users u ON u.id = i.user_id"
	                      " WHERE i.tenant_id = ? AND i.visitor_id = ? ORDER BY i.id",
	                      "ii", tenant_id, visitor_id);
	return e != KEFU_OK ? e : rows_all(r, a, &invitation_spec, (void **)rows, n);
}

kefu_err db_invitations_erase(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id)
{
	return db_exec(db, NULL, NULL, "UPDATE invitations SET text = NULL WHERE tenant_id = ? AND visitor_id = ?",
	               "ii", tenant_id, visitor_id);
}

kefu_err db_invitations_purge(struct kefu_db *db, int64_t tenant_id, int64_t days, int limit, uint64_t *n)
{
	return db_exec(db, n, NULL,
	               "UPDATE invitations SET text = NULL WHERE tenant_id = ? AND text IS NOT NULL"
	               " AND created_at < NOW(3) - INTERVAL ? DAY ORDER BY created_at LIMIT ?",
	               "iii", tenant_id, days, (int64_t)limit);
}

/* ---- triggers ---- */

#define TRIGGER_COLUMNS                                                                                                \
	"id, channel_id, name, enabled, match_json, after_seconds, text, once_per_hours, created_at, updated_at"

static const struct row_spec trigger_spec = ROWS(struct trigger_row, id, channel_id, name, enabled, match,
                                                 after_seconds, text, once_per_hours, created_at, updated_at);

/* Every change of a channel's triggers moves its triggers_rev (the workers' caches, domain/insight.c). */
static kefu_err triggers_moved(struct kefu_db *db, int64_t tenant_id, int64_t channel_id)
{
	return db_exec(db, NULL, NULL,
	               "UPDATE channels SET triggers_rev = triggers_rev + 1 WHERE tenant_id = ? AND id = ?", "ii",
	               tenant_id, channel_id);
}

static kefu_err trigger_moved(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	return db_exec(
	    db, NULL, NULL,
	    "UPDATE channels ch JOIN visitor_triggers t ON t.channel_id = ch.id AND t.tenant_id = ch.tenant_id"
	    " SET ch.triggers_rev = ch.triggers_rev + 1 WHERE t.tenant_id = ? AND t.id = ?",
	    "ii", tenant_id, id);
}

kefu_err db_trigger_create(struct kefu_db *db, int64_t tenant_id, const struct trigger_row *t, int64_t *id)
{
	kefu_err e = db_exec(db, NULL, id,
	                     "INSERT INTO visitor_triggers (tenant_id, channel_id, name, enabled, match_json,"
	                     " after_seconds, text, once_per_hours) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	                     "iisisisi", tenant_id, t->channel_id, t->name, (int64_t)t->enabled, t->match,
	                     t->after_seconds, t->text, t->once_per_hours);
	return e != KEFU_OK ? e : triggers_moved(db, tenant_id, t->channel_id);
}

kefu_err db_trigger_update(struct kefu_db *db, int64_t tenant_id, const struct trigger_row *t)
{
	kefu_err e = trigger_moved(db, tenant_id, t->id);
	return e != KEFU_OK ? e
	                    : db_exec(db, NULL, NULL,
	                              "UPDATE visitor_triggers SET name = ?, enabled = ?, match_json = ?, "
	                              "after_seconds = ?, text = ?,"
	                              " once_per_hours = ? WHERE tenant_id = ? AND id = ?",
	                              "sisisiii", t->name, (int64_t)t->enabled, t->match, t->after_seconds, t->text,
	                              t->once_per_hours, tenant_id, t->id);
}

kefu_err db_trigger_delete(struct kefu_db *db, int64_t tenant_id, int64_t id)
{
	uint64_t n = 0;
	kefu_err e = trigger_moved(db, tenant_id, id);
	if (e == KEFU_OK)
		e = db_exec(db, NULL, NULL, "DELETE FROM trigger_due WHERE tenant_id = ? AND trigger_id = ?", "ii",
		            tenant_id, id);
	if (e == KEFU_OK)
		e = db_exec(db, &n, NULL, "DELETE FROM visitor_triggers WHERE tenant_id = ? AND id = ?", "ii",
		            tenant_id, id);
	return e == KEFU_OK && n == 0 ? KEFU_E_NOT_FOUND : e;
}

kefu_err db_trigger_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct trigger_row *out)
{
	return rows_get(db, a, &trigger_spec, out,
	                "SELECT " TRIGGER_COLUMNS " FROM visitor_triggers WHERE tenant_id = ? AND id = ?", tenant_id,
	                id);
}

kefu_err db_trigger_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, bool enabled_only,
                         struct trigger_row **rows, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT " TRIGGER_COLUMNS " FROM visitor_triggers WHERE tenant_id = ? AND channel_id = ?"
	                      " AND (enabled = 1 OR ? = 0) ORDER BY id",
	                      "iii", tenant_id, channel_id, (int64_t)enabled_only);
	return e != KEFU_OK ? e : rows_all(r, a, &trigger_spec, (void **)rows, n);
}

kefu_err db_trigger_due_add(struct kefu_db *db, int64_t tenant_id, int64_t trigger_id, int64_t visitor_id,
                            int64_t pageview_id, int64_t after_s)
{
	return db_exec(db, NULL, NULL,
	               "INSERT INTO trigger_due (tenant_id, trigger_id, visitor_id, pageview_id, due_at)"
	               " VALUES (?, ?, ?, ?, NOW(3) + INTERVAL ? SECOND)",
	               "iiiii", tenant_id, trigger_id, visitor_id, pageview_id, after_s);
}

static const struct row_spec trigger_due_spec =
    ROWS(struct trigger_due, id, tenant_id, trigger_id, visitor_id, pageview_id);

kefu_err db_trigger_due_list(struct kefu_db *db, kefu_arena *a, int limit, struct trigger_due **rows, size_t *n)
{
	/* Cross-tenant on purpose: the sweep serves every tenant; each row is then handled with its tenant. */
	return rows_query(db, a, &trigger_due_spec, (void **)rows, n,
	                  "SELECT id, tenant_id, trigger_id, visitor_id, pageview_id FROM trigger_due"
	                  " WHERE due_at <= NOW(3) ORDER BY due_at LIMIT ?",
	                  "i", (int64_t)limit);
}

kefu_err db_trigger_due_claim(struct kefu_db *db, int64_t tenant_id, int64_t id, bool *claimed)
{
	return db_exec_hit(db, claimed, "DELETE FROM trigger_due WHERE tenant_id = ? AND id = ?", "ii", tenant_id, id);
}

/* ---- reads for the rules ---- */

kefu_err db_agent_live(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id, int64_t user_id,
                       int64_t *live)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "SELECT live FROM agent_load WHERE tenant_id = ? AND rule_id = ? AND user_id = ?",
	             "iii", tenant_id, rule_id, user_id);
	*live = e == KEFU_OK && r->nrows > 0 ? db_i64(r, 0, 0) : 0;
	return e;
}

kefu_err db_visitor_open_conversation(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                                      int64_t *id)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT id FROM conversations WHERE tenant_id = ? AND visitor_id = ?"
	                      " AND status IN ('assigned', 'queued') ORDER BY id DESC LIMIT 1",
	                      "ii", tenant_id, visitor_id);
	*id = e == KEFU_OK && r->nrows > 0 ? db_i64(r, 0, 0) : 0;
	return e;
}

kefu_err db_visitor_agent_had(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t user_id,
                              bool *yes)
{
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "SELECT 1 FROM conversations WHERE tenant_id = ? AND visitor_id = ? AND agent_user_id = ? LIMIT 1",
	             "iii", tenant_id, visitor_id, user_id);
	*yes = e == KEFU_OK && r->nrows > 0;
	return e;
}

kefu_err db_staff_present(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t **ids, bool **admin, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT id, role = 'admin' FROM users WHERE tenant_id = ? AND deleted_at IS NULL"
	                      " AND status IN ('online', 'away') ORDER BY id",
	                      "i", tenant_id);
	if (e != KEFU_OK)
		return e;
	*ids = arena_calloc(a, r->nrows + 1, sizeof **ids);
	*admin = arena_calloc(a, r->nrows + 1, sizeof **admin);
	*n = r->nrows;
	for (size_t i = 0; i < r->nrows; i++) {
		(*ids)[i] = db_i64(r, i, 0);
		(*admin)[i] = db_i64(r, i, 1) != 0;
	}
	return KEFU_OK;
}
