/* quick-buttons: button validation, visibility by role, filter evaluation, card templates and sending a card. */
#include "domain/quick-buttons.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/conversations.h"
#include "domain/crm.h"
#include "core/json-doc.h"
#include "store/store-channels.h"
#include "store/store-conversations.h"
#include "store/store-crm.h"
#include "store/store-events.h"
#include "store/store-messages.h"
#include "store/store-rows.h"
#include "store/store-visitors.h"
#include "view/json.h"

/* Records one list call may examine: a filter without an indexed equality
 * scans, and this bounds what one request reads. */
#define SCAN_MAX  1000
#define SCAN_PAGE 200

static const char *const ops[] = {"eq", "ne", "contains", "prefix", "in", "exists", NULL};
static const char *const vars[] = {"$visitor.id",    "$visitor.account_id", "$visitor.contact_id",
                                   "$visitor.phone", "$visitor.name",       NULL};

static void put_json(void *p)
{
	json_object_put(p);
}

static bool scalar(json_object *v)
{
	json_type t = json_object_get_type(v);
	return t == json_type_string || t == json_type_int || t == json_type_double || t == json_type_boolean;
}

static bool value_ok(json_object *v)
{
	if (!scalar(v))
		return false;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		size_t n = (size_t)json_object_get_string_len(v);
		if (strlen(s) != n || !utf8_valid(s, n) || n > 1000)
			return false;
		if (s[0] == '$') {
			for (size_t i = 0; vars[i]; i++)
				if (strcmp(vars[i], s) == 0)
					return true;
			return false; /* a typo'd variable would silently compare as text */
		}
	}
	return true;
}

kefu_err quick_filter_check(kefu_arena *a, json_object *filter, const char **bad)
{
	json_object *all;
	*bad = "filter";
	if (filter == NULL)
		return KEFU_OK;
	if (!json_object_is_type(filter, json_type_object) || json_object_object_length(filter) != 1 ||
	    !json_object_object_get_ex(filter, "all", &all) || !json_object_is_type(all, json_type_array) ||
	    json_object_array_length(all) > QUICK_MAX_CONDS)
		return KEFU_E_INVALID_FIELD;
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		json_object *c = json_object_array_get_idx(all, i), *v = NULL;
		const char *field, *op;
		*bad = arena_printf(a, "filter.all.%zu", i);
		if (!json_object_is_type(c, json_type_object))
			return KEFU_E_INVALID_FIELD;
		if (jb_string(c, "field", true, 1, 64, &field, NULL) != KEFU_OK ||
		    (strcmp(field, "id") != 0 && !crm_name_valid(field))) {
			*bad = arena_printf(a, "filter.all.%zu.field", i);
			return KEFU_E_INVALID_FIELD;
		}
		if (jb_enum(c, "op", true, ops, &op, NULL) != KEFU_OK) {
			*bad = arena_printf(a, "filter.all.%zu.op", i);
			return KEFU_E_INVALID_FIELD;
		}
		*bad = arena_printf(a, "filter.all.%zu.value", i);
		if (!json_object_object_get_ex(c, "value", &v) || v == NULL)
			return KEFU_E_INVALID_FIELD;
		if (strcmp(op, "exists") == 0) {
			if (!json_object_is_type(v, json_type_boolean))
				return KEFU_E_INVALID_FIELD;
		} else if (strcmp(op, "in") == 0) {
			if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) < 1 ||
			    json_object_array_length(v) > 100)
				return KEFU_E_INVALID_FIELD;
			for (size_t k = 0; k < json_object_array_length(v); k++)
				if (!value_ok(json_object_array_get_idx(v, k)))
					return KEFU_E_INVALID_FIELD;
		} else if (!value_ok(v)) {
			return KEFU_E_INVALID_FIELD;
		}
	}
	*bad = NULL;
	return KEFU_OK;
}

