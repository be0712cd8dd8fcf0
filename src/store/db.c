/* db: MariaDB Connector/C behind a small typed interface; reconnects, caches statements, retries transactions. */
#include "store/db.h"

#include <assert.h>
#include <errno.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"

#define MAX_PARAMS 48
#define STMT_SLOTS 512 /* power of two */
#define TX_TRIES   8

struct stmt_slot {
	char *sql; /* owned copy; NULL = empty */
	MYSQL_STMT *st;
};

struct kefu_db {
	const struct kefu_conf *conf;
	MYSQL *my; /* NULL while disconnected */
	bool in_tx;
	bool implicit_tx;    /* autocommit off: a transaction begins with its first statement */
	bool tx_fresh;       /* in a transaction that has run no statement yet */
	MYSQL_STMT *pending; /* a CALL whose own status is still to be read (settle) */
	/* Writes left for the next round trip (db_exec_late): their text, with
	 * their arguments written in, ';' after each; how many. */
	char *late;
	size_t late_len, late_cap, nlate;
	size_t nstmts;
	struct stmt_slot stmts[STMT_SLOTS];
};

static atomic_uint_fast64_t tx_retries;

static void settle(struct kefu_db *db);

uint64_t db_tx_retries(void)
{
	return atomic_load(&tx_retries);
}

struct kefu_db *db_new(const struct kefu_conf *conf)
{
	struct kefu_db *db = calloc(1, sizeof *db);
	if (db == NULL)
		abort();
	db->conf = conf;
	return db;
}

void db_set_implicit_tx(struct kefu_db *db)
{
	db->implicit_tx = true; /* before its first connection, which is made with autocommit off */
}

const struct kefu_conf *db_conf(const struct kefu_db *db)
{
	return db->conf;
}

static void drop_statements(struct kefu_db *db)
{
	for (size_t i = 0; i < STMT_SLOTS; i++) {
		if (db->stmts[i].sql == NULL)
			continue;
		if (db->stmts[i].st != NULL)
			mysql_stmt_close(db->stmts[i].st);
		free(db->stmts[i].sql);
		db->stmts[i].sql = NULL;
		db->stmts[i].st = NULL;
	}
	db->nstmts = 0;
}

static void disconnect(struct kefu_db *db)
{
	db->pending = NULL;           /* closing discards it */
	db->late_len = db->nlate = 0; /* the transaction they were part of is over */
	drop_statements(db);
	if (db->my != NULL)
		mysql_close(db->my);
	db->my = NULL;
}

void db_free(struct kefu_db *db)
{
	if (db == NULL)
		return;
	disconnect(db);
	free(db->late);
	free(db);
	mysql_thread_end();
}

static bool connection_lost(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == CR_CONNECTION_ERROR ||
	       e == CR_CONN_HOST_ERROR || e == CR_SERVER_LOST_EXTENDED || e == ER_CONNECTION_KILLED ||
	       e == CR_COMMANDS_OUT_OF_SYNC || e == ER_SERVER_SHUTDOWN;
}

static kefu_err map_error(struct kefu_db *db, unsigned e, const char *msg, const char *sql)
{
	if (e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT)
		return KEFU_E_RETRY;
	if (e == ER_DUP_ENTRY)
		return KEFU_E_CONFLICT;
	/* A Galera node outside the primary component (partitioned, or joining)
	 * refuses every query with 1047 "WSREP has not yet prepared node for
	 * application use": the database is unavailable through this
	 * connection. Dropping it makes the next try connect through the router,
	 * which by then sends it to a synced node. */
	bool lost = connection_lost(e) || e == CR_CONN_HOST_ERROR || e == ER_UNKNOWN_COM_ERROR;
	/* A node that loses the primary component in the middle of a
	 * transaction fails the statement or COMMIT with 1180 "Error while
	 * appending streaming replication fragment (provider status: Not
	 * connected to Primary Component)": nothing committed, the same
	 * unavailability as 1047, not a fault of the request. */
	if (e == ER_ERROR_DURING_COMMIT && msg != NULL && strstr(msg, "Primary Component") != NULL)
		lost = true;
	if (lost) {
		log_warn("db", "connection lost (%u %s)", e, msg);
		disconnect(db);
		return KEFU_E_UNAVAILABLE;
	}
	log_error("db", "error %u: %s; in: %.200s", e, msg, sql ? sql : "");
	return KEFU_E_INTERNAL;
}

