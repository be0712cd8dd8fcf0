/* db: one MariaDB connection per thread, cached prepared statements, buffered results, transactions with retry. */
#ifndef KEFU_DB_H
#define KEFU_DB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/conf.h"
#include "core/err.h"

struct kefu_db;

/* A buffered result: every cell copied into the caller's arena as text
 * (NULL for SQL NULL), so no MariaDB type escapes the store. */
struct db_result {
	size_t nrows, ncols;
	char **cells; /* row-major, nrows * ncols */
	size_t *lens; /* byte lengths of the cells (binary-safe) */
	/* Set instead of cells and lens by db_query_ints_args: every cell as an integer (0 for NULL) and its NULL
	 * flag; db_i64 and db_null read them, db_str must not be used. */
	int64_t *ints;
	bool *nulls;
};

/* A connection handle for one thread; connects lazily. Never NULL. */
struct kefu_db *db_new(const struct kefu_conf *conf);
/* Run db (new, not yet used) with autocommit off, so db_tx needs no START TRANSACTION round trip
 * (a transaction begins with its first statement). Only for a connection
 * that runs nothing outside db_tx: a statement outside one would begin a
 * transaction nobody ends. */
void db_set_implicit_tx(struct kefu_db *db);
void db_free(struct kefu_db *db);
const struct kefu_conf *db_conf(const struct kefu_db *db);

/* Connect now if not connected: KEFU_OK or KEFU_E_UNAVAILABLE. */
kefu_err db_ping(struct kefu_db *db);

/*
 * Run one prepared statement. `types` has one letter per '?':
 *   'i' int64_t, 'I' const int64_t * (NULL binds SQL NULL),
 *   'n' int64_t, 0 or less binds SQL NULL (an optional id, as db_arg_id),
 *   's' const char * (NULL binds SQL NULL), 'b' const void *, size_t (blob),
 *   'd' double.
 * With res != NULL the rows are buffered into arena a.
 *   db_query(db, a, &res, "SELECT id FROM users WHERE tenant_id = ? AND login = ?",
 *            "is", tenant_id, login);
 * Errors: KEFU_E_UNAVAILABLE (connection gone and not recoverable),
 * KEFU_E_CONFLICT (duplicate key), KEFU_E_RETRY (deadlock or lock wait
 * timeout: only db_tx sees it, it retries), KEFU_E_INTERNAL (bad SQL; logged).
 */
kefu_err db_query(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql, const char *types, ...);
/* db_query with the parameters as a va_list (for wrappers that take db_query's). */
kefu_err db_vquery(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql, const char *types,
                   va_list ap);
/* As db_query for a statement that must find a row: KEFU_E_NOT_FOUND when it finds none. */
kefu_err db_query_one(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql, const char *types,
                      ...);
/* The first row's first column as an integer (0 for SQL NULL), the
 * lookups of one id or one count: KEFU_E_NOT_FOUND when there is no row. */
kefu_err db_query_i64(struct kefu_db *db, kefu_arena *a, int64_t *out, const char *sql, const char *types, ...);
/* As db_query_i64, with dflt when there is no row (a setting never saved). */
kefu_err db_query_i64_or(struct kefu_db *db, kefu_arena *a, int64_t *out, int64_t dflt, const char *sql,
                         const char *types, ...);
/* As db_query without rows; *affected and *insert_id may be NULL. */
kefu_err db_exec(struct kefu_db *db, uint64_t *affected, int64_t *insert_id, const char *sql, const char *types, ...);

/* db_exec with the parameters as a va_list (for wrappers that take db_exec's). */
kefu_err db_vexec(struct kefu_db *db, uint64_t *affected, int64_t *insert_id, const char *sql, const char *types,
                  va_list ap);

/* As db_exec for a statement that must change a row (an update or delete by
 * id): KEFU_E_NOT_FOUND when it affected none. */
kefu_err db_exec_one(struct kefu_db *db, const char *sql, const char *types, ...);
/* As db_exec where the caller asks only whether a row changed (a claim by
 * delete, a conditional update, an INSERT IGNORE): *hit, false on an error. */
kefu_err db_exec_hit(struct kefu_db *db, bool *hit, const char *sql, const char *types, ...);

/*
 * The same for statements whose number of parameters follows the data
 * (multi-row INSERTs, IN lists): values are appended in order to a list in
 * an arena, and the SQL repeats a row of placeholders with db_sql_list.
 *   struct db_args *v = db_args_new(a);
 *   for (...) { db_arg_i64(v, tenant_id); db_arg_str(v, text); }
 *   db_exec_args(db, NULL, NULL, db_sql_list(a, "INSERT INTO t (a, b) VALUES ", "(?, ?)", ", ", n, ""), v);
 */