/* A condition's value as text: a variable's value (NULL when the visitor has none) or the literal's text. */
static const char *resolve(kefu_arena *a, json_object *v, const struct quick_vars *qv)
{
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		if (s[0] == '$') {
			const char *r = NULL;
			if (strcmp(s, "$visitor.id") == 0)
				r = qv->id;
			else if (strcmp(s, "$visitor.account_id") == 0)
				r = qv->account_id;
			else if (strcmp(s, "$visitor.contact_id") == 0)
				r = qv->contact_id;
			else if (strcmp(s, "$visitor.phone") == 0)
				r = qv->phone;
			else if (strcmp(s, "$visitor.name") == 0)
				r = qv->name;
			return r && *r ? r : NULL;
		}
	}
	return crm_value_text(a, v);
}

static bool cond_match(kefu_arena *a, json_object *c, int64_t record_id, json_object *fields,
                       const struct quick_vars *qv)
{
	const char *field = json_object_get_string(json_object_object_get(c, "field"));
	const char *op = json_object_get_string(json_object_object_get(c, "op"));
	json_object *v = json_object_object_get(c, "value"), *fv = NULL;
	const char *t;
	if (strcmp(field, "id") == 0)
		t = arena_printf(a, "%lld", (long long)record_id);
	else
		t = json_object_object_get_ex(fields, field, &fv) ? crm_value_text(a, fv) : NULL;
	if (t != NULL && *t == '\0')
		t = NULL;
	if (strcmp(op, "exists") == 0)
		return json_object_get_boolean(v) == (t != NULL);
	if (strcmp(op, "in") == 0) {
		for (size_t i = 0; t != NULL && i < json_object_array_length(v); i++) {
			const char *w = resolve(a, json_object_array_get_idx(v, i), qv);
			if (w != NULL && strcmp(t, w) == 0)
				return true;
		}
		return false;
	}
	const char *w = resolve(a, v, qv);
	if (w == NULL)
		return false; /* the visitor lacks what the condition names: never a match, whatever the op */
	if (strcmp(op, "ne") == 0)
		return t == NULL || strcmp(t, w) != 0;
	if (t == NULL)
		return false;
	if (strcmp(op, "eq") == 0)
		return strcmp(t, w) == 0;
	if (strcmp(op, "contains") == 0)
		return strstr(t, w) != NULL;
	return strncmp(t, w, strlen(w)) == 0; /* prefix */
}

bool quick_filter_match(kefu_arena *a, json_object *filter, int64_t record_id, json_object *fields,
                        const struct quick_vars *vars_)
{
	json_object *all;
	if (filter == NULL || !json_object_object_get_ex(filter, "all", &all))
		return true;
	for (size_t i = 0; i < json_object_array_length(all); i++)
		if (!cond_match(a, json_object_array_get_idx(all, i), record_id, fields, vars_))
			return false;
	return true;
}

void quick_template_render(kefu_arena *a, const char *tpl, int64_t record_id, const char *external_id,
                           json_object *fields, const char **title, json_object **lines)
{
	size_t cap = strlen(tpl) + 1, len = 0;
	char *out = arena_alloc(a, cap);
	for (const char *p = tpl; *p;) {
		const char *close = NULL;
		if (p[0] == '{' && p[1] == '{')
			close = strstr(p + 2, "}}");
		if (close == NULL) {
			if (*p != '\r')
				out[len++] = *p;
			p++;
			continue;
		}
		const char *s = p + 2, *e = close;
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		char *name = arena_strndup(a, s, (size_t)(e - s));
		const char *val = NULL;
		json_object *fv;
		if (strcmp(name, "id") == 0)
			val = arena_printf(a, "%lld", (long long)record_id);
		else if (strcmp(name, "external_id") == 0)
			val = external_id;
		else if (json_object_object_get_ex(fields, name, &fv))
			val = crm_value_text(a, fv);
		size_t vn = val ? strlen(val) : 0;
		if (len + vn + 1 > cap) {
			cap = 2 * (len + vn + 1) + strlen(close);
			char *bigger = arena_alloc(a, cap);
			memcpy(bigger, out, len);
			out = bigger;
		}
		for (size_t i = 0; i < vn; i++)
			if (val[i] != '\r')
				out[len++] = val[i];
		p = close + 2;
	}
	out[len] = '\0';
	json_object *arr = json_object_new_array();
	char *nl = strchr(out, '\n');
	*title = nl ? arena_strndup(a, out, (size_t)(nl - out)) : out;
	while (nl != NULL && json_object_array_length(arr) < QUICK_MAX_LINES) {
		char *line = nl + 1;
		nl = strchr(line, '\n');
		json_object_array_add(arr, nl ? json_object_new_string_len(line, (int)(nl - line))
		                              : json_object_new_string(line));
	}
	*lines = arr;
}

