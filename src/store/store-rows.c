/* store-rows: the column-spec row reader every store file's list/get/lookup shares. */
#include "store/store-rows.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void rows_read_at(const struct db_result *r, size_t i, size_t first, const struct row_spec *spec, void *out)
{
	memset(out, 0, spec->size);
	for (size_t c = 0; c < spec->ncols && first + c < r->ncols; c++) {
		char *at = (char *)out + spec->cols[c].offset;
		switch (spec->cols[c].type) {
		case COL_I64: *(int64_t *)at = db_i64(r, i, first + c); break;
		case COL_STR: *(const char **)at = db_str(r, i, first + c); break;
		case COL_BOOL: *(bool *)at = db_i64(r, i, first + c) != 0; break;
		case COL_F64: {
			const char *v = db_str(r, i, first + c);
			*(double *)at = v ? strtod(v, NULL) : 0;
			break;
		}
		case COL_SKIP: break;
		}
	}
}

void rows_read(const struct db_result *r, size_t i, const struct row_spec *spec, void *out)
{
	rows_read_at(r, i, 0, spec, out);
}

kefu_err rows_all(const struct db_result *r, kefu_arena *a, const struct row_spec *spec, void **rows, size_t *n)
{
	char *out = arena_calloc(a, r->nrows + 1, spec->size);
	for (size_t i = 0; i < r->nrows; i++)
		rows_read(r, i, spec, out + i * spec->size);
	*rows = out;
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err rows_one(const struct db_result *r, const struct row_spec *spec, void *out)
{
	if (r->nrows == 0)
		return KEFU_E_NOT_FOUND;
	rows_read(r, 0, spec, out);
	return KEFU_OK;
}

kefu_err rows_ids_at(const struct db_result *r, kefu_arena *a, size_t col, int64_t **ids, size_t *n)
{
	*ids = arena_calloc(a, r->nrows + 1, sizeof **ids);
	for (size_t i = 0; i < r->nrows; i++)
		(*ids)[i] = db_i64(r, i, col);
	*n = r->nrows;
	return KEFU_OK;
}

kefu_err rows_ids(const struct db_result *r, kefu_arena *a, int64_t **ids, size_t *n)
{
	return rows_ids_at(r, a, 0, ids, n);
}

kefu_err rows_query(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void **rows, size_t *n,
                    const char *sql, const char *types, ...)
{
	struct db_result *r;
	va_list ap;
	va_start(ap, types);
	kefu_err e = db_vquery(db, a, &r, sql, types, ap);
	va_end(ap);
	return e != KEFU_OK ? e : rows_all(r, a, spec, rows, n);
}

kefu_err rows_query_one(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void *out, const char *sql,
                        const char *types, ...)
{
	struct db_result *r;
	va_list ap;
	va_start(ap, types);
	kefu_err e = db_vquery(db, a, &r, sql, types, ap);
	va_end(ap);
	return e != KEFU_OK ? e : rows_one(r, spec, out);
}

kefu_err rows_get(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void *out, const char *sql,
                  int64_t tenant_id, int64_t id)
{
	return rows_query_one(db, a, spec, out, sql, "ii", tenant_id, id);
}

kefu_err rows_list(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, void **rows, size_t *n,
                   const char *sql, int64_t tenant_id)
{
	return rows_query(db, a, spec, rows, n, sql, "i", tenant_id);
}

kefu_err rows_table_get(struct kefu_db *db, kefu_arena *a, const struct row_table *t, int64_t tenant_id, int64_t id,
                        void *out)
{
	return rows_get(db, a, t->spec, out, t->get, tenant_id, id);
}

kefu_err rows_table_list(struct kefu_db *db, kefu_arena *a, const struct row_table *t, int64_t tenant_id, void **rows,
                         size_t *n)
{
	return rows_list(db, a, t->spec, rows, n, t->list, tenant_id);
}

/* The row's write columns as parameters, in order. */
static void bind_row(struct db_args *v, const struct row_spec *cols, const void *row)
{
	const char *p = row;
	for (size_t i = 0; i < cols->ncols; i++) {
		const struct col *c = &cols->cols[i];
		if (c->type == COL_STR)
			db_arg_str(v, *(const char *const *)(p + c->offset));
		else if (c->type == COL_BOOL)
			db_arg_i64(v, *(const bool *)(p + c->offset));
		else if (c->type == COL_I64)
			db_arg_i64(v, *(const int64_t *)(p + c->offset));
	}
}

kefu_err rows_table_write(struct kefu_db *db, kefu_arena *a, const struct row_table *t, int64_t tenant_id, char action,
                          void *row)
{
	int64_t *id = row; /* the struct's first member */
	struct db_args *v = db_args_new(a);
	if (action == 'c') {
		db_arg_i64(v, tenant_id);
		bind_row(v, t->write, row);
		return db_exec_args(db, NULL, id, t->ins, v);
	}
	if (action == 'u')
		bind_row(v, t->write, row);
	db_arg_i64(v, tenant_id);
	db_arg_i64(v, *id);
	if (action == 'u')
		return db_exec_args(db, NULL, NULL, t->upd, v);
	uint64_t n = 0;
	kefu_err e = db_exec_args(db, &n, NULL, t->del, v);
	return e == KEFU_OK && n == 0 ? KEFU_E_NOT_FOUND : e;
}

kefu_err rows_link_get(struct kefu_db *db, kefu_arena *a, const struct id_link *l, int64_t tenant_id, int64_t id,
                       int64_t **ids, size_t *n)
{
	struct db_result *r;
	kefu_err e = db_query(db, a, &r, l->get, "ii", tenant_id, id);
	return e != KEFU_OK ? e : rows_ids(r, a, ids, n);
}

kefu_err rows_all_exist(struct kefu_db *db, kefu_arena *a, const char *sql, int64_t tenant_id, const int64_t *ids,
                        size_t n, bool *all)
{
	*all = true;
	for (size_t i = 0; i < n; i++) {
		struct db_result *r;
		kefu_err e = db_query(db, a, &r, sql, "ii", tenant_id, ids[i]);
		if (e != KEFU_OK)
			return e;
		if (r->nrows == 0) {
			*all = false;
			return KEFU_OK;
		}
	}
	return KEFU_OK;
}

kefu_err rows_link_set(struct kefu_db *db, const struct id_link *l, int64_t tenant_id, int64_t id, const int64_t *ids,
                       size_t n)
{
	kefu_err e = db_exec(db, NULL, NULL, l->del, "ii", tenant_id, id);
	for (size_t i = 0; e == KEFU_OK && i < n; i++)
		e = l->positions ? db_exec(db, NULL, NULL, l->ins, "iiii", tenant_id, id, ids[i], (int64_t)i)
		                 : db_exec(db, NULL, NULL, l->ins, "iii", tenant_id, id, ids[i]);
	return e;
}

struct claim_ctx {
	kefu_arena *a;
	const struct row_spec *spec;
	const char *select_sql, *lease_sql;
	int limit, lease_s;
	void *rows;
	size_t n;
};

static kefu_err claim_tx(struct kefu_db *db, void *p)
{
	struct claim_ctx *c = p;
	struct db_result *r;
	kefu_err e = db_query(db, c->a, &r, c->select_sql, "i", (int64_t)c->limit);
	if (e != KEFU_OK)
		return e;
	rows_all(r, c->a, c->spec, &c->rows, &c->n);
	for (size_t i = 0; i < c->n && e == KEFU_OK; i++)
		e = db_exec(db, NULL, NULL, c->lease_sql, "iii", (int64_t)c->lease_s, db_i64(r, i, 1), db_i64(r, i, 0));
	return e;
}

kefu_err rows_claim(struct kefu_db *db, kefu_arena *a, const struct row_spec *spec, const char *select_sql,
                    const char *lease_sql, int limit, int lease_s, void **rows, size_t *n)
{
	struct claim_ctx c = {
	    .a = a, .spec = spec, .select_sql = select_sql, .lease_sql = lease_sql, .limit = limit, .lease_s = lease_s};
	kefu_err e = db_tx(db, claim_tx, &c);
	*rows = c.rows;
	*n = e == KEFU_OK ? c.n : 0;
	return e;
}