struct db_args;
struct db_args *db_args_new(kefu_arena *a);
void db_arg_i64(struct db_args *v, int64_t x);
void db_arg_id(struct db_args *v, int64_t id);     /* 0 or less binds SQL NULL */
void db_arg_str(struct db_args *v, const char *s); /* NULL binds SQL NULL */
/* head, then n copies of item separated by sep, then tail; in a. n > 0. */
const char *db_sql_list(kefu_arena *a, const char *head, const char *item, const char *sep, size_t n, const char *tail);
/* ids as JSON array text ("[1,2]") in a, one string parameter for JSON_TABLE:
 * one prepared statement for any count. */
const char *db_ids_json(kefu_arena *a, const int64_t *ids, size_t n);

/* A DATE, DATETIME or TIMESTAMP cell as text, as the client library writes
 * one read as a string ("2026-12-08 02:17:38.123"): decimals is the
 * column's fraction digits (0-6; more writes none, as the library does), or
 * 7 for a DATE (no time of day). Answers its length. */
#define DB_STAMP_MAX 32
size_t db_stamp_text(unsigned year, unsigned month, unsigned day, unsigned hour, unsigned minute, unsigned second,
                     unsigned long micro, int decimals, char out[DB_STAMP_MAX]);
/* The same for n pairs ("[[1,2],[3,4]]"): JSON_TABLE's '$[0]' and '$[1]'. */
const char *db_pairs_json(kefu_arena *a, const int64_t (*pairs)[2], size_t n);
/* No row of the result holds that id (db_query_ids). */
#define DB_NO_ROW SIZE_MAX
/* The rows of sql for the ids (n > 0), their order the database's: sql's
 * parameters are the ids as JSON text (a JOIN JSON_TABLE(?, '$[*]' ...) of
 * them) and then tenant_id, its first column the id. *at (in a): for each
 * of ids, the row holding it, or DB_NO_ROW. */
kefu_err db_query_ids(struct kefu_db *db, kefu_arena *a, struct db_result **res, size_t **at, const char *sql,
                      int64_t tenant_id, const int64_t *ids, size_t n);
kefu_err db_query_args(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql,
                       struct db_args *args);
kefu_err db_exec_args(struct kefu_db *db, uint64_t *affected, int64_t *insert_id, const char *sql,
                      struct db_args *args);
/* A write whose only answer is success, in a transaction: sent with the
 * connection's next statement in one round trip (the transaction's next
 * statement or its COMMIT), its arguments written into its text; its error,
 * if any, is that statement's. Outside a transaction it runs at once. For
 * the writes under the rule's lock, where a round trip of their own would
 * be waited for by every decision under the rule. */
kefu_err db_exec_late(struct kefu_db *db, const char *sql, const char *types, ...);
kefu_err db_exec_late_args(struct kefu_db *db, const char *sql, struct db_args *args);
/* As db_query_args for a statement whose every column is an integer (or NULL): the cells are converted by the client
 * library into int64_t, not copied as text (a report's tens of thousands of rows). Read with db_i64 and db_null. */
kefu_err db_query_ints_args(struct kefu_db *db, kefu_arena *a, struct db_result **res, const char *sql,
                            struct db_args *args);

/*
 * Run fn inside one transaction: BEGIN, fn, COMMIT. On KEFU_E_RETRY from
 * anywhere inside (deadlock 1213, lock wait timeout 1205) the whole
 * transaction is rolled back and fn runs again after a jittered backoff
 * (db_tx_backoff_us: 0.5 ms plus up to 2, 4, ... 128 ms), up to 8 tries in
 * all; then KEFU_E_UNAVAILABLE. Any other error rolls back and is
 * returned. fn must be safe to run again: it holds no state across tries.
 */
typedef kefu_err (*db_tx_fn)(struct kefu_db *db, void *ctx);
kefu_err db_tx(struct kefu_db *db, db_tx_fn fn, void *ctx);
/*
 * As db_tx for an fn whose one statement is a whole transaction of its own (a
 * stored procedure that begins and commits it: one round trip where BEGIN,
 * its statements and COMMIT were each one): retried the same way, with no
 * BEGIN or COMMIT sent. Not inside db_tx: the procedure's START TRANSACTION
 * would commit the outer one (KEFU_E_INTERNAL, logged).
 */
kefu_err db_tx_self(struct kefu_db *db, db_tx_fn fn, void *ctx);
/* The wait after failed try attempt + 1, given 32 random bits: 0.5 ms plus
 * a uniform share of (2 << attempt) ms. */
uint64_t db_tx_backoff_us(int attempt, uint32_t rnd);
/* How many transactions were retried since start (for metrics and tests). */
uint64_t db_tx_retries(void);

/* Cell accessors; row and col must be in range (checked by assertion). */
const char *db_str(const struct db_result *r, size_t row, size_t col);
int64_t db_i64(const struct db_result *r, size_t row, size_t col);
bool db_null(const struct db_result *r, size_t row, size_t col);
size_t db_len(const struct db_result *r, size_t row, size_t col);

/* Run a multi-statement SQL script (migrations only; no user input). */
kefu_err db_script(struct kefu_db *db, const char *sql, size_t len, char *err, size_t errlen);

#endif