static json_object *parse(kefu_arena *a, const char *text)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o != NULL)
		arena_defer(a, put_json, o);
	return o;
}

bool quick_visible(const struct quick_button *b, bool identified, const char *roles, int64_t channel_id)
{
	if (!identified)
		return false;
	kefu_arena *a = arena_new();
	json_object *ch = parse(a, b->channel_ids), *vr = parse(a, b->visible_roles), *mine = parse(a, roles);
	bool ok = json_object_is_type(ch, json_type_array) && json_object_is_type(vr, json_type_array) &&
	          json_object_is_type(mine, json_type_array);
	if (ok && json_object_array_length(ch) > 0) {
		bool on = false;
		for (size_t i = 0; !on && i < json_object_array_length(ch); i++)
			on = json_object_get_int64(json_object_array_get_idx(ch, i)) == channel_id;
		ok = on;
	}
	bool role = false;
	for (size_t i = 0; ok && !role && i < json_object_array_length(vr); i++)
		for (size_t k = 0; !role && k < json_object_array_length(mine); k++) {
			const char *want = json_object_get_string(json_object_array_get_idx(vr, i));
			const char *have = json_object_get_string(json_object_array_get_idx(mine, k));
			/* "guest" is the anonymous marker, never an interconnect role. */
			role = want && have && strcmp(want, have) == 0 && strcmp(have, "guest") != 0;
		}
	arena_free(a);
	return ok && role;
}

static json_object *field(json_object *body, const char *name)
{
	json_object *v = NULL;
	if (body != NULL && json_object_object_get_ex(body, name, &v) && json_object_is_type(v, json_type_null))
		v = NULL;
	return v;
}

