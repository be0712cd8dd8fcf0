/* store-events: SQL for stream_seqs, events and user_events, and for reading streams whose messages are their own
 * events. */
#include "store/store-events.h"

#include <stdlib.h>
#include <string.h>

/* The next number of stream (kind, id), under the stream's row lock until
 * commit. One round trip: LAST_INSERT_ID(expr) hands the new value back
 * through the statement's insert id. */
static kefu_err next_seq(struct kefu_db *db, char kind, int64_t tenant_id, int64_t id, int64_t *seq)
{
	char k[2] = {kind, '\0'};
	return db_exec(db, NULL, seq,
	               "INSERT INTO stream_seqs (kind, stream_id, tenant_id, seq) VALUES (?, ?, ?, LAST_INSERT_ID(1))"
	               " ON DUPLICATE KEY UPDATE seq = LAST_INSERT_ID(seq + 1)",
	               "sii", k, id, tenant_id);
}

static kefu_err event_reserve(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t *seq)
{
	return next_seq(db, 'c', tenant_id, conversation_id, seq);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* An event object as stored in events.body. */
static const char *event_body(json_object *event)
{
	return json_object_to_json_string_ext(event, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* The event at seq (reserved) in the conversation's stream. */
static kefu_err event_insert(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, int64_t seq,
                             json_object *event)
{
	json_object *type = NULL;
	json_object_object_get_ex(event, "type", &type);
	return db_exec(
	    db, NULL, NULL, "INSERT INTO events (tenant_id, conversation_id, seq, type, body) VALUES (?, ?, ?, ?, ?)",
	    "iiiss", tenant_id, conversation_id, seq, type ? json_object_get_string(type) : "event", event_body(event));
}

kefu_err db_streams_claim(struct kefu_db *db, kefu_arena *a, struct stream_claim *claim, size_t n)
{
	/* One round trip for any number of streams: add the counts (rows locked
	 * in the order given) and read the totals back (RETURNING gives the row
	 * as it is after the update). */
	struct db_args *v = db_args_new(a);
	for (size_t i = 0; i < n; i++) {
		char kind[2] = {claim[i].kind, '\0'};
		db_arg_str(v, arena_strdup(a, kind));
		db_arg_i64(v, claim[i].stream_id);
		db_arg_i64(v, claim[i].tenant_id);
		db_arg_i64(v, claim[i].count);
	}
	struct db_result *r;
	kefu_err e = db_query_args(db, a, &r,
	                           db_sql_list(a, "INSERT INTO stream_seqs (kind, stream_id, tenant_id, seq) VALUES ",
	                                       "(?, ?, ?, ?)", ", ", n,
	                                       " ON DUPLICATE KEY UPDATE seq = seq + VALUES(seq)"
	                                       " RETURNING kind, stream_id, seq"),
	                           v);
	if (e != KEFU_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		claim[i].first = 0;
		for (size_t j = 0; j < r->nrows; j++)
			if (db_str(r, j, 0)[0] == claim[i].kind && db_i64(r, j, 1) == claim[i].stream_id)
				claim[i].first = db_i64(r, j, 2) - claim[i].count + 1;
		if (claim[i].first < 1)
			return KEFU_E_INTERNAL; /* the row was just written under our lock: cannot happen */
	}
	return KEFU_OK;
}

kefu_err db_user_events_insert(struct kefu_db *db, kefu_arena *a, const struct user_event_row *rows, size_t n)
{
	struct db_args *v = db_args_new(a);
	for (size_t i = 0; i < n; i++) {
		db_arg_i64(v, rows[i].tenant_id);
		db_arg_i64(v, rows[i].user_id);
		db_arg_i64(v, rows[i].seq);
		db_arg_i64(v, rows[i].conversation_id);
		db_arg_i64(v, rows[i].event_seq);
	}
	return db_exec_late_args(
	    db,
	    db_sql_list(a, "INSERT INTO user_events (tenant_id, user_id, seq, conversation_id, event_seq) VALUES ",
	                "(?, ?, ?, ?, ?)", ", ", n, ""),
	    v);
}

kefu_err db_events_insert(struct kefu_db *db, kefu_arena *a, const struct event_row *rows, size_t n)
{
	if (n == 0)
		return KEFU_OK;
	struct db_args *v = db_args_new(a);
	for (size_t i = 0; i < n; i++) {
		db_arg_i64(v, rows[i].tenant_id);
		db_arg_i64(v, rows[i].conversation_id);
		db_arg_i64(v, rows[i].seq);
		db_arg_str(v, rows[i].type);
		db_arg_str(v, rows[i].body);
	}
	return db_exec_late_args(db,
	                         db_sql_list(a,
	                                     "INSERT INTO events (tenant_id, conversation_id, seq, type, body) VALUES ",
	                                     "(?, ?, ?, ?, ?)", ", ", n, ""),
	                         v);
}

kefu_err db_event_append(struct kefu_db *db, int64_t tenant_id, int64_t conversation_id, json_object *event,
                         const int64_t *user_ids, size_t nusers, int64_t *seq_out)
{
	/* Every recipient: a queue's watchers are a whole group and the admins. */
	kefu_arena *a = arena_new();
	int64_t *users = arena_calloc(a, nusers + 1, sizeof *users);
	size_t n = 0;
	for (size_t i = 0; i < nusers; i++)
		if (user_ids[i] > 0)
			users[n++] = user_ids[i];
	int64_t seq;
	kefu_err e;
	if (n == 0) {
		if ((e = event_reserve(db, tenant_id, conversation_id, &seq)) == KEFU_OK)
			e = event_insert(db, tenant_id, conversation_id, seq, event);
	} else {
		/* The conversation's and the users' numbers in one round trip (the
		 * same lock order: the conversation, then users ascending), then
		 * each table's rows in one statement: inside a decision's rule lock,
		 * round trips are what the next decision waits for. */
		qsort(users, n, sizeof *users, cmp_i64);
		struct stream_claim *cl = arena_calloc(a, n + 1, sizeof *cl);
		size_t nc = 0;
		cl[nc++] = (struct stream_claim){
		    .kind = 'c', .stream_id = conversation_id, .tenant_id = tenant_id, .count = 1};
		for (size_t i = 0; i < n; i++)
			if (i == 0 || users[i] != users[i - 1])
				cl[nc++] = (struct stream_claim){
				    .kind = 'u', .stream_id = users[i], .tenant_id = tenant_id, .count = 1};
		e = db_streams_claim(db, a, cl, nc);
		seq = cl[0].first;
		if (e == KEFU_OK)
			e = event_insert(db, tenant_id, conversation_id, seq, event);
		if (e == KEFU_OK) {
			struct user_event_row *rows = arena_calloc(a, nc, sizeof *rows);
			for (size_t i = 1; i < nc; i++)
				rows[i - 1] = (struct user_event_row){.tenant_id = tenant_id,
				                                      .user_id = cl[i].stream_id,
				                                      .seq = cl[i].first,
				                                      .conversation_id = conversation_id,
				                                      .event_seq = seq};
			e = db_user_events_insert(db, a, rows, nc - 1);
		}
	}
	arena_free(a);
	if (e == KEFU_OK && seq_out != NULL)
		*seq_out = seq;
	return e;
}

/* The entries of a stream read: the cursor in column cursor_col; from column
 * col the conversation seq, the conversation, the stored body (NULL for a
 * message), then MESSAGE_COLUMNS (NULL for an event row). */
static void read_entries(kefu_arena *a, const struct db_result *r, size_t cursor_col, size_t col,
                         struct stream_entry **out, size_t *n)
{
	*out = arena_calloc(a, r->nrows + 1, sizeof **out);
	*n = r->nrows;
	for (size_t i = 0; i < r->nrows; i++) {
		struct stream_entry *x = &(*out)[i];
		x->cursor = db_i64(r, i, cursor_col);
		x->seq = db_i64(r, i, col);
		x->conversation_id = db_i64(r, i, col + 1);
		x->body = db_str(r, i, col + 2);
		x->is_message = !db_null(r, i, col + 3);
		if (x->is_message)
			db_message_read(r, i, col + 3, &x->message);
	}
}

/* Whether stream (kind, id) of the tenant has committed entries after seq
 * after. Most reads are polls that find nothing new: the stream's head, a
 * primary key lookup, says so without planning a read of the entries. */
static kefu_err stream_head(struct kefu_db *db, kefu_arena *a, char kind, int64_t tenant_id, int64_t id, int64_t *head)
{
	char k[2] = {kind, '\0'};
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r, "SELECT seq FROM stream_seqs WHERE kind = ? AND stream_id = ? AND tenant_id = ?", "sii",
	             k, id, tenant_id);
	*head = e == KEFU_OK && r->nrows > 0 ? db_i64(r, 0, 0) : 0;
	return e;
}

static kefu_err stream_has_after(struct kefu_db *db, kefu_arena *a, char kind, int64_t tenant_id, int64_t id,
                                 int64_t after, bool *more)
{
	int64_t head;
	kefu_err e = stream_head(db, a, kind, tenant_id, id, &head);
	*more = e == KEFU_OK && head > after;
	return e;
}

kefu_err db_conversation_stream_head(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                                     int64_t *head)
{
	return stream_head(db, a, 'c', tenant_id, conversation_id, head);
}

static int cmp_seq(const void *x, const void *y)
{
	const struct stream_entry *p = x, *q = y;
	return (p->seq > q->seq) - (p->seq < q->seq);
}

static int cmp_cursor(const void *x, const void *y)
{
	const struct stream_entry *p = x, *q = y;
	return (p->cursor > q->cursor) - (p->cursor < q->cursor);
}

kefu_err db_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id, int64_t after,
                         int limit, struct stream_entry **out, size_t *n)
{
	*n = 0;
	bool more;
	kefu_err e = stream_has_after(db, a, 'c', tenant_id, conversation_id, after, &more);
	if (e != KEFU_OK || !more)
		return e;
	/* The stream's two tables, each read in seq order as far as the limit
	 * can reach, then merged here: a UNION ordered by the server would
	 * build a temporary table for every poll. */
	struct db_result *r;
	e = db_query(db, a, &r,
	             "(SELECT e.seq, e.conversation_id, e.body, " MESSAGE_NULLS " FROM events e"
	             " WHERE e.tenant_id = ? AND e.conversation_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?)"
	             " UNION ALL (SELECT m.seq, m.conversation_id, NULL, " MESSAGE_COLUMNS
	             " FROM messages m" MESSAGE_JOINS
	             " WHERE m.tenant_id = ? AND m.conversation_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?)",
	             "iiiiiiii", tenant_id, conversation_id, after, (int64_t)limit, tenant_id, conversation_id, after,
	             (int64_t)limit);
	if (e != KEFU_OK)
		return e;
	read_entries(a, r, 0, 0, out, n); /* the cursor is the conversation's seq */
	qsort(*out, *n, sizeof **out, cmp_seq);
	if (*n > (size_t)limit)
		*n = (size_t)limit;
	return KEFU_OK;
}

kefu_err db_user_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, int64_t after,
                              int limit, struct stream_entry **out, size_t *n)
{
	*n = 0;
	bool more;
	kefu_err e = stream_has_after(db, a, 'u', tenant_id, user_id, after, &more);
	if (e != KEFU_OK || !more)
		return e;
	/* The stream's two tables (store-events.h), each read in the stream's
	 * order as far as the limit can reach, merged here as db_events_after
	 * does. The messages' side is forced onto its stream key: on a small
	 * table MariaDB would rather scan and sort it. */
	struct db_result *r;
	e = db_query(db, a, &r,
	             "(SELECT u.seq, u.event_seq, u.conversation_id, COALESCE(e.body, u.body), " MESSAGE_COLUMNS
	             " FROM user_events u"
	             " LEFT JOIN events e ON e.tenant_id = u.tenant_id AND e.conversation_id = u.conversation_id"
	             " AND e.seq = u.event_seq"
	             " LEFT JOIN messages m ON m.tenant_id = u.tenant_id AND m.conversation_id = u.conversation_id"
	             " AND m.seq = u.event_seq" MESSAGE_JOINS
	             " WHERE u.tenant_id = ? AND u.user_id = ? AND u.seq > ? ORDER BY u.seq LIMIT ?)"
	             " UNION ALL (SELECT m.stream_user_seq, m.seq, m.conversation_id, NULL, " MESSAGE_COLUMNS
	             " FROM messages m FORCE INDEX (uq_messages_user_stream)" MESSAGE_JOINS
	             " WHERE m.tenant_id = ? AND m.stream_user_id = ? AND m.stream_user_seq > ?"
	             " ORDER BY m.stream_user_seq LIMIT ?)",
	             "iiiiiiii", tenant_id, user_id, after, (int64_t)limit, tenant_id, user_id, after, (int64_t)limit);
	if (e != KEFU_OK)
		return e;
	read_entries(a, r, 0, 1, out, n); /* the cursor is the agent stream's seq */
	qsort(*out, *n, sizeof **out, cmp_cursor);
	if (*n > (size_t)limit)
		*n = (size_t)limit;
	return KEFU_OK;
}

