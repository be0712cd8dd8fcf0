/* tags: the tenant's tag vocabulary (an admin resource) and tagging conversations from the workbench. */
#include "domain/tags.h"

#include <string.h>

#include "domain/conv-stream.h"
#include "core/json-doc.h"
#include "core/text.h"
#include "core/utf8.h"
#include "store/store-rows.h"
#include "view/json.h"

/* s without leading and trailing white space, in a; NULL when nothing is
 * left or it is longer than TAG_NAME_MAX code points or holds a control
 * character (a tag is a one-line label). */
static const char *tag_name(kefu_arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n == 0 || !utf8_valid(s, n) || utf8_length(s, n) > TAG_NAME_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return NULL;
	return arena_strndup(a, s, n);
}

static const struct json_field tag_fields[] = {
    JSON_FIELD(struct tag_row, id, I64),
    JSON_FIELD(struct tag_row, name, STR),
    JSON_FIELD(struct tag_row, color, STR),
};

json_object *tag_json(const struct tag_row *t, bool with_count)
{
	json_object *o = JSON_VIEW(t, tag_fields);
	if (with_count)
		json_object_object_add(o, "conversations", json_object_new_int64(t->conversations));
	return o;
}

/* ---- the admin resource ---- */

static kefu_err row_check(const struct crud_ctx *c, json_object *in, const void *base, void *out)
{
	struct tag_row *t = out;
	if (base)
		*t = *(const struct tag_row *)base;
	else
		*t = (struct tag_row){0};
	const char *name = NULL, *color = NULL, *bad = NULL;
	bool has_color = false;
	kefu_err e = jb_string(in, "name", base == NULL, 1, 1000, &name, &bad);
	if (e != KEFU_OK)
		return fault_set(c->fault, e, bad, NULL);
	if (name && (t->name = tag_name(c->a, name)) == NULL)
		return fault_set(c->fault, KEFU_E_INVALID_FIELD, "name", NULL);
	/* Said beside the name; the unique key still decides a race (409 without a field). */
	struct tag_row same;
	if (name && (e = db_tag_by_name(c->db, c->a, c->who->tenant_id, t->name, &same)) != KEFU_E_NOT_FOUND) {
		if (e != KEFU_OK)
			return e;
		if (same.id != t->id)
			return fault_set(c->fault, KEFU_E_CONFLICT, "name", "A tag with this name exists.");
	}
	json_object *v = NULL;
	if (in && json_object_object_get_ex(in, "color", &v)) {
		has_color = true;
		if (v != NULL &&
		    ((e = jb_string(in, "color", false, 7, 7, &color, &bad)) != KEFU_OK || !text_is_color(color)))
			return fault_set(c->fault, KEFU_E_INVALID_FIELD, "color", "A colour as #rrggbb.");
	}
	if (has_color)
		t->color = color;
	return KEFU_OK;
}

static json_object *row_audit(const void *row)
{
	return JSON_VIEW(row, tag_fields);
}

CRUD_ROWS(tag_rows, db_tags, struct tag_row, .check = row_check, CRUD_FIELDS(tag_fields), .audit = row_audit);

const struct crud_ops tag_ops = {.audit_type = "tag", .rows = &tag_rows};

/* ---- the workbench ---- */

kefu_err tag_vocabulary(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct tag_row **rows, size_t *n)
{
	return rows_table_list(db, a, &db_tags, tenant_id, (void **)rows, n);
}

kefu_err conv_tags(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                   struct tag_row **rows, size_t *n)
{
	struct conversation_row c;
	kefu_err e = conv_find(db, a, who, conversation_id, &c);
	return e != KEFU_OK ? e : db_conversation_tags(db, a, who->tenant_id, c.id, rows, n);
}

/* Other staff with the conversation open see its tags change at once:
 * {"type":"tag","action","tag":TAG} (on removal the TAG has only its id). */
static void tell_tag(struct kefu_db *db, kefu_arena *a, const struct conversation_row *c, const char *action,
                     const struct tag_row *t)
{
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "type", json_object_new_string("tag"));
	json_object_object_add(ev, "action", json_object_new_string(action));
	json_object *tag = t->name ? tag_json(t, false) : json_object_new_object();
	if (!t->name)
		json_object_object_add(tag, "id", json_object_new_int64(t->id));
	json_object_object_add(ev, "tag", tag);
	(void)conv_tell_staff(db, a, c->tenant_id, c->id, c->agent_user_id, ev);
	json_object_put(ev);
}

kefu_err conv_tag_add(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                      int64_t tag_id, const char *name, struct tag_row *out, bool *added)
{
	struct conversation_row c;
	kefu_err e = conv_find(db, a, who, conversation_id, &c);
	if (e != KEFU_OK)
		return e;
	if (tag_id != 0) {
		e = rows_table_get(db, a, &db_tags, who->tenant_id, tag_id, out);
		if (e == KEFU_E_NOT_FOUND)
			return KEFU_E_INVALID_FIELD;
	} else {
		const char *clean = tag_name(a, name);
		bool created;
		if (clean == NULL)
			return KEFU_E_INVALID_FIELD;
		e = db_tag_ensure(db, a, who->tenant_id, clean, out, &created);
	}
	if (e != KEFU_OK)
		return e;
	e = db_conversation_tag_add(db, who->tenant_id, c.id, out->id, who->kind == CONV_AGENT ? who->user_id : 0,
	                            added);
	if (e == KEFU_OK && *added)
		tell_tag(db, a, &c, "added", out);
	return e;
}

kefu_err conv_tag_remove(struct kefu_db *db, kefu_arena *a, const struct conv_actor *who, int64_t conversation_id,
                         int64_t tag_id)
{
	struct conversation_row c;
	bool removed = false;
	kefu_err e = conv_find(db, a, who, conversation_id, &c);
	if (e == KEFU_OK)
		e = db_conversation_tag_remove(db, who->tenant_id, c.id, tag_id, &removed);
	if (e == KEFU_OK && removed)
		tell_tag(db, a, &c, "removed", &(struct tag_row){.id = tag_id});
	return e == KEFU_OK && !removed ? KEFU_E_NOT_FOUND : e;
}

kefu_err conv_tags_attach(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n,
                          json_object *const *convs)
{
	for (size_t i = 0; i < n; i++)
		json_object_object_add(convs[i], "tags", json_object_new_array());
	if (n == 0)
		return KEFU_OK;
	struct tag_row *rows;
	int64_t *of;
	size_t m;
	kefu_err e = db_conversations_tags(db, a, tenant_id, ids, n, &rows, &of, &m);
	if (e != KEFU_OK)
		return e;
	for (size_t k = 0; k < m; k++)
		for (size_t i = 0; i < n; i++)
			if (ids[i] == of[k]) {
				json_object_array_add(json_object_object_get(convs[i], "tags"),
				                      tag_json(&rows[k], false));
				break;
			}
	return KEFU_OK;
}