static const char *text(kefu_arena *a, json_object *o)
{
	return arena_strdup(a,
	                    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

kefu_err quick_button_check(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object *body,
                            const struct quick_button *base, struct quick_button *out, const char **bad)
{
	static const char *const objects[] = {"AccountObj", "ContactObj",    "LeadObj",         "CaseObj",
	                                      "ProductObj", "SalesOrderObj", "WebImVisitorObj", NULL};
	if (body != NULL && !json_object_is_type(body, json_type_object))
		return KEFU_E_INVALID_JSON;
	bool create = base == NULL;
	if (base != NULL)
		*out = *base;
	else
		*out = (struct quick_button){.icon = "order", .channel_ids = "[]", .filter = "{\"all\":[]}"};
	const char *s = NULL;
	kefu_err e;
	if ((e = jb_string(body, "name", create, 1, 100, &s, bad)) != KEFU_OK)
		return e;
	if (s)
		out->name = s;
	if ((e = jb_string(body, "icon", false, 0, 500, &s, bad)) != KEFU_OK)
		return e;
	if (s)
		out->icon = s;
	if ((e = jb_enum(body, "object", create, objects, &s, bad)) != KEFU_OK)
		return e;
	if (s)
		out->object = s;
	if ((e = jb_string(body, "template", create, 1, QUICK_TEMPLATE_MAX, &s, bad)) != KEFU_OK)
		return e;
	if (s)
		out->template = s;
	int64_t *ids;
	size_t n;
	if ((e = jb_id_array(body, "channel_ids", false, 50, a, &ids, &n, bad)) != KEFU_OK)
		return e;
	if (ids != NULL) {
		json_object *arr = json_object_new_array();
		arena_defer(a, put_json, arr);
		for (size_t i = 0; i < n; i++) {
			struct channel_row c;
			e = db_channel_get(db, a, tenant_id, ids[i], &c);
			if (e == KEFU_E_NOT_FOUND) {
				*bad = arena_printf(a, "channel_ids.%zu", i);
				return KEFU_E_INVALID_FIELD;
			}
			if (e != KEFU_OK)
				return e;
			json_object_array_add(arr, json_object_new_int64(ids[i]));
		}
		out->channel_ids = text(a, arr);
	}
	const char **roles;
	if ((e = jb_string_array(body, "visible_roles", create, 50, 1, 64, a, &roles, &n, bad)) != KEFU_OK)
		return e;
	if (roles != NULL) {
		json_object *arr = json_object_new_array();
		arena_defer(a, put_json, arr);
		for (size_t i = 0; i < n; i++)
			json_object_array_add(arr, json_object_new_string(roles[i]));
		out->visible_roles = text(a, arr);
	}
	json_object *f = field(body, "filter");
	if (f != NULL || (body != NULL && jb_is_null(body, "filter"))) {
		if ((e = quick_filter_check(a, f, bad)) != KEFU_OK)
			return e;
		out->filter = f ? text(a, f) : "{\"all\":[]}";
	}
	/* The filter's fields must exist on the (possibly changed) object. */
	struct crm_object_def def;
	if ((e = crm_object_load(db, a, tenant_id, out->object, &def)) != KEFU_OK)
		return e == KEFU_E_NOT_FOUND ? (*bad = "object", KEFU_E_INVALID_FIELD) : e;
	json_object *all = json_object_object_get(parse(a, out->filter), "all");
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		const char *fname =
		    json_object_get_string(json_object_object_get(json_object_array_get_idx(all, i), "field"));
		if (strcmp(fname, "id") != 0 && crm_field_find(&def, fname) == NULL) {
			*bad = arena_printf(a, "filter.all.%zu.field", i);
			return KEFU_E_INVALID_FIELD;
		}
	}
	*bad = NULL;
	return KEFU_OK;
}

/* The visitor, the variables its filters may use, and whether it sees the button. */
static kefu_err visitor_context(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                                int64_t button_id, struct quick_button *b, struct quick_vars *qv)
{
	struct visitor_row v;
	kefu_err e = db_visitor_get(db, a, tenant_id, visitor_id, &v);
	if (e != KEFU_OK)
		return e;
	e = rows_table_get(db, a, &db_quick_buttons, tenant_id, button_id, b);
	if (e == KEFU_E_NOT_FOUND)
		return KEFU_E_FORBIDDEN; /* unknown and invisible answer alike */
	if (e != KEFU_OK)
		return e;
	if (!quick_visible(b, v.identified, v.roles, v.channel_id))
		return KEFU_E_FORBIDDEN;
	memset(qv, 0, sizeof *qv);
	qv->id = arena_printf(a, "%lld", (long long)v.id);
	qv->account_id = v.account_id ? arena_printf(a, "%lld", (long long)v.account_id) : NULL;
	qv->contact_id = v.contact_id ? arena_printf(a, "%lld", (long long)v.contact_id) : NULL;
	qv->name = v.name;
	int64_t rid;
	struct crm_record rec;
	e = db_crm_visitor_record(db, a, tenant_id, v.id, &rid);
	if (e == KEFU_OK && db_crm_record_get(db, a, tenant_id, rid, &rec) == KEFU_OK)
		qv->phone = crm_record_text(a, &rec, "phone");
	return e == KEFU_E_NOT_FOUND ? KEFU_OK : e;
}

static json_object *item_json(kefu_arena *a, const struct quick_button *b, const struct crm_record *rec,
                              json_object *fields)
{
	const char *title;
	json_object *lines, *o = json_object_new_object();
	quick_template_render(a, b->template, rec->id, rec->external_id, fields, &title, &lines);
	json_object_object_add(o, "id", json_object_new_int64(rec->id));
	json_object_object_add(o, "title", json_object_new_string(title));
	json_object_object_add(o, "lines", lines);
	return o;
}

/* The first equality on a stored field whose value is known: lets the index pick the candidates. */
static int driving_filter(kefu_arena *a, json_object *filter, const struct quick_vars *qv, struct crm_kv *kv)
{
	json_object *all = json_object_object_get(filter, "all");
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		json_object *c = json_object_array_get_idx(all, i);
		const char *f = json_object_get_string(json_object_object_get(c, "field"));
		if (strcmp(json_object_get_string(json_object_object_get(c, "op")), "eq") != 0 || strcmp(f, "id") == 0)
			continue;
		const char *v = resolve(a, json_object_object_get(c, "value"), qv);
		if (v == NULL)
			return -1; /* the visitor lacks the value: nothing can match */
		*kv = (struct crm_kv){f, v};
		return 1;
	}
	return 0;
}

