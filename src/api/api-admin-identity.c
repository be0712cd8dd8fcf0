/* api-admin-identity: /api/v1/admin/channels/{id}/identity, a channel's identity key generations and verification settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "crypto/identity.h"
#include "domain/crm.h"
#include "http/app.h"
#include "http/json-body.h"
#include "http/response.h"
#include "http/router.h"
#include "store/store-audit.h"
#include "store/store-channels.h"
#include "store/store-identity.h"

#define MAX_NAMES 5

static void put_json(void *p)
{
	json_object_put(p);
}

static json_object *parsed(kefu_arena *a, const char *text)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o == NULL)
		o = json_object_new_array();
	arena_defer(a, put_json, o);
	return o;
}

/* "abcd…wxyz": enough to tell keys apart, never enough to use one. */
static json_object *masked(const char *key)
{
	if (key == NULL)
		return NULL;
	size_t n = strlen(key);
	char buf[32];
	if (n < 12)
		return json_object_new_string("…");
	snprintf(buf, sizeof buf, "%.4s…%s", key, key + n - 4);
	return json_object_new_string(buf);
}

static kefu_err document(struct kefu_req *r, int64_t channel_id, json_object **out)
{
	struct identity_settings_row s;
	struct identity_key_row k;
	kefu_err e = db_identity_settings_get(r->db, r->arena, r->caller.tenant_id, channel_id, &s);
	if (e != KEFU_OK)
		return e;
	e = db_identity_key_live(r->db, r->arena, r->caller.tenant_id, channel_id, &k);
	if (e != KEFU_OK && e != KEFU_E_NOT_FOUND)
		return e;
	bool has = e == KEFU_OK;
	json_object *o = json_object_new_object(), *al = json_object_new_object();
	json_object_object_add(o, "channel_id", json_object_new_int64(channel_id));
	json_object_object_add(o, "enabled", json_object_new_boolean(s.enabled));
	json_object_object_add(o, "has_key", json_object_new_boolean(has));
	json_object_object_add(o, "key_masked", has ? masked(k.secret) : NULL);
	json_object_object_add(o, "kid", has ? json_object_new_string(k.kid) : NULL);
	json_object_object_add(o, "key_created_at", has ? json_time(k.created_at) : NULL);
	json_object_object_add(o, "match_fields", json_object_get(parsed(r->arena, s.match_fields)));
	json_object_object_add(al, "enabled", json_object_new_boolean(s.auto_link));
	json_object_object_add(al, "contact_fields", json_object_get(parsed(r->arena, s.contact_fields)));
	json_object_object_add(o, "auto_link", al);
	json_object_object_add(o, "require_v2", json_object_new_boolean(s.require_v2));
	*out = o;
	return KEFU_OK;
}

static kefu_err channel_ok(struct kefu_req *r)
{
	struct channel_row c;
	return db_channel_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &c);
}

static kefu_err get_settings(struct kefu_req *r)
{
	json_object *o;
	kefu_err e = channel_ok(r);
	if (e == KEFU_OK)
		e = document(r, r->ids[0], &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

/* An array of 1..5 distinct field names, as normalised JSON text. */
static kefu_err names(struct kefu_req *r, json_object *obj, const char *name, const char *field, const char **out)
{
	const char **items, *bad = NULL;
	size_t n;
	kefu_err e = jb_string_array(obj, name, false, MAX_NAMES, 1, 64, r->arena, &items, &n, &bad);
	if (e != KEFU_OK || items == NULL) {
		if (e != KEFU_OK)
			return req_fail(r, e, field, NULL);
		return KEFU_OK;
	}
	if (n == 0)
		return req_fail(r, KEFU_E_INVALID_FIELD, field, "at least one field");
	json_object *arr = json_object_new_array();
	arena_defer(r->arena, put_json, arr);
	for (size_t i = 0; i < n; i++) {
		if (!crm_name_valid(items[i]))
			return req_fail(r, KEFU_E_INVALID_FIELD, field, "a field name is [a-z][a-z0-9_]{0,63}");
		for (size_t j = 0; j < i; j++)
			if (strcmp(items[i], items[j]) == 0)
				return req_fail(r, KEFU_E_INVALID_FIELD, field, "a field is named twice");
		json_object_array_add(arr, json_object_new_string(items[i]));
	}
	*out = arena_strdup(r->arena, json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
	return KEFU_OK;
}

struct patch_ctx {
	struct kefu_req *r;
	struct identity_settings_row before, after;
};

static json_object *settings_summary(const struct identity_settings_row *s)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "enabled", json_object_new_boolean(s->enabled));
	json_object_object_add(o, "match_fields", json_object_new_string(s->match_fields));
	json_object_object_add(o, "auto_link", json_object_new_boolean(s->auto_link));
	json_object_object_add(o, "contact_fields", json_object_new_string(s->contact_fields));
	json_object_object_add(o, "require_v2", json_object_new_boolean(s->require_v2));
	return o;
}

static kefu_err patch_tx(struct kefu_db *db, void *p)
{
	struct patch_ctx *c = p;
	kefu_err e = db_identity_settings_put(db, c->r->caller.tenant_id, c->r->ids[0], &c->after);
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "before", settings_summary(&c->before));
	json_object_object_add(sum, "after", settings_summary(&c->after));
	return audit_record(c->r, "update", "channel_identity", c->r->ids[0], sum);
}

