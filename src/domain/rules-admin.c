/* rules-admin: saving, deleting and listing assignment rules for the admin API and console (tenant checks, audit). */
#include <string.h>

#include "domain/rules.h"
#include "store/store-audit.h"
#include "store/store-channels.h"
#include "store/store-groups.h"
#include "store/store-queue.h"
#include "store/store-rules.h"
#include "view/json.h"

/* In assign.c: drain the rule's queues after its maximum went up. */
kefu_err assign_after_rule_change(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t rule_id);

kefu_err rule_view(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, json_object **out)
{
	struct rule_row row;
	struct rule r;
	kefu_err e = db_rule_get(db, a, tenant_id, id, &row);
	if (e == KEFU_OK)
		e = rule_from_text(a, row.id, tenant_id, row.doc, &r);
	if (e == KEFU_OK)
		*out = rule_json(&r);
	return e;
}

kefu_err rule_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out)
{
	struct rule_row *rows;
	size_t n;
	kefu_err e = db_rule_list(db, a, tenant_id, &rows, &n);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct rule r;
		if (rule_from_text(a, rows[i].id, tenant_id, rows[i].doc, &r) == KEFU_OK)
			json_object_array_add(items, rule_json(&r));
	}
	*out = json_items(items);
	return KEFU_OK;
}

struct save_tx {
	const struct crud_ctx *c;
	json_object *body;
	int64_t id;
	struct rule rule;
	json_object *before; /* stored document (PATCH), borrowed */
	int64_t old_max;
	struct fault faults; /* every field at fault */
};

/* Every group and channel the rule names must be the tenant's. */
static kefu_err check_refs(const struct crud_ctx *req, const struct rule *r, struct fault *fs)
{
	size_t before = fs->nall;
	int64_t *ids;
	const char **paths;
	size_t n = rule_group_refs(req->a, r, &ids, &paths);
	for (size_t i = 0; i < n; i++) {
		struct group_row g;
		kefu_err e = db_group_get(req->db, req->a, req->who->tenant_id, ids[i], &g);
		if (e == KEFU_E_NOT_FOUND) {
			fault_add(fs, req->a, paths[i], "no such group");
			continue;
		}
		if (e != KEFU_OK)
			return e;
	}
	for (size_t i = 0; i < r->nchannels; i++) {
		struct channel_row c;
		kefu_err e = db_channel_get(req->db, req->a, req->who->tenant_id, r->channel_ids[i], &c);
		if (e == KEFU_E_NOT_FOUND) {
			fault_add(fs, req->a, arena_printf(req->a, "channel_ids[%zu]", i), "no such channel");
			continue;
		}
		if (e != KEFU_OK)
			return e;
	}
	return fs->nall > before ? KEFU_E_INVALID_FIELD : KEFU_OK;
}

static kefu_err save_fn(struct kefu_db *db, void *ctx)
{
	struct save_tx *t = ctx;
	const struct crud_ctx *req = t->c;
	int64_t tenant = req->who->tenant_id;
	json_object *in = t->body;
	t->before = NULL;
	t->faults = (struct fault){0}; /* db_tx may run this again */
	if (t->id != 0) {
		struct rule_row row;
		struct rule old;
		kefu_err e = db_rule_get(db, req->a, tenant, t->id, &row);
		if (e == KEFU_OK)
			e = rule_from_text(req->a, row.id, tenant, row.doc, &old);
		if (e != KEFU_OK)
			return e;
		t->before = old.doc;
		t->old_max = old.max_concurrent;
		in = rule_merge(req->a, old.doc, t->body);
	}
	kefu_err e = rule_parse_all(req->a, in, &t->rule, &t->faults);
	if (e == KEFU_OK)
		e = check_refs(req, &t->rule, &t->faults);
	if (e != KEFU_OK)
		return e;
	struct rule_cols cols = {
	    .name = t->rule.name,
	    .priority = t->rule.priority,
	    .max_concurrent = t->rule.max_concurrent,
	    .require_identity = t->rule.require_identity,
	    .strategy = strategy_names[t->rule.strategy],
	    .doc = json_object_to_json_string_ext(t->rule.doc, JSON_C_TO_STRING_PLAIN),
	    .channel_ids = t->rule.channel_ids,
	    .nchannels = t->rule.nchannels,
	};
	if (t->id == 0)
		e = db_rule_create(db, tenant, &cols, &t->id);
	else
		e = db_rule_update(db, tenant, t->id, &cols);
	if (e != KEFU_OK)
		return e;
	t->rule.id = t->id;
	json_object *summary = json_object_new_object();
	if (t->before)
		json_object_object_add(summary, "before", json_object_get(t->before));
	json_object_object_add(summary, "after", json_object_get(t->rule.doc));
	e = audit_record(db, req->who, t->before ? "update" : "create", rule_ops.audit_type, t->id, summary);
	/* A raised maximum makes room: whoever waits under the rule is served now. */
	if (e == KEFU_OK && t->before && t->rule.max_concurrent > t->old_max)
		e = assign_after_rule_change(db, req->a, tenant, t->id);
	return e;
}

static void put_json(void *p)
{
	json_object_put(p);
}

kefu_err rule_save(const struct crud_ctx *c, json_object *body, int64_t *id, json_object **view)
{
	if (body == NULL) {
		body = json_object_new_object();
		arena_defer(c->a, put_json, body);
	}
	if (!json_object_is_type(body, json_type_object))
		return fault_set(c->fault, KEFU_E_INVALID_JSON, NULL, NULL);
	struct save_tx t = {.c = c, .body = body, .id = *id};
	kefu_err e = db_tx(c->db, save_fn, &t);
	if (e == KEFU_E_INVALID_FIELD && c->fault) {
		*c->fault = t.faults;
		return e;
	}
	if (e != KEFU_OK)
		return fault_set(c->fault, e, NULL, NULL);
	*id = t.id;
	*view = rule_json(&t.rule);
	return KEFU_OK;
}

struct delete_tx {
	const struct crud_ctx *c;
	int64_t id;
};

static kefu_err delete_fn(struct kefu_db *db, void *ctx)
{
	struct delete_tx *t = ctx;
	int64_t tenant = t->c->who->tenant_id;
	struct queue_key *keys;
	size_t n;
	struct rule_row row;
	kefu_err e = db_rule_get(db, t->c->a, tenant, t->id, &row);
	if (e == KEFU_OK)
		e = db_queue_keys(db, t->c->a, tenant, t->id, &keys, &n);
	if (e != KEFU_OK)
		return e;
	if (n > 0)
		return KEFU_E_CONFLICT; /* conversations wait under it: they would lose their queue */
	if ((e = db_rule_delete(db, tenant, t->id)) != KEFU_OK)
		return e;
	json_object *summary = json_object_new_object();
	json_object_object_add(summary, "before", json_tokener_parse(row.doc));
	return audit_record(db, t->c->who, "delete", rule_ops.audit_type, t->id, summary);
}

kefu_err rule_delete(const struct crud_ctx *c, int64_t id)
{
	struct delete_tx t = {c, id};
	kefu_err e = db_tx(c->db, delete_fn, &t);
	if (e == KEFU_E_CONFLICT)
		return fault_set(c->fault, e, NULL, "conversations are waiting in this rule's queues");
	return e;
}

const struct crud_ops rule_ops = {"rule", NULL, rule_list, rule_view, rule_save, rule_delete};