kefu_err quick_records(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t button_id,
                       int64_t after, int64_t limit, json_object **items, int64_t *next_after)
{
	struct quick_button b;
	struct quick_vars qv;
	kefu_err e = visitor_context(db, a, tenant_id, visitor_id, button_id, &b, &qv);
	if (e != KEFU_OK)
		return e;
	json_object *filter = parse(a, b.filter), *out = json_object_new_array();
	struct crm_kv kv;
	int driven = driving_filter(a, filter, &qv, &kv);
	size_t scanned = 0;
	*next_after = 0;
	while (driven >= 0 && e == KEFU_OK && json_object_array_length(out) < (size_t)limit && scanned < SCAN_MAX) {
		struct crm_record *rows;
		size_t n;
		int64_t next = 0;
		e = crm_record_find(db, a, tenant_id, b.object, driven ? &kv : NULL, (size_t)driven, after, SCAN_PAGE,
		                    &rows, &n, &next);
		for (size_t i = 0; e == KEFU_OK && i < n; i++) {
			json_object *fields = crm_record_fields(a, &rows[i]);
			if (!quick_filter_match(a, filter, rows[i].id, fields, &qv))
				continue;
			json_object_array_add(out, item_json(a, &b, &rows[i], fields));
			if (json_object_array_length(out) == (size_t)limit) {
				*next_after = rows[i].id;
				break;
			}
		}
		if (*next_after != 0 || next == 0)
			break;
		after = next;
		scanned += SCAN_PAGE;
		*next_after = scanned >= SCAN_MAX ? next : 0;
	}
	if (e != KEFU_OK) {
		json_object_put(out);
		return e;
	}
	*items = out;
	return KEFU_OK;
}

kefu_err quick_card_render(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t button_id,
                           int64_t record_id, json_object **card)
{
	struct quick_button b;
	struct quick_vars qv;
	kefu_err e = visitor_context(db, a, tenant_id, visitor_id, button_id, &b, &qv);
	if (e != KEFU_OK)
		return e;
	struct crm_record rec;
	e = db_crm_record_get(db, a, tenant_id, record_id, &rec);
	if (e == KEFU_E_NOT_FOUND)
		return KEFU_E_FORBIDDEN;
	if (e != KEFU_OK)
		return e;
	json_object *fields = crm_record_fields(a, &rec);
	if (strcmp(rec.object, b.object) != 0 || !quick_filter_match(a, parse(a, b.filter), rec.id, fields, &qv))
		return KEFU_E_FORBIDDEN;
	const char *title;
	json_object *lines, *o = json_object_new_object();
	quick_template_render(a, b.template, rec.id, rec.external_id, fields, &title, &lines);
	json_object_object_add(o, "object", json_object_new_string(rec.object));
	json_object_object_add(o, "record_id", json_object_new_int64(rec.id));
	json_object_object_add(o, "button_id", json_object_new_int64(b.id));
	json_object_object_add(o, "title", json_object_new_string(title));
	json_object_object_add(o, "lines", lines);
	*card = o;
	return KEFU_OK;
}