static kefu_err patch_settings(struct kefu_req *r)
{
	struct patch_ctx c = {.r = r};
	kefu_err e = channel_ok(r);
	if (e == KEFU_OK)
		e = db_identity_settings_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], &c.before);
	if (e != KEFU_OK)
		return e;
	if (r->json != NULL && !json_object_is_type(r->json, json_type_object))
		return KEFU_E_INVALID_JSON;
	c.after = c.before;
	const char *bad = NULL;
	json_object *al = NULL;
	e = jb_bool(r->json, "enabled", false, &c.after.enabled, NULL, &bad);
	if (e == KEFU_OK)
		e = jb_bool(r->json, "require_v2", false, &c.after.require_v2, NULL, &bad);
	if (e == KEFU_OK)
		e = jb_object(r->json, "auto_link", false, &al, &bad);
	if (e == KEFU_OK && al != NULL) {
		e = jb_bool(al, "enabled", false, &c.after.auto_link, NULL, &bad);
		if (e != KEFU_OK)
			bad = "auto_link.enabled";
	}
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if ((e = names(r, r->json, "match_fields", "match_fields", &c.after.match_fields)) != KEFU_OK)
		return e;
	if (al != NULL && (e = names(r, al, "contact_fields", "auto_link.contact_fields", &c.after.contact_fields)) !=
	                      KEFU_OK)
		return e;
	if ((e = db_tx(r->db, patch_tx, &c)) != KEFU_OK)
		return e;
	json_object *o;
	e = document(r, r->ids[0], &o);
	return e != KEFU_OK ? e : resp_json(r, 200, o);
}

struct key_ctx {
	struct kefu_req *r;
	const char *secret;
	struct identity_key_row key;
};

static kefu_err key_tx(struct kefu_db *db, void *p)
{
	struct key_ctx *c = p;
	struct kefu_req *r = c->r;
	kefu_err e = db_identity_key_add(db, r->arena, r->caller.tenant_id, r->ids[0], c->secret, &c->key);
	if (e != KEFU_OK)
		return e;
	/* A channel's first key turns verification on: generating a key is how
	 * the console's page starts, and a key that verifies nothing would puzzle. */
	struct identity_settings_row s;
	e = db_identity_settings_get(db, r->arena, r->caller.tenant_id, r->ids[0], &s);
	if (e == KEFU_OK && !s.exists) {
		s.enabled = true;
		e = db_identity_settings_put(db, r->caller.tenant_id, r->ids[0], &s);
	}
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "kid", json_object_new_string(c->key.kid));
	return audit_record(r, "generate_key", "channel_identity", r->ids[0], sum);
}

static kefu_err generate_key(struct kefu_req *r)
{
	kefu_err e = channel_ok(r);
	if (e != KEFU_OK)
		return e;
	if (r->json != NULL && !json_object_is_type(r->json, json_type_object))
		return KEFU_E_INVALID_JSON;
	int64_t bits = 128;
	const char *bad = NULL;
	e = jb_int64(r->json, "bits", false, 128, 256, &bits, NULL, &bad);
	if (e != KEFU_OK || (bits != 128 && bits != 192 && bits != 256))
		return req_fail(r, KEFU_E_INVALID_FIELD, "bits", "128, 192 or 256");
	char *secret = identity_key_generate((int)bits);
	if (secret == NULL)
		return KEFU_E_INTERNAL;
	struct key_ctx c = {.r = r, .secret = arena_strdup(r->arena, secret)};
	free(secret);
	if ((e = db_tx(r->db, key_tx, &c)) != KEFU_OK)
		return e;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "key", json_object_new_string(c.key.secret));
	json_object_object_add(o, "kid", json_object_new_string(c.key.kid));
	json_object_object_add(o, "bits", json_object_new_int64(bits));
	json_object_object_add(o, "created_at", json_time(c.key.created_at));
	return resp_json(r, 201, o);
}

struct reveal_ctx {
	struct kefu_req *r;
	struct identity_key_row key;
};

static kefu_err reveal_tx(struct kefu_db *db, void *p)
{
	struct reveal_ctx *c = p;
	kefu_err e = db_identity_key_live(db, c->r->arena, c->r->caller.tenant_id, c->r->ids[0], &c->key);
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "kid", json_object_new_string(c->key.kid));
	return audit_record(c->r, "reveal_key", "channel_identity", c->r->ids[0], sum);
}

/* Reveal: the audit row commits with the read, so no key leaves unrecorded. */
static kefu_err reveal_key(struct kefu_req *r)
{
	struct reveal_ctx c = {.r = r};
	kefu_err e = channel_ok(r);
	if (e == KEFU_OK)
		e = db_tx(r->db, reveal_tx, &c);
	if (e != KEFU_OK)
		return e;
	resp_header(r, "Cache-Control", "no-store");
	json_object *o = json_object_new_object();
	json_object_object_add(o, "key", json_object_new_string(c.key.secret));
	json_object_object_add(o, "kid", json_object_new_string(c.key.kid));
	json_object_object_add(o, "created_at", json_time(c.key.created_at));
	return resp_json(r, 200, o);
}

const struct route api_admin_identity_routes[] = {
	{"GET", "/api/v1/admin/channels/{id}/identity", get_settings, AUTH_ADMIN, BODY_NONE},
	{"PATCH", "/api/v1/admin/channels/{id}/identity", patch_settings, AUTH_ADMIN, BODY_JSON},
	{"POST", "/api/v1/admin/channels/{id}/identity/key", generate_key, AUTH_ADMIN, BODY_JSON},
	{"GET", "/api/v1/admin/channels/{id}/identity/key", reveal_key, AUTH_ADMIN, BODY_NONE},
	ROUTES_END,
};
