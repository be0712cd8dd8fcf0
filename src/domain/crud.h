/* crud: an admin resource's domain side as one table of operations, and the generic audited row writer behind most of
 * them. */
#ifndef KEFU_DOMAIN_CRUD_H
#define KEFU_DOMAIN_CRUD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/egress.h"
#include "core/err.h"
#include "store/db.h"
#include "view/json.h"

/*
 * What one operation on a resource is given: the connection, the arena,
 * who acts (every write is in who's tenant and audited as who) and where
 * to put why it refused its input (a field and a message, for the error
 * body or beside a console form's input). Built by the handler layer
 * (api/resource.h, resource_ctx) or by any other caller.
 */
struct crud_ctx {
	struct kefu_db *db;
	kefu_arena *a;
	const struct actor *who;
	struct fault *fault;
	const char *q;                     /* a list's search text (?q=), or NULL */
	int64_t parent_id;                 /* a nested resource's parent (the channel of its triggers), or 0 */
	const struct egress_allow *egress; /* where webhooks may point (NULL: nowhere private) */
};

struct row_table;

/*
 * The store binding of a resource kept as one row struct (the struct
 * starts with `int64_t id`), from which the four operations below are
 * generic, as openradtool generates them from a table:
 *   table   the store's table (store/store-rows.h) that gives get, list
 *           and write, as CRUD_ROWS binds it; or the three functions:
 *   get     the row (NOT_FOUND when not the tenant's)
 *   list    the rows a list shows (c->q: the search text, if it searches)
 *   check   a POST (base NULL) or PATCH body into out, field rules included
 *   write   'c' (sets the id), 'u' or 'd', on the transaction's connection
 *   view    the API object (created: the answer to a POST); NULL: the row's
 *           fields by the table fields (view/json.h, CRUD_FIELDS)
 *   audit   the audit summary (never a secret); NULL: this row is not audited
 *   visible whether the caller may see and change the row (NULL: every row
 *           of the tenant); a row it may not is NOT_FOUND
 */
struct crud_rows {
	size_t size;                   /* sizeof the row */
	const struct row_table *table; /* the store's table: get, list and write; NULL: the functions */
	kefu_err (*get)(const struct crud_ctx *c, int64_t id, void *row);
	kefu_err (*list)(const struct crud_ctx *c, void **rows, size_t *n);
	kefu_err (*check)(const struct crud_ctx *c, json_object *in, const void *base, void *out);
	kefu_err (*write)(struct kefu_db *db, int64_t tenant_id, char action, void *row);
	json_object *(*view)(const void *row, bool created);
	const struct json_field *fields;
	size_t nfields;
	json_object *(*audit)(const void *row);
	bool (*visible)(const struct crud_ctx *c, const void *row);
};

/*
 * A resource's domain side, in the API's JSON objects: list gives a new
 * {"items": [...]}, get a new object, save creates (*id 0, then set) or
 * updates *id from a POST or PATCH body and gives the saved object (view
 * may be NULL), remove deletes. Errors are the API reference's (docs/openapi.json): NOT_FOUND for another
 * tenant's id, INVALID_FIELD / CONFLICT with c->fault set. Every write
 * records audit_type in the audit log, in the write's own transaction. A
 * resource kept as one row gives rows and no functions; one whose rules
 * span tables (users, groups, rules) gives the functions; a function given
 * beside rows does its operation instead (API keys: read as rows, written
 * by their own rules).
 */
struct crud_ops {
	const char *audit_type;
	const struct crud_rows *rows;
	kefu_err (*list)(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out);
	kefu_err (*get)(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, json_object **out);
	kefu_err (*save)(const struct crud_ctx *c, json_object *body, int64_t *id, json_object **view);
	kefu_err (*remove)(const struct crud_ctx *c, int64_t id);
};

/* The operations, through rows or the functions. */
kefu_err crud_list(const struct crud_ctx *c, const struct crud_ops *ops, json_object **out);
kefu_err crud_get(const struct crud_ctx *c, const struct crud_ops *ops, int64_t id, json_object **view);
kefu_err crud_save(const struct crud_ctx *c, const struct crud_ops *ops, json_object *body, int64_t *id,
                   json_object **view);
kefu_err crud_remove(const struct crud_ctx *c, const struct crud_ops *ops, int64_t id);

/* For row resources: the row of id (visible or NOT_FOUND), and writing a
 * checked row ('c' sets its id, 'u', 'd') with its audit entry in one
 * transaction (the console's forms that build rows themselves). */
kefu_err crud_row(const struct crud_ctx *c, const struct crud_ops *ops, int64_t id, void *row);
/* For row resources: the rows its list shows (only the visible ones), as an
 * array of the row struct in c->a, for a console page that shows more than
 * the API object. */
kefu_err crud_list_rows(const struct crud_ctx *c, const struct crud_ops *ops, void *rows, size_t *n);
kefu_err crud_write(const struct crud_ctx *c, const struct crud_ops *ops, char action, void *row);

/*
 * Define the crud_rows `name` of a table the store describes (the struct
 * row_table table, store/store-rows.h: its get, list and writes), with the
 * row type T and the designated fields the store does not give (.check,
 * .view, .audit, .visible):
 *   CRUD_ROWS(rows, db_cgroups, struct cgroup_row, .check = row_check, .view = row_view, .audit = row_audit);
 */
#define CRUD_ROWS(name, store_table, T, ...)                                                                           \
	static const struct crud_rows name = {.size = sizeof(T), .table = &(store_table), __VA_ARGS__}

/* The view of a crud_rows as the field table t: .fields = t, .nfields. */
#define CRUD_FIELDS(t) .fields = (t), .nfields = JSON_NFIELDS(t)

/* The row's id (the struct's first member). */
#define CRUD_ID(row) (*(int64_t *)(row))

#endif