kefu_err db_stream_touches(struct kefu_db *db, kefu_arena *a, const struct stream_heads *after, int limit,
                           struct stream_touch **out, size_t *n)
{
	/* Cross-tenant on purpose: the tailer serves every tenant's waiters and
	 * reads only ids, never content; delivery re-reads with the tenant. */
	struct db_result *r;
	kefu_err e =
	    db_query(db, a, &r,
	             "(SELECT 'c', id, conversation_id, seq, NULL, NULL FROM events WHERE id > ? ORDER BY id LIMIT ?)"
	             " UNION ALL"
	             " (SELECT 'm', id, conversation_id, seq, stream_user_id, stream_user_seq FROM messages"
	             " WHERE id > ? ORDER BY id LIMIT ?)"
	             " UNION ALL"
	             " (SELECT 'u', id, user_id, seq, NULL, NULL FROM user_events WHERE id > ? ORDER BY id LIMIT ?)"
	             " UNION ALL"
	             " (SELECT 'v', id, visitor_id, seq, NULL, NULL FROM visitor_events WHERE id > ? ORDER BY id"
	             " LIMIT ?)",
	             "iiiiiiii", after->event, (int64_t)limit, after->message, (int64_t)limit, after->user_event,
	             (int64_t)limit, after->visitor_event, (int64_t)limit);
	if (e != KEFU_OK)
		return e;
	*out = arena_calloc(a, r->nrows + 1, sizeof **out);
	for (size_t i = 0; i < r->nrows; i++)
		(*out)[i] = (struct stream_touch){db_str(r, i, 0)[0],
		                                  db_i64(r, i, 1),
		                                  db_i64(r, i, 2),
		                                  db_i64(r, i, 3),
		                                  db_null(r, i, 4) ? 0 : db_i64(r, i, 4),
		                                  db_null(r, i, 5) ? 0 : db_i64(r, i, 5)};
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err db_stream_heads(struct kefu_db *db, kefu_arena *a, struct stream_heads *out)
{
	struct db_result *r;
	kefu_err e = db_query(
	    db, a, &r,
	    "SELECT (SELECT COALESCE(MAX(id), 0) FROM events), (SELECT COALESCE(MAX(id), 0) FROM messages),"
	    " (SELECT COALESCE(MAX(id), 0) FROM user_events), (SELECT COALESCE(MAX(id), 0) FROM visitor_events)",
	    "");
	if (e != KEFU_OK)
		return e;
	*out = (struct stream_heads){.event = db_i64(r, 0, 0),
	                             .message = db_i64(r, 0, 1),
	                             .user_event = db_i64(r, 0, 2),
	                             .visitor_event = db_i64(r, 0, 3)};
	return KEFU_OK;
}

kefu_err db_id_step(struct kefu_db *db, kefu_arena *a, int64_t *step)
{
	/* The global value: wsrep_auto_increment_control changes it when nodes
	 * join or leave; a session's copy is taken at connect. */
	return db_query_i64(db, a, step, "SELECT @@global.auto_increment_increment", "");
}

kefu_err db_visitor_event_append(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, json_object *event,
                                 int64_t *seq_out)
{
	int64_t seq;
	kefu_err e = next_seq(db, 'v', tenant_id, visitor_id, &seq);
	if (e != KEFU_OK)
		return e;
	json_object *type = NULL;
	json_object_object_get_ex(event, "type", &type);
	e = db_exec(db, NULL, NULL,
	            "INSERT INTO visitor_events (tenant_id, visitor_id, seq, type, body) VALUES (?, ?, ?, ?, ?)",
	            "iiiss", tenant_id, visitor_id, seq, type ? json_object_get_string(type) : "event",
	            event_body(event));
	if (e == KEFU_OK && seq_out != NULL)
		*seq_out = seq;
	return e;
}

kefu_err db_visitor_events_after(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                                 int64_t after, int limit, struct stream_entry **out, size_t *n)
{
	*n = 0;
	bool more;
	kefu_err e = stream_has_after(db, a, 'v', tenant_id, visitor_id, after, &more);
	if (e != KEFU_OK || !more)
		return e;
	struct db_result *r;
	e = db_query(db, a, &r,
	             "SELECT seq, body FROM visitor_events WHERE tenant_id = ? AND visitor_id = ? AND seq > ?"
	             " ORDER BY seq LIMIT ?",
	             "iiii", tenant_id, visitor_id, after, (int64_t)limit);
	if (e != KEFU_OK)
		return e;
	*out = arena_calloc(a, r->nrows + 1, sizeof **out);
	*n = r->nrows;
	for (size_t i = 0; i < r->nrows; i++)
		(*out)[i] =
		    (struct stream_entry){.cursor = db_i64(r, i, 0), .seq = db_i64(r, i, 0), .body = db_str(r, i, 1)};
	return KEFU_OK;
}

kefu_err db_visitor_events_trim(struct kefu_db *db, int64_t hours, int limit)
{
	/* Cross-tenant on purpose: a housekeeping trim of transient rows by age only. */
	return db_exec(
	    db, NULL, NULL,
	    "DELETE FROM visitor_events WHERE created_at < NOW(3) - INTERVAL ? HOUR ORDER BY created_at LIMIT ?", "ii",
	    hours, (int64_t)limit);
}

static int cmp_claim(const void *x, const void *y)
{
	const struct stream_claim *p = x, *q = y;
	return (p->stream_id > q->stream_id) - (p->stream_id < q->stream_id);
}

kefu_err db_user_notices_append(struct kefu_db *db, kefu_arena *a, const struct user_notice *notices, size_t n)
{
	size_t rows = 0;
	for (size_t i = 0; i < n; i++)
		rows += notices[i].nusers;
	if (rows == 0)
		return KEFU_OK;
	/* one claim per user stream with the count of its notices, ascending (user ids are unique across tenants) */
	struct stream_claim *claim = arena_calloc(a, rows, sizeof *claim);
	size_t nc = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < notices[i].nusers; k++)
			claim[nc++] = (struct stream_claim){.kind = 'u',
			                                    .stream_id = notices[i].users[k],
			                                    .tenant_id = notices[i].tenant_id,
			                                    .count = 1};
	qsort(claim, nc, sizeof *claim, cmp_claim);
	size_t m = 0;
	for (size_t i = 0; i < nc; i++) {
		if (m > 0 && claim[m - 1].stream_id == claim[i].stream_id)
			claim[m - 1].count++;
		else
			claim[m++] = claim[i];
	}
	kefu_err e = db_streams_claim(db, a, claim, m);
	if (e != KEFU_OK)
		return e;
	struct db_args *v = db_args_new(a);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < notices[i].nusers; k++) {
			struct stream_claim key = {.stream_id = notices[i].users[k]};
			struct stream_claim *c = bsearch(&key, claim, m, sizeof *claim, cmp_claim);
			db_arg_i64(v, notices[i].tenant_id);
			db_arg_i64(v, c->stream_id);
			db_arg_i64(v, c->first++); /* the batch's notices in order */
			db_arg_str(v, notices[i].body);
		}
	return db_exec_args(
	    db, NULL, NULL,
	    db_sql_list(
	        a,
	        "INSERT INTO user_events (tenant_id, user_id, seq, conversation_id, event_seq, body, created_at)"
	        " VALUES ",
	        "(?, ?, ?, 0, 0, ?, NOW(3))", ", ", rows, ""),
	    v);
}

kefu_err db_user_notices_trim(struct kefu_db *db, int64_t minutes, int limit)
{
	/* Cross-tenant on purpose: a housekeeping trim of transient rows by age, on ix_user_events_notices. */
	return db_exec(db, NULL, NULL,
	               "DELETE FROM user_events WHERE conversation_id = 0 AND created_at < NOW(3) - INTERVAL ? MINUTE"
	               " ORDER BY created_at LIMIT ?",
	               "ii", minutes, (int64_t)limit);
}
