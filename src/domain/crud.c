/* crud: the generic list/get/save/delete of a row resource, and its audited write in one transaction. */
#include "domain/crud.h"

#include <string.h>

#include "store/store-audit.h"
#include "store/store-rows.h"
#include "view/json.h"

/* The API object of a row: its view, or its fields by table. */
static json_object *row_json(const struct crud_rows *rows, const void *row, bool created)
{
	return rows->view ? rows->view(row, created)
	                  : json_fields(json_object_new_object(), row, rows->fields, rows->nfields);
}

static const char *action_name(char action)
{
	return action == 'c' ? "create" : action == 'u' ? "update" : "delete";
}

struct write_ctx {
	const struct crud_ctx *c;
	const struct crud_ops *ops;
	char action;
	void *row;
	int64_t id; /* the row's id before the first try: a retried create starts again from 0 */
};

/* The row of id, the rows a list shows, and a write: through the store's table or the resource's functions. */
static kefu_err get_row(const struct crud_ctx *c, const struct crud_rows *r, int64_t id, void *row)
{
	return r->table ? rows_table_get(c->db, c->a, r->table, c->who->tenant_id, id, row) : r->get(c, id, row);
}

static kefu_err list_rows(const struct crud_ctx *c, const struct crud_rows *r, void **rows, size_t *n)
{
	return r->table ? rows_table_list(c->db, c->a, r->table, c->who->tenant_id, rows, n) : r->list(c, rows, n);
}

static kefu_err write_tx(struct kefu_db *db, void *p)
{
	struct write_ctx *w = p;
	const struct crud_rows *r = w->ops->rows;
	int64_t tenant_id = w->c->who->tenant_id;
	CRUD_ID(w->row) = w->id;
	kefu_err e = r->table ? rows_table_write(db, w->c->a, r->table, tenant_id, w->action, w->row)
	                      : r->write(db, tenant_id, w->action, w->row);
	if (e != KEFU_OK)
		return e;
	json_object *sum = r->audit(w->row);
	if (sum == NULL)
		return KEFU_OK;
	return audit_record(db, w->c->who, action_name(w->action), w->ops->audit_type, CRUD_ID(w->row), sum);
}

kefu_err crud_write(const struct crud_ctx *c, const struct crud_ops *ops, char action, void *row)
{
	struct write_ctx w = {c, ops, action, row, CRUD_ID(row)};
	return db_tx(c->db, write_tx, &w);
}

kefu_err crud_row(const struct crud_ctx *c, const struct crud_ops *ops, int64_t id, void *row)
{
	const struct crud_rows *rows = ops->rows;
	kefu_err e = get_row(c, rows, id, row);
	if (e == KEFU_OK && rows->visible && !rows->visible(c, row))
		e = KEFU_E_NOT_FOUND;
	return e;
}

kefu_err crud_list_rows(const struct crud_ctx *c, const struct crud_ops *ops, void *rows, size_t *n)
{
	const struct crud_rows *r = ops->rows;
	char *all;
	size_t m, k = 0;
	kefu_err e = list_rows(c, r, (void **)&all, &m);
	if (e != KEFU_OK)
		return e;
	for (size_t i = 0; i < m; i++)
		if (r->visible == NULL || r->visible(c, all + i * r->size)) {
			if (k != i)
				memcpy(all + k * r->size, all + i * r->size, r->size);
			k++;
		}
	*(void **)rows = all;
	*n = k;
	return KEFU_OK;
}

kefu_err crud_list(const struct crud_ctx *c, const struct crud_ops *ops, json_object **out)
{
	if (ops->list)
		return ops->list(c->db, c->a, c->who->tenant_id, out);
	const struct crud_rows *rows = ops->rows;
	char *all;
	size_t n;
	kefu_err e = crud_list_rows(c, ops, &all, &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, row_json(rows, all + i * rows->size, false));
	*out = json_items(items);
	return KEFU_OK;
}

kefu_err crud_get(const struct crud_ctx *c, const struct crud_ops *ops, int64_t id, json_object **view)
{
	if (ops->get)
		return ops->get(c->db, c->a, c->who->tenant_id, id, view);
	void *row = arena_calloc(c->a, 1, ops->rows->size);
	kefu_err e = crud_row(c, ops, id, row);
	if (e == KEFU_OK)
		*view = row_json(ops->rows, row, false);
	return e;
}

kefu_err crud_save(const struct crud_ctx *c, const struct crud_ops *ops, json_object *body, int64_t *id,
                   json_object **view)
{
	if (ops->save) {
		json_object *v = NULL;
		kefu_err e = ops->save(c, body, id, &v);
		if (view && e == KEFU_OK)
			*view = v;
		else
			json_object_put(v);
		return e;
	}
	const struct crud_rows *rows = ops->rows;
	void *base = NULL, *row = arena_calloc(c->a, 1, rows->size);
	kefu_err e = KEFU_OK;
	if (*id != 0) {
		base = arena_calloc(c->a, 1, rows->size);
		e = crud_row(c, ops, *id, base);
	}
	if (e == KEFU_OK)
		e = rows->check(c, body, base, row);
	if (base == NULL)
		CRUD_ID(row) = 0;
	if (e == KEFU_OK)
		e = crud_write(c, ops, base ? 'u' : 'c', row);
	if (e != KEFU_OK)
		return e;
	/* The answer is the row as stored (defaults and timestamps filled in). */
	*id = CRUD_ID(row);
	if ((e = get_row(c, rows, *id, row)) == KEFU_OK && view)
		*view = row_json(rows, row, base == NULL);
	return e;
}

kefu_err crud_remove(const struct crud_ctx *c, const struct crud_ops *ops, int64_t id)
{
	if (ops->remove)
		return ops->remove(c, id);
	void *row = arena_calloc(c->a, 1, ops->rows->size);
	kefu_err e = crud_row(c, ops, id, row);
	return e != KEFU_OK ? e : crud_write(c, ops, 'd', row);
}
