/* store-rows: read a query's rows into C structs by a column spec, instead of a hand-written loop per table. */
#ifndef KEFU_STORE_ROWS_H
#define KEFU_STORE_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/*
 * A store file describes its row struct once, by the fields the columns go
 * to, in SELECT order; each column's type follows from its field's
 * (int64_t, const char *, bool, double), so the two cannot disagree:
 *
 *   #define FIELDS  id, name, priority
 *   static const struct row_spec spec = ROWS(struct cgroup_row, FIELDS);
 *
 * Where the columns are named as the fields are, ROWS_SQL makes the same
 * list the SQL text, so it is written once:
 *
 *   #define COLUMNS ROWS_SQL(FIELDS)
 *
 * where they are not (a join's prefixes, an expression), the SQL text lists
 * them beside the spec. Every list, get and lookup then runs its query and
 * hands the result over:
 *
 *   kefu_err e = db_query(db, a, &r, "SELECT " COLUMNS " FROM ... WHERE tenant_id = ?", "i", tenant_id);
 *   return e != KEFU_OK ? e : rows_all(r, a, &spec, (void **)rows, n);
 *
 * Strings point into the result (the query's arena), as db_str does.
 */
enum col_type {
	COL_I64,  /* int64_t; SQL NULL reads 0 */
	COL_STR,  /* const char *; SQL NULL reads NULL */
	COL_BOOL, /* bool: non-zero */
	COL_F64,  /* double; SQL NULL reads 0 */
	COL_SKIP, /* a column the struct does not keep */
};

struct col {
	size_t offset;
	enum col_type type;
};

struct row_spec {
	size_t size; /* sizeof the row struct */
	size_t ncols;
	const struct col *cols;
};

/* A column by hand: a skipped one (COL_NONE), or a spec that ROWS does not fit. */
#define COL(T, field, type)                                                                                            \
	{                                                                                                              \
		offsetof(T, field), (type)                                                                             \
	}
#define COL_NONE                                                                                                       \
	{                                                                                                              \
		0, COL_SKIP                                                                                            \
	}
#define ROW_SPEC(T, cols)                                                                                              \
	{                                                                                                              \
		sizeof(T), sizeof(cols) / sizeof((cols)[0]), (cols)                                                    \
	}

/* The type a field reads as: a field of another type does not compile. */
#define COL_TYPE_OF(T, field)                                                                                          \
	_Generic(((T *)0)->field, int64_t : COL_I64, const char * : COL_STR, char * : COL_STR, bool : COL_BOOL,              \
	         double : COL_F64)
#define COL_OF(T, field) COL(T, field, COL_TYPE_OF(T, field))

/* ROWS(T, field, ...): the spec of T's fields, one column each, in order
 * (1 to 24 fields: more does not compile). ROWS_SQL(field, ...): the same
 * names as one SQL string. ROWS_1 ... ROWS_24 map COL_OF over the list, as
 * the preprocessor has no loop. */
#define ROWS(T, ...)                                                                                                   \
	{                                                                                                              \
		sizeof(T), sizeof(ROWS_COLS_(T, __VA_ARGS__)) / sizeof(struct col), ROWS_COLS_(T, __VA_ARGS__)         \
	}
#define ROWS_COLS_(T, ...) ((const struct col[]){ROWS_MAP(T, __VA_ARGS__)})
#define ROWS_SQL(...)      ROWS_STR_(__VA_ARGS__)
#define ROWS_STR_(...)     #__VA_ARGS__
#define ROWS_MAP(T, ...)   ROWS_CAT_(ROWS_, ROWS_COUNT_(__VA_ARGS__))(T, __VA_ARGS__)
#define ROWS_CAT_(a, b)    ROWS_CAT2_(a, b)
#define ROWS_CAT2_(a, b)   a##b
#define ROWS_COUNT_(...)                                                                                               \
	ROWS_NTH_(__VA_ARGS__, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define ROWS_NTH_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, \
                  a23, a24, n, ...)                                                                                    \
	n
#define ROWS_1(T, f)       COL_OF(T, f)
#define ROWS_2(T, f, ...)  COL_OF(T, f), ROWS_1(T, __VA_ARGS__)
#define ROWS_3(T, f, ...)  COL_OF(T, f), ROWS_2(T, __VA_ARGS__)
#define ROWS_4(T, f, ...)  COL_OF(T, f), ROWS_3(T, __VA_ARGS__)
#define ROWS_5(T, f, ...)  COL_OF(T, f), ROWS_4(T, __VA_ARGS__)
#define ROWS_6(T, f, ...)  COL_OF(T, f), ROWS_5(T, __VA_ARGS__)
#define ROWS_7(T, f, ...)  COL_OF(T, f), ROWS_6(T, __VA_ARGS__)
#define ROWS_8(T, f, ...)  COL_OF(T, f), ROWS_7(T, __VA_ARGS__)
#define ROWS_9(T, f, ...)  COL_OF(T, f), ROWS_8(T, __VA_ARGS__)
#define ROWS_10(T, f, ...) COL_OF(T, f), ROWS_9(T, __VA_ARGS__)
#define ROWS_11(T, f, ...) COL_OF(T, f), ROWS_10(T, __VA_ARGS__)
#define ROWS_12(T, f, ...) COL_OF(T, f), ROWS_11(T, __VA_ARGS__)
#define ROWS_13(T, f, ...) COL_OF(T, f), ROWS_12(T, __VA_ARGS__)
#define ROWS_14(T, f, ...) COL_OF(T, f), ROWS_13(T, __VA_ARGS__)
#define ROWS_15(T, f, ...) COL_OF(T, f), ROWS_14(T, __VA_ARGS__)
#define ROWS_16(T, f, ...) COL_OF(T, f), ROWS_15(T, __VA_ARGS__)
#define ROWS_17(T, f, ...) COL_OF(T, f), ROWS_16(T, __VA_ARGS__)
#define ROWS_18(T, f, ...) COL_OF(T, f), ROWS_17(T, __VA_ARGS__)
#define ROWS_19(T, f, ...) COL_OF(T, f), ROWS_18(T, __VA_ARGS__)
#define ROWS_20(T, f, ...) COL_OF(T, f), ROWS_19(T, __VA_ARGS__)
#define ROWS_21(T, f, ...) COL_OF(T, f), ROWS_20(T, __VA_ARGS__)
#define ROWS_22(T, f, ...) COL_OF(T, f), ROWS_21(T, __VA_ARGS__)
#define ROWS_23(T, f, ...) COL_OF(T, f), ROWS_22(T, __VA_ARGS__)
#define ROWS_24(T, f, ...) COL_OF(T, f), ROWS_23(T, __VA_ARGS__)

/* Row i of r into out, zeroed first: fields without a column stay 0/NULL,
 * and so do spec columns past the result's last (a list may select a
 * count or two more than a get, with the same spec). */
void rows_read(const struct db_result *r, size_t i, const struct row_spec *spec, void *out);
/* The same from column first on: for a row that joins two specs' columns. */
void rows_read_at(const struct db_result *r, size_t i, size_t first, const struct row_spec *spec, void *out);
/* Every row into a new array in a (one zeroed spare row at the end, so an
 * empty result is still a valid pointer); *n the count. Always KEFU_OK:
 * returns a kefu_err so a store function can end with it. */
kefu_err rows_all(const struct db_result *r, kefu_arena *a, const struct row_spec *spec, void **rows, size_t *n);
/* The first row into out; KEFU_E_NOT_FOUND when there is none. */
kefu_err rows_one(const struct db_result *r, const struct row_spec *spec, void *out);
/* The query and the reading in one: sql takes (tenant_id, id) for one row
 * (NOT_FOUND when none), (tenant_id) for a list. */
kefu_err rows_get(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void *out, const char *sql,
                  int64_t tenant_id, int64_t id);
kefu_err rows_list(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void **rows, size_t *n,
                   const char *sql, int64_t tenant_id);
/* The same for any statement, types and parameters as db_query's: every
 * row, or the first (NOT_FOUND when none). */
kefu_err rows_query(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void **rows, size_t *n,
                    const char *sql, const char *types, ...);
kefu_err rows_query_one(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void *out, const char *sql,
                        const char *types, ...);
/* *all: whether sql, taking (tenant_id, id), finds a row for every ids[i].
 * One lookup per id: the lists are short (an admin's form), and a prepared
 * statement cannot take an IN list of variable length. */
kefu_err rows_all_exist(struct kefu_db *db, kefu_arena *a, const char *sql, int64_t tenant_id, const int64_t *ids,
                        size_t n, bool *all);

/*
 * A list of ids a row keeps in a link table (a group's members and
 * departments, a user's departments), described once by its statements:
 * get takes (tenant_id, id) and reads the ids in the list's order; del and
 * ins replace the list (NULL: one read only), del with (tenant_id, id),
 * then ins once per ids[i] with (tenant_id, id, ids[i]) and, with
 * positions, i (the list's order).
 */
struct id_link {
	const char *get, *del, *ins;
	bool positions;
};
/* The ids of (tenant_id, id) into a new array in a; *n the count. */
kefu_err rows_link_get(struct kefu_db *db, kefu_arena *a, const struct id_link *l, int64_t tenant_id, int64_t id,
                       int64_t **ids, size_t *n);
/* Replace them with ids[0..n), in order (the caller has checked them). */
kefu_err rows_link_set(struct kefu_db *db, const struct id_link *l, int64_t tenant_id, int64_t id, const int64_t *ids,
                       size_t n);

/*
 * An outbox's sender claim, in one transaction: select_sql takes (limit) and
 * picks the due rows FOR UPDATE SKIP LOCKED, its first two columns id and
 * tenant_id; lease_sql takes (lease_s, tenant_id, id) and leases each. The
 * rows as spec reads them; *n 0 when the claim failed. Both outboxes (mail,
 * webhooks) are drained so, across tenants by design.
 */
kefu_err rows_claim(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, const char *select_sql,
                    const char *lease_sql, int limit, int lease_s, void **rows, size_t *n);

/*
 * An admin resource's table, described once: the store walks it for the
 * operations every row resource has (domain/crud.h binds it, CRUD_ROWS),
 * as openradtool generates them from a table. Each row struct starts with
 * `int64_t id`. get takes (tenant_id, id) and reads one row by spec
 * (NOT_FOUND when none); list takes (tenant_id); ins takes tenant_id then
 * the write columns, and sets the row's id; upd the write columns then
 * (tenant_id, id); del (tenant_id, id), NOT_FOUND when it changed no row.
 * write: the row's fields ins and upd bind, in order (ROWS: int64_t,
 * strings (NULL binds SQL NULL) and bool; a double does not bind).
 */
struct row_table {
	const struct row_spec *spec, *write;
	const char *get, *list, *ins, *upd, *del;
};
kefu_err rows_table_get(struct kefu_db *db, kefu_arena *a, const struct row_table *t, int64_t tenant_id, int64_t id,
                        void *out);
kefu_err rows_table_list(struct kefu_db *db, kefu_arena *a, const struct row_table *t, int64_t tenant_id, void **rows,
                         size_t *n);
/* 'c' creates row (setting its id), 'u' updates it, 'd' deletes it; the
 * parameters live in a until the statement has run. */
kefu_err rows_table_write(struct kefu_db *db, kefu_arena *a, const struct row_table *t, int64_t tenant_id, char action,
                          void *row);

/* The first column of every row as ids (a one-column list: members, departments). */
kefu_err rows_ids(const struct db_result *r, kefu_arena *a, int64_t **ids, size_t *n);
/* The same from column col: the ids a row carries beside its spec's columns. */
kefu_err rows_ids_at(const struct db_result *r, kefu_arena *a, size_t col, int64_t **ids, size_t *n);

#endif
