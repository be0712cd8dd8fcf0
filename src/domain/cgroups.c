/* cgroups: conversation groups (会话分组): validation of their conditions and arranging an agent's conversations under
 * them. */
#include "domain/cgroups.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "domain/conditions.h"
#include "core/json-doc.h"
#include "domain/crud.h"
#include "store/store-crm.h"
#include "store/store-rows.h"
#include "store/store-visitors.h"
#include "view/json.h"

#define CONV_PREFIX "conversation."

static void put_json(void *p)
{
	json_object_put(p);
}

static bool conv_field(const char *f)
{
	return strcmp(f, CONV_PREFIX "channel_id") == 0 || strcmp(f, CONV_PREFIX "group_id") == 0 ||
	       strcmp(f, CONV_PREFIX "rule_id") == 0;
}

static bool is_id(json_object *v)
{
	return json_object_is_type(v, json_type_int) && json_object_get_int64(v) > 0;
}

/* A conversation.* condition: eq/ne an id, in a non-empty array of ids,
 * exists with an optional boolean. */
static kefu_err check_conv_cond(json_object *cond, const char **bad)
{
	json_object *op, *value = NULL;
	json_object_object_get_ex(cond, "value", &value);
	if (!json_object_object_get_ex(cond, "op", &op) || !json_object_is_type(op, json_type_string)) {
		*bad = "op";
		return KEFU_E_INVALID_FIELD;
	}
	const char *o = json_object_get_string(op);
	*bad = "value";
	if (strcmp(o, "eq") == 0 || strcmp(o, "ne") == 0)
		return is_id(value) ? KEFU_OK : KEFU_E_INVALID_FIELD;
	if (strcmp(o, "in") == 0) {
		if (!json_object_is_type(value, json_type_array) || json_object_array_length(value) == 0 ||
		    json_object_array_length(value) > 1000)
			return KEFU_E_INVALID_FIELD;
		for (size_t i = 0; i < json_object_array_length(value); i++)
			if (!is_id(json_object_array_get_idx(value, i)))
				return KEFU_E_INVALID_FIELD;
		return KEFU_OK;
	}
	if (strcmp(o, "exists") == 0)
		return value == NULL || json_object_is_type(value, json_type_boolean) ? KEFU_OK : KEFU_E_INVALID_FIELD;
	*bad = "op";
	return KEFU_E_INVALID_FIELD;
}

static kefu_err check_match(kefu_arena *a, json_object *match, const char **bad)
{
	*bad = "match";
	if (json_object_is_type(match, json_type_string))
		return strcmp(json_object_get_string(match), "all") == 0 ? KEFU_OK : KEFU_E_INVALID_FIELD;
	json_object *all;
	if (!json_object_is_type(match, json_type_object) || json_object_object_length(match) != 1 ||
	    !json_object_object_get_ex(match, "all", &all) || !json_object_is_type(all, json_type_array) ||
	    json_object_array_length(all) > COND_MAX) {
		*bad = "match.all";
		return json_object_is_type(match, json_type_object) ? KEFU_E_INVALID_FIELD : KEFU_E_INVALID_FIELD;
	}
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		json_object *c = json_object_array_get_idx(all, i), *f;
		const char *sub = NULL;
		kefu_err e;
		if (json_object_is_type(c, json_type_object) && json_object_object_get_ex(c, "field", &f) &&
		    json_object_is_type(f, json_type_string) &&
		    strncmp(json_object_get_string(f), CONV_PREFIX, strlen(CONV_PREFIX)) == 0)
			e = conv_field(json_object_get_string(f)) ? check_conv_cond(c, &sub)
			                                          : (sub = "field", KEFU_E_INVALID_FIELD);
		else
			e = cond_check(c, &sub);
		if (e != KEFU_OK) {
			*bad = arena_printf(a, "match.all[%zu]%s%s", i, sub ? "." : "", sub ? sub : "");
			return e;
		}
	}
	return KEFU_OK;
}

