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
 * A store file describes its row struct once, the columns in SELECT order:
 *
 *   #define COLUMNS "id, name, priority"
 *   static const struct col cols[] = {
 *       COL(struct cgroup_row, id, COL_I64), COL(struct cgroup_row, name, COL_STR),
 *       COL(struct cgroup_row, priority, COL_I64),
 *   };
 *   static const struct row_spec spec = ROW_SPEC(struct cgroup_row, cols);
 *
 * and every list, get and lookup runs its query and hands the result over:
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
 * (NOT_FOUND when none), (tenant_id) for a list, (tenant_id, id) for a
 * list of ids. */
kefu_err rows_get(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void *out, const char *sql,
                  int64_t tenant_id, int64_t id);
kefu_err rows_list(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void **rows, size_t *n,
                   const char *sql, int64_t tenant_id);
kefu_err rows_id_list(struct kefu_db *db, kefu_arena *a, int64_t **ids, size_t *n, const char *sql, int64_t tenant_id,
                      int64_t id);
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
/* Replace the id list of (tenant_id, id): del_sql takes (tenant_id, id),
 * then ins_sql once per ids[i] with (tenant_id, id, ids[i]) and, with
 * positions, i (the list's order). */
kefu_err rows_replace_ids(struct kefu_db *db, const char *del_sql, const char *ins_sql, int64_t tenant_id, int64_t id,
                          const int64_t *ids, size_t n, bool positions);

/*
 * An outbox's sender claim, in one transaction: select_sql takes (limit) and
 * picks the due rows FOR UPDATE SKIP LOCKED, its first two columns id and
 * tenant_id; lease_sql takes (lease_s, tenant_id, id) and leases each. The
 * rows as spec reads them; *n 0 when the claim failed. Both outboxes (mail,
 * webhooks) are drained so, across tenants by design.
 */
kefu_err rows_claim(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, const char *select_sql,
                    const char *lease_sql, int limit, int lease_s, void **rows, size_t *n);

/* The first column of every row as ids (a one-column list: members, departments). */
kefu_err rows_ids(const struct db_result *r, kefu_arena *a, int64_t **ids, size_t *n);

#endif