static kefu_err connect_db(struct kefu_db *db)
{
	if (db->my != NULL)
		return KEFU_OK;
	const struct kefu_conf *c = db->conf;
	MYSQL *my = mysql_init(NULL);
	if (my == NULL)
		abort();
	unsigned timeout = 3;
	mysql_optionsv(my, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_optionsv(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* Transaction isolation and time zone are per session: every connection
	 * gets the same so UTC times and locking behave the same everywhere. */
	mysql_optionsv(my, MYSQL_INIT_COMMAND,
	               db->implicit_tx ? "SET time_zone = '+00:00', SESSION tx_isolation = 'READ-COMMITTED', "
	                                 "SESSION innodb_lock_wait_timeout = 5, SESSION autocommit = 0"
	                               : "SET time_zone = '+00:00', SESSION tx_isolation = 'READ-COMMITTED', "
	                                 "SESSION innodb_lock_wait_timeout = 5");
	const char *host = c->db_host[0] ? c->db_host : NULL;
	const char *sock = c->db_socket[0] ? c->db_socket : NULL;
	if (mysql_real_connect(my, host, c->db_user, c->db_password[0] ? c->db_password : NULL, c->db_name,
	                       (unsigned)c->db_port, sock, CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS) == NULL) {
		/* Every thread retries on every request while the database is away:
		 * one line per process every few seconds says it all. */
		static atomic_llong last_logged;
		long long now = (long long)time(NULL), prev = atomic_load(&last_logged);
		if (now - prev >= 5 && atomic_compare_exchange_strong(&last_logged, &prev, now))
			log_warn("db", "connect failed: %s", mysql_error(my));
		mysql_close(my);
		return KEFU_E_UNAVAILABLE;
	}
	db->my = my;
	return KEFU_OK;
}

kefu_err db_ping(struct kefu_db *db)
{
	kefu_err e = connect_db(db);
	if (e != KEFU_OK)
		return e;
	settle(db);
	if (mysql_ping(db->my) != 0) {
		disconnect(db);
		return connect_db(db);
	}
	return KEFU_OK;
}

static uint32_t hash_sql(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The cached statement for sql, preparing it on first use. */
static kefu_err statement(struct kefu_db *db, const char *sql, MYSQL_STMT **out)
{
	uint32_t h = hash_sql(sql);
	for (size_t probe = 0; probe < STMT_SLOTS; probe++) {
		struct stmt_slot *slot = &db->stmts[(h + probe) & (STMT_SLOTS - 1)];
		if (slot->sql != NULL && strcmp(slot->sql, sql) == 0) {
			*out = slot->st;
			return KEFU_OK;
		}
		if (slot->sql == NULL) {
			if (db->nstmts >= STMT_SLOTS * 3 / 4) {
				drop_statements(db); /* dynamic SQL filled the cache: start over */
				return statement(db, sql, out);
			}
			MYSQL_STMT *st = mysql_stmt_init(db->my);
			if (st == NULL)
				abort();
			if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
				unsigned e = mysql_stmt_errno(st);
				if (e == ER_MAX_PREPARED_STMT_COUNT_REACHED && db->nstmts > 0) {
					/* The server's statements are all taken (its
					 * max_prepared_stmt_count is for every connection):
					 * give back this connection's and try once more. */
					mysql_stmt_close(st);
					log_warn(
					    "db",
					    "max_prepared_stmt_count reached: this connection's %zu statements dropped",
					    db->nstmts);
					drop_statements(db);
					return statement(db, sql, out);
				}
				kefu_err err = map_error(db, e, mysql_stmt_error(st), sql);
				mysql_stmt_close(st);
				return err;
			}
			slot->sql = strdup(sql);
			if (slot->sql == NULL)
				abort();
			slot->st = st;
			db->nstmts++;
			*out = st;
			return KEFU_OK;
		}
	}
	drop_statements(db);
	return statement(db, sql, out);
}

/* One bound value, whichever interface it came through. MYSQL_BIND points
 * into it, so it stays put until the statement has run. */
struct db_arg {
	char type; /* 'i' int64, 's' string, 'b' blob, 'd' double */
	long long i;
	double d;
	const void *p;
	unsigned long len;
	my_bool null;
};

struct db_args {
	kefu_arena *a;
	struct db_arg *v;
	size_t n, cap;
};

/* db_query's type letters and varargs, decoded into out[0..*n). More than
 * MAX_PARAMS letters is a caller's bug the compiler cannot see: refused with
 * KEFU_E_INTERNAL and a log line, before anything is written past out. */
static kefu_err decode_args(struct db_arg *out, size_t *n, const char *types, va_list ap)
{
	size_t len = strlen(types);
	if (len > MAX_PARAMS) {
		log_error("db", "%zu parameters, at most %d: %.60s", len, MAX_PARAMS, types);
		return KEFU_E_INTERNAL;
	}
	*n = 0;
	for (const char *t = types; *t; t++) {
		struct db_arg *v = &out[(*n)++];
		*v = (struct db_arg){.type = *t};
		switch (*t) {
		case 'i': v->i = va_arg(ap, int64_t); break;
		case 'I': {
			const int64_t *x = va_arg(ap, const int64_t *);
			v->type = 'i';
			v->null = x == NULL;
			v->i = x == NULL ? 0 : *x;
			break;
		}
		case 'n':
			v->type = 'i';
			v->i = va_arg(ap, int64_t);
			v->null = v->i <= 0;
			break;
		case 'd': v->d = va_arg(ap, double); break;
		case 's':
			v->p = va_arg(ap, const char *);
			v->null = v->p == NULL;
			v->len = v->p == NULL ? 0 : (unsigned long)strlen(v->p);
			break;
		case 'b':
			v->p = va_arg(ap, const void *);
			v->len = (unsigned long)va_arg(ap, size_t);
			v->null = v->p == NULL;
			break;
		default: assert(!"unknown db parameter type"); abort();
		}
	}
	return KEFU_OK;
}

static void bind_args(MYSQL_BIND *bind, struct db_arg *args, size_t n)
{
	memset(bind, 0, n * sizeof *bind);
	for (size_t i = 0; i < n; i++) {
		MYSQL_BIND *b = &bind[i];
		struct db_arg *v = &args[i];
		b->is_null = &v->null;
		switch (v->type) {
		case 'i':
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &v->i;
			break;
		case 'd':
			b->buffer_type = MYSQL_TYPE_DOUBLE;
			b->buffer = &v->d;
			break;
		default: /* 's', 'b' */
			b->buffer_type = v->type == 's' ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			b->buffer = (void *)v->p;
			b->buffer_length = v->len;
			b->length = &v->len;
		}
	}
}

struct db_args *db_args_new(kefu_arena *a)
{
	struct db_args *v = arena_calloc(a, 1, sizeof *v);
	v->a = a;
	return v;
}

static struct db_arg *push(struct db_args *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		struct db_arg *grown = arena_calloc(v->a, cap, sizeof *grown);
		if (v->n > 0)
			memcpy(grown, v->v, v->n * sizeof *grown);
		v->v = grown;
		v->cap = cap;
	}
	struct db_arg *x = &v->v[v->n++];
	*x = (struct db_arg){0};
	return x;
}

void db_arg_i64(struct db_args *v, int64_t x)
{
	struct db_arg *a = push(v);
	a->type = 'i';
	a->i = x;
}

void db_arg_id(struct db_args *v, int64_t x)
{
	struct db_arg *a = push(v);
	a->type = 'i';
	a->null = x <= 0;
	a->i = x;
}

void db_arg_str(struct db_args *v, const char *s)
{
	struct db_arg *a = push(v);
	a->type = 's';
	a->null = s == NULL;
	a->p = s;
	a->len = s == NULL ? 0 : (unsigned long)strlen(s);
}

const char *db_sql_list(kefu_arena *a, const char *head, const char *item, const char *sep, size_t n, const char *tail)
{
	assert(n > 0);
	size_t hl = strlen(head), rl = strlen(item), sl = strlen(sep), tl = strlen(tail);
	char *sql = arena_alloc(a, hl + n * (rl + sl) + tl + 1), *p = sql;
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			memcpy(p, sep, sl);
			p += sl;
		}
		memcpy(p, item, rl);
		p += rl;
	}
	memcpy(p, tail, tl + 1);
	return sql;
}

