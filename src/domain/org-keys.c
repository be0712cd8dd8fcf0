/* org-keys: API keys made in the console or the API: shown once, stored hashed, revocable, audited. */
#include "domain/org.h"

#include <stdlib.h>
#include <string.h>

#include "core/json-doc.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "store/store-apikeys.h"
#include "store/store-audit.h"
#include "store/store-rows.h"
#include "view/json.h"
#include "view/org-json.h"

struct org_key_in {
	const char *name;
	bool admin, crm, has_scopes;
};

/* {"name", "scopes": [...]}; create needs both, scopes non-empty. */
static kefu_err org_key_parse(kefu_arena *a, json_object *in, bool create, struct org_key_in *out, const char **bad)
{
	*out = (struct org_key_in){0};
	const char **scopes;
	size_t n;
	kefu_err e = jb_string(in, "name", create, 1, 200, &out->name, bad);
	if (e == KEFU_OK)
		e = jb_string_array(in, "scopes", create, 2, 1, 16, a, &scopes, &n, bad);
	if (e != KEFU_OK || scopes == NULL)
		return e;
	out->has_scopes = true;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(scopes[i], "admin") == 0)
			out->admin = true;
		else if (strcmp(scopes[i], "crm") == 0)
			out->crm = true;
		else
			n = 0;
	}
	if (n == 0) {
		*bad = "scopes";
		return KEFU_E_INVALID_FIELD;
	}
	return KEFU_OK;
}

/* The key's view (the before and after of its audit entries, the answers to its writes). */
static kefu_err key_view(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, json_object **out)
{
	struct api_key_row k;
	kefu_err e = rows_table_get(db, a, &db_apikeys, tenant_id, id, &k);
	if (e == KEFU_OK)
		*out = api_key_json(&k);
	return e;
}

struct key_tx {
	kefu_arena *a;
	const struct actor *who;
	const struct org_key_in *in;
	const char *prefix, *hash;
	int64_t id;
	const char *name;
};

static kefu_err create_tx(struct kefu_db *db, void *ctx)
{
	struct key_tx *t = ctx;
	kefu_err e =
	    db_apikey_create(db, t->who->tenant_id, t->in->name, t->prefix, t->hash, t->in->admin, t->in->crm, &t->id);
	json_object *after;
	if (e == KEFU_OK)
		e = key_view(db, t->a, t->who->tenant_id, t->id, &after);
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "after", after);
	return audit_record(db, t->who, "create", "api_key", t->id, sum);
}

/* *key (arena) is the only time the key is seen. */
static kefu_err org_key_create(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct org_key_in *in,
                               const char **key, json_object **view)
{
	char *token = crypto_token(32);
	if (token == NULL)
		return KEFU_E_INTERNAL;
	char *k = arena_printf(a, "kefu_%s", token);
	free(token);
	char hash[65];
	crypto_sha256_hex(k, strlen(k), hash);
	struct key_tx t = {.a = a, .who = who, .in = in, .prefix = arena_strndup(a, k, 12), .hash = hash};
	kefu_err e = db_tx(db, create_tx, &t);
	if (e == KEFU_OK)
		e = key_view(db, a, who->tenant_id, t.id, view);
	if (e == KEFU_OK)
		*key = k;
	return e;
}

static kefu_err rename_tx(struct kefu_db *db, void *ctx)
{
	struct key_tx *t = ctx;
	json_object *before, *after;
	kefu_err e = key_view(db, t->a, t->who->tenant_id, t->id, &before);
	if (e != KEFU_OK)
		return e;
	e = db_apikey_rename(db, t->who->tenant_id, t->id, t->name);
	if (e == KEFU_OK)
		e = key_view(db, t->a, t->who->tenant_id, t->id, &after);
	if (e != KEFU_OK) {
		json_object_put(before);
		return e;
	}
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "before", before);
	json_object_object_add(sum, "after", after);
	return audit_record(db, t->who, "update", "api_key", t->id, sum);
}

static kefu_err org_key_rename(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t id, const char *name,
                               json_object **view)
{
	struct key_tx t = {.a = a, .who = who, .id = id, .name = name};
	kefu_err e = name ? db_tx(db, rename_tx, &t) : KEFU_OK;
	if (e == KEFU_OK)
		e = key_view(db, a, who->tenant_id, id, view);
	return e;
}

static kefu_err revoke_tx(struct kefu_db *db, void *ctx)
{
	struct key_tx *t = ctx;
	json_object *before;
	kefu_err e = key_view(db, t->a, t->who->tenant_id, t->id, &before);
	if (e != KEFU_OK)
		return e;
	e = db_apikey_revoke(db, t->who->tenant_id, t->id);
	if (e != KEFU_OK) {
		json_object_put(before);
		return e;
	}
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "before", before);
	return audit_record(db, t->who, "revoke", "api_key", t->id, sum);
}

static kefu_err org_key_revoke(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t id)
{
	struct key_tx t = {.a = a, .who = who, .id = id};
	return db_tx(db, revoke_tx, &t);
}

static kefu_err key_save(const struct crud_ctx *c, json_object *body, int64_t *id, json_object **view)
{
	struct org_key_in in;
	const char *bad = NULL, *key;
	kefu_err e = org_key_parse(c->a, body, *id == 0, &in, &bad);
	if (e != KEFU_OK)
		return fault_set(c->fault, e, bad, NULL);
	if (*id != 0)
		return in.has_scopes ? fault_set(c->fault, KEFU_E_INVALID_FIELD, "scopes",
		                                 "Scopes cannot change; make a new key.")
		                     : org_key_rename(c->db, c->a, c->who, *id, in.name, view);
	e = org_key_create(c->db, c->a, c->who, &in, &key, view);
	if (e == KEFU_OK)
		json_object_object_add(*view, "key", json_object_new_string(key));
	return e;
}

static kefu_err key_revoke(const struct crud_ctx *c, int64_t id)
{
	return org_key_revoke(c->db, c->a, c->who, id);
}

static json_object *row_view(const void *row, bool created)
{
	(void)created;
	return api_key_json(row);
}

/* Read as the store's table; created, renamed and revoked by the functions above. */
static const struct crud_rows rows = {.size = sizeof(struct api_key_row), .table = &db_apikeys, .view = row_view};

const struct crud_ops org_key_ops = {.audit_type = "api_key", .rows = &rows, .save = key_save, .remove = key_revoke};