struct post_ctx {
	kefu_arena *a;
	int64_t tenant_id, visitor_id, conversation_id;
	const char *card;
	json_object *message;
};

static kefu_err post_tx(struct kefu_db *db, void *p)
{
	struct post_ctx *c = p;
	json_object_put(c->message); /* from a try that rolled back */
	c->message = NULL;
	struct conversation_row conv;
	kefu_err e = db_conversation_get(db, c->a, c->tenant_id, c->conversation_id, true, &conv);
	if (e != KEFU_OK)
		return e;
	if (conv.visitor_id != c->visitor_id)
		return KEFU_E_NOT_FOUND;
	if (strcmp(conv.status, "closed") == 0)
		return KEFU_E_CONFLICT;
	return conv_tx_card(db, c->a, c->tenant_id, conv.id, conv.agent_user_id, c->card, &c->message);
}

kefu_err quick_card_post(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                         int64_t conversation_id, json_object *card, json_object **message)
{
	struct post_ctx c = {a, tenant_id, visitor_id, conversation_id, text(a, card), NULL};
	kefu_err e = db_tx(db, post_tx, &c);
	if (e != KEFU_OK) {
		json_object_put(c.message);
		return e;
	}
	*message = c.message;
	return KEFU_OK;
}

kefu_err quick_card_send(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                         int64_t conversation_id, json_object *body, json_object **message, const char **bad)
{
	int64_t button_id = 0, record_id = 0;
	kefu_err e = jb_id(body, "button_id", true, &button_id, NULL, bad);
	if (e == KEFU_OK)
		e = jb_id(body, "record_id", true, &record_id, NULL, bad);
	if (e != KEFU_OK)
		return e;
	*bad = NULL;
	struct conversation_row conv;
	e = db_conversation_get(db, a, tenant_id, conversation_id, false, &conv);
	if (e == KEFU_OK && conv.visitor_id != visitor_id)
		e = KEFU_E_NOT_FOUND;
	json_object *card;
	if (e == KEFU_OK)
		e = quick_card_render(db, a, tenant_id, visitor_id, button_id, record_id, &card);
	if (e != KEFU_OK)
		return e;
	arena_defer(a, put_json, card);
	return quick_card_post(db, a, tenant_id, visitor_id, conversation_id, card, message);
}

/* The store binding of the admin resource /admin/quick-buttons. */
static kefu_err row_check(const struct crud_ctx *c, json_object *in, const void *base, void *out)
{
	const char *bad = NULL;
	kefu_err e = quick_button_check(c->db, c->a, c->who->tenant_id, in, base, out, &bad);
	return e == KEFU_OK ? e : fault_set(c->fault, e, bad, NULL);
}

static const struct json_field quick_button_fields[] = {
    JSON_FIELD(struct quick_button, id, I64),
    JSON_FIELD(struct quick_button, name, STR),
    JSON_FIELD(struct quick_button, icon, STR),
    JSON_FIELD(struct quick_button, channel_ids, ARRAY),
    JSON_FIELD(struct quick_button, visible_roles, ARRAY),
    JSON_FIELD(struct quick_button, object, STR),
    JSON_FIELD(struct quick_button, filter, ARRAY),
    JSON_FIELD(struct quick_button, template, STR),
    JSON_FIELD(struct quick_button, created_at, TIME),
    JSON_FIELD(struct quick_button, updated_at, TIME),
};

json_object *quick_button_json(const struct quick_button *b)
{
	return JSON_VIEW(b, quick_button_fields);
}

static json_object *row_audit(const void *row)
{
	const struct quick_button *b = row;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "name", json_object_new_string(b->name ? b->name : ""));
	return sum;
}

CRUD_ROWS(rows, db_quick_buttons, struct quick_button, .check = row_check, CRUD_FIELDS(quick_button_fields),
          .audit = row_audit);

const struct crud_ops quick_button_ops = {.audit_type = "quick_button", .rows = &rows};