const char *db_ids_json(kefu_arena *a, const int64_t *ids, size_t n)
{
	char *s = arena_alloc(a, n * 21 + 3), *p = s;
	*p++ = '[';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%lld", i ? "," : "", (long long)ids[i]);
	*p++ = ']';
	*p = '\0';
	return s;
}

kefu_err db_query_ids(struct kefu_db *db, kefu_arena *a, struct db_result **res, size_t **at, const char *sql,
                      int64_t tenant_id, const int64_t *ids, size_t n)
{
	kefu_err e = db_query(db, a, res, sql, "si", db_ids_json(a, ids, n), tenant_id);
	if (e != KEFU_OK)
		return e;
	*at = arena_alloc(a, n * sizeof **at);
	for (size_t i = 0; i < n; i++) {
		(*at)[i] = DB_NO_ROW;
		for (size_t k = 0; k < (*res)->nrows && (*at)[i] == DB_NO_ROW; k++)
			if (db_i64(*res, k, 0) == ids[i])
				(*at)[i] = k;
	}
	return KEFU_OK;
}

const char *db_pairs_json(kefu_arena *a, const int64_t (*pairs)[2], size_t n)
{
	char *s = arena_alloc(a, n * 44 + 3), *p = s;
	*p++ = '[';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s[%lld,%lld]", i ? "," : "", (long long)pairs[i][0], (long long)pairs[i][1]);
	*p++ = ']';
	*p = '\0';
	return s;
}

/* The buffers mysql_stmt_bind_result fills with each row, one per column. */
struct row_buf {
	MYSQL_BIND *bind;
	int64_t *vals;       /* integer reads */
	unsigned long *lens; /* text reads: each cell's whole length */
	char *text;          /* text reads: TEXT_CELL bytes a column, where the fetch writes each cell */
	my_bool *nulls;
	MYSQL_TIME *times;           /* text reads of a DATE, DATETIME or TIMESTAMP column (stamp_decimals >= 0) */
	signed char *stamp_decimals; /* per column: -1 not a stamp, else its fraction's digits (STAMP_DATE: a date) */
};

/* A text read's cells up to this length (less one, for the NUL) come with the row's fetch; a longer one is
 * fetched again on its own, whole. Numbers, times, ids and token digests fit: most reads fetch each row once. */
#define TEXT_CELL  96
#define STAMP_DATE 7 /* stamp_decimals of a DATE column: no time of day */