/* The check, reporting every field at fault into fs (name, priority and the first bad condition). */
static kefu_err check_all(kefu_arena *a, json_object *in, const struct cgroup_row *base, struct cgroup_row *out,
                          struct fault *fs)
{
	if (base)
		*out = *base;
	else
		*out = (struct cgroup_row){.priority = 100, .match = "\"all\""};
	const char *name = NULL, *bad = NULL;
	if (jb_string(in, "name", base == NULL, 1, 200, &name, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "required, at most 200 characters");
	else if (name && strspn(name, " \t\r\n") == strlen(name))
		fault_add(fs, a, "name", "required, at most 200 characters");
	else if (name)
		out->name = name;
	if (jb_int64(in, "priority", false, -1000000, 1000000, &out->priority, NULL, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "a whole number from -1000000 to 1000000");
	json_object *match = NULL;
	if (in && json_object_object_get_ex(in, "match", &match) && match != NULL) {
		if (check_match(a, match, &bad) != KEFU_OK)
			fault_add(fs, a, bad, "this condition is not valid: check its field, operator and value");
		else
			out->match =
			    arena_strdup(a, json_object_to_json_string_ext(match, JSON_C_TO_STRING_PLAIN |
			                                                              JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	return fs->nall ? KEFU_E_INVALID_FIELD : KEFU_OK;
}

kefu_err cgroup_check(kefu_arena *a, json_object *in, const struct cgroup_row *base, struct cgroup_row *out,
                      const char **bad)
{
	struct fault f = {0};
	kefu_err e = check_all(a, in, base, out, &f);
	*bad = f.field;
	return e;
}

/* The group's match: "all", or its stored {"all": [...]}. */
static json_object *match_of(const void *row)
{
	json_object *m = json_parsed(((const struct cgroup_row *)row)->match);
	return m ? m : json_object_new_string("all");
}

static const struct json_field cgroup_fields[] = {
    JSON_FIELD(struct cgroup_row, id, I64),          JSON_FIELD(struct cgroup_row, name, STR),
    JSON_FIELD(struct cgroup_row, priority, I64),    JSON_FIELD_FN("match", match_of),
    JSON_FIELD(struct cgroup_row, created_at, TIME),
};

json_object *cgroup_json(const struct cgroup_row *g)
{
	return JSON_VIEW(g, cgroup_fields);
}

/* The facts the rules' conditions read (the same sources as the
 * assignment engine's routing: identity record fields over claimed
 * attributes, registration data, pre-chat answers, the CRM account). */
static void build_facts(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, const char *prechat,
                        struct cond_facts *f)
{
	struct visitor_row v;
	memset(f, 0, sizeof *f);
	if (prechat && (f->prechat = json_tokener_parse(prechat)) != NULL)
		arena_defer(a, put_json, f->prechat);
	if (db_visitor_get(db, a, tenant_id, visitor_id, &v) != KEFU_OK)
		return;
	json_object *vis = json_object_new_object();
	arena_defer(a, put_json, vis);
	if (v.attributes) {
		json_object *attrs = json_tokener_parse(v.attributes);
		if (json_object_is_type(attrs, json_type_object)) {
			json_object_object_foreach(attrs, k, val) json_object_object_add(vis, k, json_object_get(val));
		}
		json_object_put(attrs);
	}
	int64_t rec;
	struct crm_record cr;
	if (db_crm_visitor_record(db, a, tenant_id, v.id, &rec) == KEFU_OK &&
	    db_crm_record_get(db, a, tenant_id, rec, &cr) == KEFU_OK && cr.fields) {
		json_object *fields = json_tokener_parse(cr.fields);
		if (json_object_is_type(fields, json_type_object)) {
			json_object_object_foreach(fields, k, val) json_object_object_add(vis, k, json_object_get(val));
		}
		json_object_put(fields);
	}
	if (v.name)
		json_object_object_add(vis, "name", json_object_new_string(v.name));
	if (v.page_url)
		json_object_object_add(vis, "page_url", json_object_new_string(v.page_url));
	if (v.locale)
		json_object_object_add(vis, "locale", json_object_new_string(v.locale));
	json_object_object_add(vis, "identified", json_object_new_boolean(v.identified));
	f->visitor = vis;
	if (v.account_id && db_crm_record_get(db, a, tenant_id, v.account_id, &cr) == KEFU_OK && cr.fields &&
	    (f->account = json_tokener_parse(cr.fields)) != NULL)
		arena_defer(a, put_json, f->account);
}

static bool conv_cond(json_object *cond, const struct conversation_row *c)
{
	json_object *f, *op, *value = NULL;
	json_object_object_get_ex(cond, "field", &f);
	json_object_object_get_ex(cond, "op", &op);
	json_object_object_get_ex(cond, "value", &value);
	const char *field = json_object_get_string(f) + strlen(CONV_PREFIX), *o = json_object_get_string(op);
	int64_t have = strcmp(field, "channel_id") == 0 ? c->channel_id
	               : strcmp(field, "group_id") == 0 ? c->group_id
	                                                : c->rule_id;
	if (strcmp(o, "exists") == 0)
		return (have != 0) == (value == NULL || json_object_get_boolean(value));
	if (strcmp(o, "in") == 0) {
		for (size_t i = 0; i < json_object_array_length(value); i++)
			if (json_object_get_int64(json_object_array_get_idx(value, i)) == have)
				return true;
		return false;
	}
	bool eq = have == json_object_get_int64(value);
	return strcmp(o, "eq") == 0 ? eq : !eq;
}

/* Whether the group's match holds; facts are built on first need. */
static bool matches(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object *match,
                    const struct conversation_row *c, struct cond_facts *facts, bool *have_facts)
{
	json_object *all;
	if (match == NULL || json_object_is_type(match, json_type_string) ||
	    !json_object_object_get_ex(match, "all", &all))
		return true;
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		json_object *cond = json_object_array_get_idx(all, i), *f;
		json_object_object_get_ex(cond, "field", &f);
		if (strncmp(json_object_get_string(f), CONV_PREFIX, strlen(CONV_PREFIX)) == 0) {
			if (!conv_cond(cond, c))
				return false;
			continue;
		}
		if (!*have_facts) {
			build_facts(db, a, tenant_id, c->visitor_id, c->prechat, facts);
			*have_facts = true;
		}
		if (!cond_eval(cond, facts))
			return false;
	}
	return true;
}

static json_object *group_json(int64_t id, const char *name, int64_t priority, bool with_priority)
{
	json_object *g = json_object_new_object();
	json_object_object_add(g, "id", json_id(id));
	json_object_object_add(g, "name", json_object_new_string(name));
	json_object_object_add(g, "priority", with_priority ? json_object_new_int64(priority) : NULL);
	json_object_object_add(g, "conversations", json_object_new_array());
	return g;
}

kefu_err conv_groups_arrange(struct kefu_db *db, kefu_arena *a, int64_t tenant_id,
                             const struct agent_conversation *rows, size_t n, json_object *convs,
                             const char *default_name, json_object **groups)
{
	struct cgroup_row *gs;
	size_t ng = 0;
	kefu_err e = rows_table_list(db, a, &db_cgroups, tenant_id, (void **)&gs, &ng);
	if (e != KEFU_OK) {
		json_object_put(convs);
		return e;
	}
	json_object *out = json_object_new_array();
	json_object **lists = arena_calloc(a, ng + 1, sizeof *lists),
	            **matches_ = arena_calloc(a, ng + 1, sizeof *matches_);
	for (size_t g = 0; g < ng; g++) {
		json_object *gj = group_json(gs[g].id, gs[g].name, gs[g].priority, true);
		json_object_object_get_ex(gj, "conversations", &lists[g]);
		json_object_array_add(out, gj);
		if ((matches_[g] = json_tokener_parse(gs[g].match)) != NULL)
			arena_defer(a, put_json, matches_[g]);
	}
	json_object *dj = group_json(0, default_name, 0, false);
	json_object_object_get_ex(dj, "conversations", &lists[ng]);
	json_object_array_add(out, dj);
	for (size_t i = 0; i < n; i++) {
		struct cond_facts facts;
		bool have = false;
		size_t g = 0;
		while (g < ng && !matches(db, a, tenant_id, matches_[g], &rows[i].c, &facts, &have))
			g++;
		json_object_array_add(lists[g], json_object_get(json_object_array_get_idx(convs, i)));
	}
	for (size_t g = 0; g <= ng; g++)
		json_object_object_add(json_object_array_get_idx(out, g), "count",
		                       json_object_new_int64((int64_t)json_object_array_length(lists[g])));
	json_object_put(convs);
	*groups = out;
	return KEFU_OK;
}

/* The store binding of the admin resource /admin/conversation-groups. */
static kefu_err row_check(const struct crud_ctx *c, json_object *in, const void *base, void *out)
{
	struct fault f = {0};
	kefu_err e = check_all(c->a, in, base, out, &f);
	if (e != KEFU_OK && c->fault)
		*c->fault = f;
	return e;
}

static json_object *row_audit(const void *row)
{
	return cgroup_json(row);
}

CRUD_ROWS(rows, db_cgroups, struct cgroup_row, .check = row_check, CRUD_FIELDS(cgroup_fields), .audit = row_audit);

const struct crud_ops cgroup_ops = {.audit_type = "conversation_group", .rows = &rows};
