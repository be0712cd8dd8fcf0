/* canned: canned replies: validation and saving (tenant-wide ones audited), shared by the API and the console. */
#include "domain/canned.h"

#include <string.h>

#include "core/json-doc.h"
#include "view/json.h"

/* shortcut: what follows "/" in the workbench input, so one word: no
 * spaces or control characters, 1..64 code points; title defaults to it.
 * A new reply is tenant-wide (owner 0) until its caller says whose it is. */
static kefu_err row_check(const struct crud_ctx *c, json_object *in, const void *base_row, void *out_row)
{
	const struct canned_row *base = base_row;
	struct canned_row *out = out_row;
	const char *bad = NULL, *shortcut = NULL, *title = NULL, *text = NULL;
	bool create = base == NULL;
	*out = base ? *base : (struct canned_row){0};
	kefu_err e = jb_string(in, "shortcut", create, 1, 64, &shortcut, &bad);
	if (e == KEFU_OK && shortcut) {
		for (const unsigned char *p = (const unsigned char *)shortcut; *p; p++)
			if (*p <= 0x20 || *p == 0x7f || *p == '/')
				return fault_set(c->fault, KEFU_E_INVALID_FIELD, "shortcut",
				                 "One word, without spaces or slashes.");
		out->shortcut = shortcut;
	}
	if (e == KEFU_OK)
		e = jb_string(in, "title", false, 1, 200, &title, &bad);
	if (e == KEFU_OK)
		e = jb_string(in, "text", create, 1, 5000, &text, &bad);
	if (e != KEFU_OK)
		return fault_set(c->fault, e, bad, NULL);
	if (text) {
		if (strspn(text, " \t\r\n") == strlen(text))
			return fault_set(c->fault, KEFU_E_INVALID_FIELD, "text", "The reply is empty.");
		out->text = text;
	}
	if (title)
		out->title = title;
	else if (create)
		out->title = out->shortcut;
	return KEFU_OK;
}

kefu_err canned_check(const struct crud_ctx *c, json_object *in, const struct canned_row *base, struct canned_row *out)
{
	return row_check(c, in, base, out);
}

static kefu_err row_get(const struct crud_ctx *c, int64_t id, void *row)
{
	return db_canned_get(c->db, c->a, c->who->tenant_id, id, row);
}

/* The admin list: tenant-wide replies, searched by c->q as the workbench types it. */
static kefu_err row_list(const struct crud_ctx *c, void **rows, size_t *n)
{
	const char *q = c->q;
	if (q && *q == '/')
		q++; /* the workbench may pass what was typed, slash and all */
	return db_canned_list(c->db, c->a, c->who->tenant_id, 0, true, q, CANNED_LIST_MAX, (struct canned_row **)rows,
	                      n);
}

static json_object *scope_of(const void *row)
{
	return json_object_new_string(((const struct canned_row *)row)->owner_user_id ? "personal" : "tenant");
}

static const struct json_field canned_fields[] = {
    JSON_FIELD(struct canned_row, id, I64),           JSON_FIELD_FN("scope", scope_of),
    JSON_FIELD(struct canned_row, owner_user_id, ID), JSON_FIELD(struct canned_row, shortcut, STR),
    JSON_FIELD(struct canned_row, title, STR),        JSON_FIELD(struct canned_row, text, STR),
    JSON_FIELD(struct canned_row, created_at, TIME),  JSON_FIELD(struct canned_row, updated_at, TIME),
};

json_object *canned_json(const struct canned_row *c)
{
	return JSON_VIEW(c, canned_fields);
}

kefu_err canned_agent_list(const struct crud_ctx *c, json_object **out)
{
	const char *q = c->q;
	if (q && *q == '/')
		q++;
	struct canned_row *rows;
	size_t n;
	kefu_err e =
	    db_canned_list(c->db, c->a, c->who->tenant_id, c->who->user_id, false, q, CANNED_LIST_MAX, &rows, &n);
	if (e != KEFU_OK)
		return e;
	*out = json_items(JSON_ROWS(rows, n, canned_fields));
	return KEFU_OK;
}

kefu_err canned_agent_row(const struct crud_ctx *c, int64_t id, bool own, struct canned_row *out)
{
	kefu_err e = db_canned_get(c->db, c->a, c->who->tenant_id, id, out);
	if (e != KEFU_OK)
		return e;
	if (out->owner_user_id == 0)
		return own ? fault_set(c->fault, KEFU_E_FORBIDDEN, NULL,
		                       "Tenant-wide replies are managed by administrators.")
		           : KEFU_OK;
	return out->owner_user_id == c->who->user_id ? KEFU_OK : KEFU_E_NOT_FOUND;
}

static kefu_err row_write(struct kefu_db *db, int64_t tenant_id, char action, void *row)
{
	struct canned_row *r = row;
	return action == 'c'   ? db_canned_create(db, tenant_id, r, &r->id)
	       : action == 'u' ? db_canned_update(db, tenant_id, r)
	                       : db_canned_delete(db, tenant_id, r->owner_user_id, r->id);
}

/* Tenant-wide replies are admin settings: audited; an agent's own are not. */
static json_object *row_audit(const void *row)
{
	const struct canned_row *r = row;
	if (r->owner_user_id != 0)
		return NULL;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "shortcut", json_object_new_string(r->shortcut));
	return sum;
}

/* Through the admin resource, only the tenant-wide replies exist. */
static bool row_visible(const struct crud_ctx *c, const void *row)
{
	(void)c;
	return ((const struct canned_row *)row)->owner_user_id == 0;
}

static const struct crud_rows rows = {
    .size = sizeof(struct canned_row),
    .get = row_get,
    .list = row_list,
    .check = row_check,
    .write = row_write,
    CRUD_FIELDS(canned_fields),
    .audit = row_audit,
    .visible = row_visible,
};

const struct crud_ops canned_ops = {.audit_type = "canned_reply", .rows = &rows};