size_t db_stamp_text(unsigned year, unsigned month, unsigned day, unsigned hour, unsigned minute, unsigned second,
                     unsigned long micro, int decimals, char out[DB_STAMP_MAX])
{
	unsigned digits[] = {year / 1000 % 10, year / 100 % 10, year / 10 % 10, year % 10};
	char *p = out;
	for (int i = 0; i < 4; i++)
		*p++ = (char)('0' + digits[i]);
	*p++ = '-';
	*p++ = (char)('0' + month / 10 % 10);
	*p++ = (char)('0' + month % 10);
	*p++ = '-';
	*p++ = (char)('0' + day / 10 % 10);
	*p++ = (char)('0' + day % 10);
	if (decimals != STAMP_DATE) {
		unsigned hms[] = {hour, minute, second};
		for (int i = 0; i < 3; i++) {
			*p++ = i == 0 ? ' ' : ':';
			*p++ = (char)('0' + hms[i] / 10 % 10);
			*p++ = (char)('0' + hms[i] % 10);
		}
		if (decimals > 0 && decimals <= 6) {
			*p++ = '.';
			unsigned long scale = 100000;
			for (int i = 0; i < decimals; i++, scale /= 10)
				*p++ = (char)('0' + micro / scale % 10);
		}
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* Keeps column c of the fetched row as cell at of r; false when it could not be read (the statement's error says
 * why). */
typedef bool (*store_cell)(MYSQL_STMT *st, kefu_arena *a, struct db_result *r, size_t at, unsigned c,
                           const struct row_buf *b);

/* Every column as a 64-bit integer, converted by the client library: no text and no allocation per cell (for
 * reads of many rows of numbers, db_query_ints_args). MYSQL_DATA_TRUNCATED cannot happen for an integer of 64
 * bits; a fraction would be the SQL's bug. */
static bool store_int(MYSQL_STMT *st, kefu_arena *a, struct db_result *r, size_t at, unsigned c,
                      const struct row_buf *b)
{
	(void)st;
	(void)a;
	r->ints[at] = b->nulls[c] ? 0 : b->vals[c];
	r->nulls[at] = b->nulls[c] != 0;
	return true;
}

/* Every column as text in the arena, NUL-terminated, its length beside it; NULL stays a NULL pointer. */
static bool store_text(MYSQL_STMT *st, kefu_arena *a, struct db_result *r, size_t at, unsigned c,
                       const struct row_buf *b)
{
	if (b->nulls[c])
		return true;
	if (b->stamp_decimals != NULL && b->stamp_decimals[c] >= 0) {
		const MYSQL_TIME *t = &b->times[c];
		char *cell = arena_alloc(a, DB_STAMP_MAX);
		r->lens[at] = db_stamp_text(t->year, t->month, t->day, t->hour, t->minute, t->second, t->second_part,
		                            b->stamp_decimals[c], cell);
		r->cells[at] = cell;
		return true;
	}
	char *cell = arena_alloc(a, b->lens[c] + 1);
	if (b->lens[c] < TEXT_CELL)
		memcpy(cell, b->text + (size_t)c * TEXT_CELL, b->lens[c]);
	else {
		MYSQL_BIND one = {0};
		unsigned long got = 0;
		one.buffer_type = MYSQL_TYPE_STRING;
		one.buffer = cell;
		one.buffer_length = b->lens[c] + 1;
		one.length = &got;
		if (mysql_stmt_fetch_column(st, &one, c, 0) != 0)
			return false;
	}
	cell[b->lens[c]] = '\0';
	r->cells[at] = cell;
	r->lens[at] = b->lens[c];
	return true;
}

static kefu_err fetch_all(struct kefu_db *db, MYSQL_STMT *st, kefu_arena *a, struct db_result **out, const char *sql,
                          bool ints)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	struct db_result *r = arena_calloc(a, 1, sizeof *r);
	*out = r;
	if (meta == NULL)
		return KEFU_OK;
	r->ncols = mysql_num_fields(meta);
	struct row_buf b = {.bind = arena_calloc(a, r->ncols, sizeof *b.bind),
	                    .nulls = arena_calloc(a, r->ncols, sizeof *b.nulls)};
	/*
	 * A date or time stamp read as text is converted by the client library
	 * with two sprintf calls a cell, 3,400 instructions, much of a visitor
	 * poll's authentication (its visitor's created_at and last_seen_at).
	 * Such a column is read into a MYSQL_TIME instead and written by hand,
	 * as the library writes it (db_stamp_text).
	 */
	if (!ints) {
		const MYSQL_FIELD *f = mysql_fetch_fields(meta);
		for (size_t c = 0; c < r->ncols; c++) {
			enum enum_field_types t = f[c].type;
			if (t != MYSQL_TYPE_DATE && t != MYSQL_TYPE_DATETIME && t != MYSQL_TYPE_TIMESTAMP)
				continue;
			if (b.stamp_decimals == NULL) {
				b.stamp_decimals = arena_alloc(a, r->ncols);
				memset(b.stamp_decimals, -1, r->ncols);
				b.times = arena_calloc(a, r->ncols, sizeof *b.times);
			}
			b.stamp_decimals[c] = t == MYSQL_TYPE_DATE ? STAMP_DATE
			                      : f[c].decimals <= 6 ? (signed char)f[c].decimals
			                                           : 0;
		}
	}
	mysql_free_result(meta);
	if (mysql_stmt_store_result(st) != 0)
		return map_error(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
	r->nrows = (size_t)mysql_stmt_num_rows(st);
	if (ints) {
		r->ints = arena_calloc(a, r->nrows * r->ncols + 1, sizeof *r->ints);
		r->nulls = arena_calloc(a, r->nrows * r->ncols + 1, sizeof *r->nulls);
		b.vals = arena_calloc(a, r->ncols, sizeof *b.vals);
	} else {
		r->cells = arena_calloc(a, r->nrows * r->ncols + 1, sizeof *r->cells);
		r->lens = arena_calloc(a, r->nrows * r->ncols + 1, sizeof *r->lens);
		b.lens = arena_calloc(a, r->ncols, sizeof *b.lens);
		b.text = arena_alloc(a, r->ncols * TEXT_CELL);
	}
	for (size_t c = 0; c < r->ncols; c++) {
		b.bind[c].buffer_type = ints ? MYSQL_TYPE_LONGLONG : MYSQL_TYPE_STRING;
		if (ints)
			b.bind[c].buffer = &b.vals[c];
		else if (b.stamp_decimals != NULL && b.stamp_decimals[c] >= 0) {
			b.bind[c].buffer_type = MYSQL_TYPE_DATETIME;
			b.bind[c].buffer = &b.times[c];
			b.bind[c].buffer_length = sizeof b.times[c];
		} else {
			/* The fetch converts each cell into its column's buffer as mysql_stmt_fetch_column
			 * would (the same conversion: a number's digits), once. */
			b.bind[c].buffer = b.text + c * TEXT_CELL;
			b.bind[c].buffer_length = TEXT_CELL;
			b.bind[c].length = &b.lens[c];
		}
		b.bind[c].is_null = &b.nulls[c];
	}
	store_cell store = ints ? store_int : store_text;
	kefu_err err = KEFU_OK;
	if (mysql_stmt_bind_result(st, b.bind) != 0) {
		err = map_error(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		goto done;
	}
	for (size_t row = 0; row < r->nrows; row++) {
		int rc = mysql_stmt_fetch(st);
		if (rc == 1) {
			err = map_error(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
			goto done;
		}
		if (rc == MYSQL_NO_DATA) {
			r->nrows = row;
			break;
		}
		for (size_t c = 0; c < r->ncols; c++) {
			if (!store(st, a, r, row * r->ncols + c, (unsigned)c, &b)) {
				err = map_error(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
				goto done;
			}
		}
	}
done:
	mysql_stmt_free_result(st);
	return err;
}

/* A CALL answers its procedure's result and then a status of its own: read
 * up to it, or the statement could not run again ("commands out of sync").
 * Any other statement has no more results, and this costs nothing. */
static kefu_err end_results(struct kefu_db *db, MYSQL_STMT *st, const char *sql)
{
	while (mysql_stmt_more_results(st)) {
		int rc = mysql_stmt_next_result(st);
		if (rc > 0)
			return map_error(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		if (rc < 0)
			break;
		mysql_stmt_free_result(st);
	}
	return KEFU_OK;
}

/*
 * A CALL's status follows its procedure's last result in a packet of its
 * own, which the server sends once the procedure has ended: read at once,
 * it was often a second wait and wake-up of the thread (the result parsed
 * before the status arrived: at 20,000 browsing visitors, perf counted half
 * as many samples of a page view's thread asleep there as in its call). It is
 * read before the connection's next command instead, when it has arrived.
 * Our procedures raise their errors before their one result (the result is
 * their last statement), so the status says nothing the caller needs; a
 * failure there is logged.
 */
static void settle(struct kefu_db *db)
{
	MYSQL_STMT *st = db->pending;
	if (st == NULL)
		return;
	db->pending = NULL;
	if (db->my != NULL && end_results(db, st, "CALL (its status)") != KEFU_OK)
		log_warn("db", "a call's status read after it: an error");
}

static kefu_err run_bound(struct kefu_db *db, kefu_arena *a, struct db_result **res, bool ints, uint64_t *affected,
                          int64_t *insert_id, const char *sql, MYSQL_BIND *bind, size_t nargs)
{
	settle(db);
	for (int attempt = 0;; attempt++) {
		/* A transaction whose connection died is over: the server rolled it
		 * back, and going on over a new connection would commit only the
		 * rest. db_tx ends it. */
		if (db->in_tx && db->my == NULL && !db->tx_fresh)
			return KEFU_E_UNAVAILABLE;
		kefu_err err = connect_db(db);
		if (err != KEFU_OK)
			return err;
		MYSQL_STMT *st = NULL;
		err = statement(db, sql, &st);
		if (err == KEFU_OK) {
			if (mysql_stmt_param_count(st) != nargs) {
				log_error("db", "statement wants %lu parameters, got %zu: %.200s",
				          mysql_stmt_param_count(st), nargs, sql);
				abort(); /* a programming error, not a runtime condition */
			}
			if ((nargs > 0 && mysql_stmt_bind_param(st, bind) != 0) || mysql_stmt_execute(st) != 0)
				err = map_error(db, mysql_stmt_errno(st), mysql_stmt_error(st), sql);
		}
		/* Reconnect and re-prepare once: outside a transaction, or before
		 * an implicit one's first statement, nothing was done. */
		if (err == KEFU_E_UNAVAILABLE && (!db->in_tx || db->tx_fresh) && attempt == 0)
			continue;
		if (err != KEFU_OK)
			return err;
		db->tx_fresh = false;
		if (affected != NULL)
			*affected = (uint64_t)mysql_stmt_affected_rows(st);
		if (insert_id != NULL)
			*insert_id = (int64_t)mysql_stmt_insert_id(st);
		if (res != NULL)
			err = fetch_all(db, st, a, res, sql, ints);
		else
			mysql_stmt_free_result(st);
		if (err == KEFU_OK && strncmp(sql, "CALL ", 5) == 0 && mysql_stmt_more_results(st)) {
			db->pending = st;
			return KEFU_OK;
		}
		return err == KEFU_OK ? end_results(db, st, sql) : err;
	}
}

/*
 * Late writes (db_exec_late): inside the rule's lock every round trip is
 * time that every other decision under the rule waits, and a write whose
 * only answer is "done" need not have one of its own. Its text, with its
 * arguments written in (escaped by the connection, as the server would read
 * them bound), waits here and goes with the connection's next statement in
 * one multi-statement query: the next statement of the transaction, or its
 * COMMIT. The server runs them in order and stops at the first error, so a
 * late write that fails fails the statement that carried it (and a COMMIT
 * after it never runs); its error is the transaction's, as if it had been
 * its own round trip.
 */
static void late_room(struct kefu_db *db, size_t more)
{
	if (db->late_len + more + 1 <= db->late_cap)
		return;
	size_t cap = db->late_cap ? db->late_cap : 4096;
	while (cap < db->late_len + more + 1)
		cap *= 2;
	char *grown = realloc(db->late, cap);
	if (grown == NULL)
		abort();
	db->late = grown;
	db->late_cap = cap;
}

static void late_put(struct kefu_db *db, const char *s, size_t n)
{
	late_room(db, n);
	memcpy(db->late + db->late_len, s, n);
	db->late_len += n;
	db->late[db->late_len] = '\0';
}

/* One argument as SQL text: what the server reads is what it would have bound. */
static void late_arg(struct kefu_db *db, const struct db_arg *v)
{
	char num[40];
	if (v->null) {
		late_put(db, "NULL", 4);
		return;
	}
	switch (v->type) {
	case 'i': late_put(db, num, (size_t)snprintf(num, sizeof num, "%lld", v->i)); return;
	case 'd': late_put(db, num, (size_t)snprintf(num, sizeof num, "%.17g", v->d)); return;
	case 's':
		late_room(db, 2 * (size_t)v->len + 2);
		db->late[db->late_len++] = '\'';
		db->late_len += mysql_real_escape_string(db->my, db->late + db->late_len, v->p, v->len);
		db->late[db->late_len++] = '\'';
		db->late[db->late_len] = '\0';
		return;
	default: { /* 'b': bytes as a hexadecimal literal */
		static const char hex[] = "0123456789abcdef";
		const unsigned char *b = v->p;
		late_put(db, "X'", 2);
		late_room(db, 2 * (size_t)v->len + 1);
		for (unsigned long i = 0; i < v->len; i++) {
			db->late[db->late_len++] = hex[b[i] >> 4];
			db->late[db->late_len++] = hex[b[i] & 15];
		}
		late_put(db, "'", 1);
	}
	}
}

/* The '?' of sql outside quotes, as the server's parser finds them; with
 * write, sql is put into the late text with each one's argument in its place. */
static size_t marks(struct kefu_db *db, const char *sql, const struct db_arg *args, bool write)
{
	size_t n = 0;
	char quote = 0;
	for (const char *c = sql; *c; c++) {
		if (quote != 0 && *c == '\\' && c[1] != '\0') {
			if (write)
				late_put(db, c, 2);
			c++;
			continue;
		}
		bool mark = quote == 0 && *c == '?';
		if (!mark && *c == quote)
			quote = 0;
		else if (!mark && quote == 0 && (*c == '\'' || *c == '"' || *c == '`'))
			quote = *c;
		if (write && mark)
			late_arg(db, &args[n]);
		else if (write)
			late_put(db, c, 1);
		n += mark;
	}
	return n;
}

/* sql with each '?' replaced by its argument, and ';'. */
static void late_statement(struct kefu_db *db, const char *sql, const struct db_arg *args, size_t nargs)
{
	if (marks(db, sql, args, false) != nargs) {
		log_error("db", "statement wants other than %zu parameters: %.200s", nargs, sql);
		abort(); /* a programming error, as in run_bound */
	}
	(void)marks(db, sql, args, true);
	late_put(db, ";", 1);
	db->nlate++;
}

/* The result of a text query as db_query's (every cell text, or every cell an integer). */
static void text_result(kefu_arena *a, MYSQL_RES *m, bool ints, struct db_result **out)
{
	struct db_result *r = arena_calloc(a, 1, sizeof *r);
	*out = r;
	if (m == NULL)
		return;
	r->ncols = mysql_num_fields(m);
	r->nrows = (size_t)mysql_num_rows(m);
	if (ints) {
		r->ints = arena_calloc(a, r->nrows * r->ncols + 1, sizeof *r->ints);
		r->nulls = arena_calloc(a, r->nrows * r->ncols + 1, sizeof *r->nulls);
	} else {
		r->cells = arena_calloc(a, r->nrows * r->ncols + 1, sizeof *r->cells);
		r->lens = arena_calloc(a, r->nrows * r->ncols + 1, sizeof *r->lens);
	}
	for (size_t row = 0; row < r->nrows; row++) {
		MYSQL_ROW cells = mysql_fetch_row(m);
		unsigned long *lens = mysql_fetch_lengths(m);
		for (size_t c = 0; c < r->ncols; c++) {
			size_t at = row * r->ncols + c;
			if (ints) {
				r->nulls[at] = cells[c] == NULL;
				r->ints[at] = cells[c] == NULL ? 0 : strtoll(cells[c], NULL, 10);
			} else if (cells[c] != NULL) {
				char *cell = arena_alloc(a, lens[c] + 1);
				memcpy(cell, cells[c], lens[c]);
				cell[lens[c]] = '\0';
				r->cells[at] = cell;
				r->lens[at] = lens[c];
			}
		}
	}
}

/* Send the late writes and whatever was put after them; the last
 * statement's answer (rows, affected, insert id) is kept when asked. */
static kefu_err late_send(struct kefu_db *db, kefu_arena *a, struct db_result **res, bool ints, uint64_t *affected,
                          int64_t *insert_id, size_t last)
{
	settle(db);
	kefu_err err = KEFU_OK;
	int rc = mysql_real_query(db->my, db->late, (unsigned long)db->late_len);
	for (size_t k = 0;; k++) {
		if (rc > 0) {
			err = map_error(db, mysql_errno(db->my), mysql_error(db->my), db->late);
			break;
		}
		MYSQL_RES *m = mysql_store_result(db->my);
		if (k == last) {
			if (affected != NULL)
				*affected = (uint64_t)mysql_affected_rows(db->my);
			if (insert_id != NULL)
				*insert_id = (int64_t)mysql_insert_id(db->my);
			if (res != NULL)
				text_result(a, m, ints, res);
		}
		if (m != NULL)
			mysql_free_result(m);
		if ((rc = mysql_next_result(db->my)) < 0)
			break;
	}
	db->late_len = db->nlate = 0;
	return err;
}

/* A statement with late writes before it: one round trip for all (a CALL,
 * whose results and status run_bound reads, goes after them on its own). */
static kefu_err run_after_late(struct kefu_db *db, kefu_arena *a, struct db_result **res, bool ints, uint64_t *affected,
                               int64_t *insert_id, const char *sql, struct db_arg *args, size_t nargs, bool *sent_too)
{
	if (db->my == NULL) { /* the connection died: so did the transaction */
		db->late_len = db->nlate = 0;
		return KEFU_E_UNAVAILABLE;
	}
	size_t last = db->nlate;
	*sent_too = strncmp(sql, "CALL ", 5) != 0;
	if (*sent_too)
		late_statement(db, sql, args, nargs);
	return late_send(db, a, res, ints, affected, insert_id, *sent_too ? last : SIZE_MAX);
}

static kefu_err run(struct kefu_db *db, kefu_arena *a, struct db_result **res, bool ints, uint64_t *affected,
                    int64_t *insert_id, const char *sql, struct db_arg *args, size_t nargs);

kefu_err db_exec_late_args(struct kefu_db *db, const char *sql, struct db_args *args)
{
	if (!db->in_tx || db->my == NULL)
		return db_exec_args(db, NULL, NULL, sql, args);
	late_statement(db, sql, args->v, args->n);
	return KEFU_OK;
}

kefu_err db_exec_late(struct kefu_db *db, const char *sql, const char *types, ...)
{
	struct db_arg args[MAX_PARAMS];
	size_t n;
	va_list ap;
	va_start(ap, types);
	kefu_err e = decode_args(args, &n, types, ap);
	va_end(ap);
	if (e != KEFU_OK)
		return e;
	if (!db->in_tx || db->my == NULL)
		return run(db, NULL, NULL, false, NULL, NULL, sql, args, n);
	late_statement(db, sql, args, n);
	return KEFU_OK;
}

static kefu_err run(struct kefu_db *db, kefu_arena *a, struct db_result **res, bool ints, uint64_t *affected,
                    int64_t *insert_id, const char *sql, struct db_arg *args, size_t nargs)
{
	if (db->nlate > 0) {
		bool sent_too;
		kefu_err e = run_after_late(db, a, res, ints, affected, insert_id, sql, args, nargs, &sent_too);
		if (e != KEFU_OK || sent_too)
			return e;
	}
	MYSQL_BIND stack[MAX_PARAMS], *bind = stack;
	if (nargs > MAX_PARAMS && (bind = calloc(nargs, sizeof *bind)) == NULL)
		abort();
	bind_args(bind, args, nargs);
	kefu_err err = run_bound(db, a, res, ints, affected, insert_id, sql, bind, nargs);
	if (bind != stack)
		free(bind);
	return err;
}

/* db_query and db_exec: the typed arguments decoded, then run. */
static kefu_err run_va(struct kefu_db *db, kefu_arena *a, struct db_result **res, uint64_t *affected,
                       int64_t *insert_id, const char *sql, const char *types, va_list ap)
{
	struct db_arg args[MAX_PARAMS];
	size_t n;
	kefu_err e = decode_args(args, &n, types, ap);
	return e != KEFU_OK ? e : run(db, a, res, false, affected, insert_id, sql, args, n);
}

kefu_err db_query(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	kefu_err e = run_va(db, a, res, NULL, NULL, sql, types, ap);
	va_end(ap);
	return e;
}

kefu_err db_vquery(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql, const char *types,
                   va_list ap)
{
	return run_va(db, a, res, NULL, NULL, sql, types, ap);
}

kefu_err db_query_one(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql, const char *types,
                      ...)
{
	va_list ap;
	va_start(ap, types);
	kefu_err e = run_va(db, a, res, NULL, NULL, sql, types, ap);
	va_end(ap);
	return e == KEFU_OK && (*res)->nrows == 0 ? KEFU_E_NOT_FOUND : e;
}

static kefu_err query_i64_va(struct kefu_db *db, kefu_arena *a, int64_t *out, const char *sql, const char *types,
                             va_list ap)
{
	struct db_result *r;
	kefu_err e = run_va(db, a, &r, NULL, NULL, sql, types, ap);
	if (e == KEFU_OK && r->nrows == 0)
		e = KEFU_E_NOT_FOUND;
	if (e == KEFU_OK)
		*out = db_i64(r, 0, 0);
	return e;
}

kefu_err db_query_i64(struct kefu_db *db, kefu_arena *a, int64_t *out, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	kefu_err e = query_i64_va(db, a, out, sql, types, ap);
	va_end(ap);
	return e;
}

kefu_err db_query_i64_or(struct kefu_db *db, kefu_arena *a, int64_t *out, int64_t dflt, const char *sql,
                         const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	kefu_err e = query_i64_va(db, a, out, sql, types, ap);
	va_end(ap);
	if (e == KEFU_E_NOT_FOUND) {
		*out = dflt;
		e = KEFU_OK;
	}
	return e;
}

kefu_err db_exec(struct kefu_db *db, uint64_t *affected, int64_t *insert_id, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	kefu_err e = run_va(db, NULL, NULL, affected, insert_id, sql, types, ap);
	va_end(ap);
	return e;
}

kefu_err db_vexec(struct kefu_db *db, uint64_t *affected, int64_t *insert_id, const char *sql, const char *types,
                  va_list ap)
{
	return run_va(db, NULL, NULL, affected, insert_id, sql, types, ap);
}

kefu_err db_exec_one(struct kefu_db *db, const char *sql, const char *types, ...)
{
	uint64_t n = 0;
	va_list ap;
	va_start(ap, types);
	kefu_err e = run_va(db, NULL, NULL, &n, NULL, sql, types, ap);
	va_end(ap);
	return e == KEFU_OK && n == 0 ? KEFU_E_NOT_FOUND : e;
}

kefu_err db_exec_hit(struct kefu_db *db, bool *hit, const char *sql, const char *types, ...)
{
	uint64_t n = 0;
	va_list ap;
	va_start(ap, types);
	kefu_err e = run_va(db, NULL, NULL, &n, NULL, sql, types, ap);
	va_end(ap);
	*hit = e == KEFU_OK && n > 0;
	return e;
}

kefu_err db_query_args(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql, struct db_args *args)
{
	return run(db, a, res, false, NULL, NULL, sql, args->v, args->n);
}

kefu_err db_query_ints_args(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql,
                            struct db_args *args)
{
	return run(db, a, res, true, NULL, NULL, sql, args->v, args->n);
}

kefu_err db_exec_args(struct kefu_db *db, uint64_t *affected, int64_t *insert_id, const char *sql, struct db_args *args)
{
	return run(db, NULL, NULL, false, affected, insert_id, sql, args->v, args->n);
}

static kefu_err plain(struct kefu_db *db, const char *sql)
{
	settle(db);
	if (mysql_query(db->my, sql) != 0)
		return map_error(db, mysql_errno(db->my), mysql_error(db->my), sql);
	return KEFU_OK;
}

uint64_t db_tx_backoff_us(int attempt, uint32_t rnd)
{
	uint64_t cap_us = (uint64_t)2000 << attempt; /* 2, 4, 8 ... 256 ms */
	return 500 + rnd % cap_us;
}

static void backoff(int attempt)
{
	uint32_t rnd;
	RAND_bytes((unsigned char *)&rnd, sizeof rnd); /* all 32 bits: 16 would top out near 66 ms */
	uint64_t us = db_tx_backoff_us(attempt, rnd);
	struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A transaction that must be tried again: counted, and a pause before the
 * next try (none after the last: the caller's answer waits for nothing). */
static void retrying(int attempt)
{
	atomic_fetch_add(&tx_retries, 1);
	if (attempt + 1 < TX_TRIES)
		backoff(attempt);
}

static kefu_err gave_up(void)
{
	log_warn("db", "transaction gave up after %d tries", TX_TRIES);
	return KEFU_E_UNAVAILABLE;
}

kefu_err db_tx(struct kefu_db *db, db_tx_fn fn, void *ctx)
{
	if (db->in_tx)
		return fn(db, ctx); /* nested: the outer transaction decides */
	for (int attempt = 0; attempt < TX_TRIES; attempt++) {
		kefu_err err = connect_db(db);
		if (err != KEFU_OK)
			return err;
		/* With autocommit off the first statement begins the transaction:
		 * one round trip less. */
		err = db->implicit_tx ? KEFU_OK : plain(db, "START TRANSACTION");
		if (err == KEFU_E_UNAVAILABLE && attempt == 0)
			continue;
		if (err != KEFU_OK)
			return err;
		db->in_tx = true;
		db->tx_fresh = db->implicit_tx;
		err = fn(db, ctx);
		db->tx_fresh = false;
		if (db->my == NULL) { /* connection died inside: the server rolled back */
			db->in_tx = false;
			return err == KEFU_OK ? KEFU_E_UNAVAILABLE : err;
		}
		/* The late writes go with the COMMIT (one round trip); a failed
		 * transaction drops them. */
		if (err == KEFU_OK && db->nlate > 0) {
			late_put(db, "COMMIT", 6);
			err = late_send(db, NULL, NULL, false, NULL, NULL, SIZE_MAX);
		} else if (err == KEFU_OK)
			err = plain(db, "COMMIT");
		db->late_len = db->nlate = 0;
		if (err != KEFU_OK && db->my != NULL)
			(void)plain(db, "ROLLBACK");
		db->in_tx = false;
		if (err != KEFU_E_RETRY)
			return err;
		retrying(attempt);
	}
	return gave_up();
}

kefu_err db_tx_self(struct kefu_db *db, db_tx_fn fn, void *ctx)
{
	if (db->in_tx) {
		log_error("db", "a self-contained transaction inside another");
		return KEFU_E_INTERNAL;
	}
	for (int attempt = 0; attempt < TX_TRIES; attempt++) {
		kefu_err err = fn(db, ctx);
		if (err != KEFU_E_RETRY)
			return err;
		retrying(attempt);
	}
	return gave_up();
}

const char *db_str(const struct db_result *r, size_t row, size_t col)
{
	assert(row < r->nrows && col < r->ncols && r->ints == NULL);
	return r->cells[row * r->ncols + col];
}

int64_t db_i64(const struct db_result *r, size_t row, size_t col)
{
	if (r->ints != NULL) {
		assert(row < r->nrows && col < r->ncols);
		return r->ints[row * r->ncols + col];
	}
	const char *s = db_str(r, row, col);
	return s == NULL ? 0 : strtoll(s, NULL, 10);
}

bool db_null(const struct db_result *r, size_t row, size_t col)
{
	if (r->ints != NULL) {
		assert(row < r->nrows && col < r->ncols);
		return r->nulls[row * r->ncols + col];
	}
	return db_str(r, row, col) == NULL;
}

size_t db_len(const struct db_result *r, size_t row, size_t col)
{
	assert(row < r->nrows && col < r->ncols);
	return r->lens[row * r->ncols + col];
}

kefu_err db_script(struct kefu_db *db, const char *sql, size_t len, char *err, size_t errlen)
{
	kefu_err e = connect_db(db);
	if (e != KEFU_OK) {
		snprintf(err, errlen, "cannot connect to the database");
		return e;
	}
	settle(db); /* every connection takes several statements in one query (CLIENT_MULTI_STATEMENTS) */
	int rc = mysql_real_query(db->my, sql, (unsigned long)len);
	int stmt_no = 1;
	while (rc == 0) {
		MYSQL_RES *r = mysql_store_result(db->my);
		if (r != NULL)
			mysql_free_result(r);
		rc = mysql_next_result(db->my);
		if (rc == 0)
			stmt_no++;
	}
	if (rc > 0) {
		snprintf(err, errlen, "statement %d: %s", stmt_no, mysql_error(db->my));
		e = KEFU_E_INTERNAL;
	}
	return e;
}
