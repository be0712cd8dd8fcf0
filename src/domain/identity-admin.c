/* identity-admin: identity settings and key generations for admins: one validation and audit path for the API and the
 * console. */
#include "domain/identity-admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json-doc.h"
#include "crypto/identity.h"
#include "domain/crm.h"
#include "store/store-audit.h"
#include "view/json.h"

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

const char *identity_key_masked(kefu_arena *a, const char *key)
{
	if (key == NULL)
		return NULL;
	size_t n = strlen(key);
	if (n < 12)
		return "…";
	return arena_printf(a, "%.4s…%s", key, key + n - 4);
}

kefu_err identity_document(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, json_object **out)
{
	struct identity_settings_row s;
	struct identity_key_row k;
	kefu_err e = db_identity_settings_get(db, a, tenant_id, channel_id, &s);
	if (e != KEFU_OK)
		return e;
	e = db_identity_key_live(db, a, tenant_id, channel_id, &k);
	if (e != KEFU_OK && e != KEFU_E_NOT_FOUND)
		return e;
	bool has = e == KEFU_OK;
	json_object *o = json_object_new_object(), *al = json_object_new_object();
	json_object_object_add(o, "channel_id", json_object_new_int64(channel_id));
	json_object_object_add(o, "enabled", json_object_new_boolean(s.enabled));
	json_object_object_add(o, "has_key", json_object_new_boolean(has));
	json_object_object_add(o, "key_masked", has ? json_object_new_string(identity_key_masked(a, k.secret)) : NULL);
	json_object_object_add(o, "kid", has ? json_object_new_string(k.kid) : NULL);
	/* The AES size of the live key, from its base64 length (16, 24 or 32 bytes). */
	size_t klen = has ? strlen(k.secret) : 0;
	json_object_object_add(o, "key_bits",
	                       klen == 24   ? json_object_new_int(128)
	                       : klen == 32 ? json_object_new_int(192)
	                       : klen == 44 ? json_object_new_int(256)
	                                    : NULL);
	json_object_object_add(o, "key_created_at", has ? json_time(k.created_at) : NULL);
	json_object_object_add(o, "match_fields", json_object_get(parsed(a, s.match_fields)));
	json_object_object_add(al, "enabled", json_object_new_boolean(s.auto_link));
	json_object_object_add(al, "contact_fields", json_object_get(parsed(a, s.contact_fields)));
	json_object_object_add(o, "auto_link", al);
	json_object_object_add(o, "require_v2", json_object_new_boolean(s.require_v2));
	*out = o;
	return KEFU_OK;
}

/* An array of 1..IDENTITY_MAX_NAMES distinct field names (0.. when may_be_empty), as normalised JSON text. */
static kefu_err names(kefu_arena *a, json_object *obj, const char *name, const char *field, bool may_be_empty,
                      const char **out, struct fault *f)
{
	const char **items, *bad = NULL;
	size_t n;
	kefu_err e = jb_string_array(obj, name, false, IDENTITY_MAX_NAMES, 1, 64, a, &items, &n, &bad);
	if (e != KEFU_OK)
		return fault_set(f, e, field, NULL);
	if (items == NULL)
		return KEFU_OK;
	if (n == 0 && !may_be_empty)
		return fault_set(f, KEFU_E_INVALID_FIELD, field, "at least one field");
	json_object *arr = json_object_new_array();
	arena_defer(a, put_json, arr);
	for (size_t i = 0; i < n; i++) {
		if (!crm_name_valid(items[i]))
			return fault_set(f, KEFU_E_INVALID_FIELD, field, "a field name is [a-z][a-z0-9_]{0,63}");
		for (size_t j = 0; j < i; j++)
			if (strcmp(items[i], items[j]) == 0)
				return fault_set(f, KEFU_E_INVALID_FIELD, field, "a field is named twice");
		json_object_array_add(arr, json_object_new_string(items[i]));
	}
	*out = arena_strdup(a, json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
	return KEFU_OK;
}

kefu_err identity_settings_check(kefu_arena *a, json_object *body, const struct identity_settings_row *before,
                                 struct identity_settings_row *after, struct fault *f)
{
	if (body != NULL && !json_object_is_type(body, json_type_object))
		return KEFU_E_INVALID_JSON;
	*after = *before;
	const char *bad = NULL;
	json_object *al = NULL;
	kefu_err e = jb_bool(body, "enabled", false, &after->enabled, NULL, &bad);
	if (e == KEFU_OK)
		e = jb_bool(body, "require_v2", false, &after->require_v2, NULL, &bad);
	if (e == KEFU_OK)
		e = jb_object(body, "auto_link", false, &al, &bad);
	if (e == KEFU_OK && al != NULL) {
		e = jb_bool(al, "enabled", false, &after->auto_link, NULL, &bad);
		if (e != KEFU_OK)
			bad = "auto_link.enabled";
	}
	if (e != KEFU_OK)
		return fault_set(f, e, bad, NULL);
	if ((e = names(a, body, "match_fields", "match_fields", false, &after->match_fields, f)) != KEFU_OK)
		return e;
	/* The contact fields matter only while auto-link is on: switched off, the list may be empty. */
	if (al != NULL && (e = names(a, al, "contact_fields", "auto_link.contact_fields", true, &after->contact_fields,
	                             f)) != KEFU_OK)
		return e;
	if (after->auto_link && (after->contact_fields == NULL || strcmp(after->contact_fields, "[]") == 0))
		return fault_set(f, KEFU_E_INVALID_FIELD, "auto_link.contact_fields",
		                 "auto-link needs at least one contact field");
	return KEFU_OK;
}

struct settings_ctx {
	const struct actor *who;
	int64_t channel_id;
	const struct identity_settings_row *before, *after;
};

static const struct json_field summary_fields[] = {
    JSON_FIELD(struct identity_settings_row, enabled, BOOL),
    JSON_FIELD(struct identity_settings_row, match_fields, STR),
    JSON_FIELD(struct identity_settings_row, auto_link, BOOL),
    JSON_FIELD(struct identity_settings_row, contact_fields, STR),
    JSON_FIELD(struct identity_settings_row, require_v2, BOOL),
};

static json_object *settings_summary(const struct identity_settings_row *s)
{
	return JSON_VIEW(s, summary_fields);
}

static kefu_err settings_tx(struct kefu_db *db, void *p)
{
	struct settings_ctx *c = p;
	kefu_err e = db_identity_settings_put(db, c->who->tenant_id, c->channel_id, c->after);
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "before", settings_summary(c->before));
	json_object_object_add(sum, "after", settings_summary(c->after));
	return audit_record(db, c->who, "update", "channel_identity", c->channel_id, sum);
}

kefu_err identity_settings_save(struct kefu_db *db, const struct actor *who, int64_t channel_id,
                                const struct identity_settings_row *before, const struct identity_settings_row *after)
{
	struct settings_ctx c = {.who = who, .channel_id = channel_id, .before = before, .after = after};
	return db_tx(db, settings_tx, &c);
}

/* The channel's key: created, taken or revealed in one transaction. */
struct key_ctx {
	kefu_arena *a;
	const struct actor *who;
	int64_t channel_id;
	const char *secret;
	struct identity_key_row *key;
	bool show_once; /* the console: the page it redirects to shows the key once */
};

static kefu_err key_tx(struct kefu_db *db, void *p)
{
	struct key_ctx *c = p;
	kefu_err e = db_identity_key_add(db, c->a, c->who->tenant_id, c->channel_id, c->secret, c->key);
	if (e == KEFU_OK && c->show_once && c->who->user_id)
		e = db_identity_key_show_once(db, c->who->tenant_id, c->key->id, c->who->user_id);
	if (e != KEFU_OK)
		return e;
	/* A channel's first key turns verification on: generating a key is how
	 * the console's page starts, and a key that verifies nothing would puzzle. */
	struct identity_settings_row s;
	e = db_identity_settings_get(db, c->a, c->who->tenant_id, c->channel_id, &s);
	if (e == KEFU_OK && !s.exists) {
		s.enabled = true;
		e = db_identity_settings_put(db, c->who->tenant_id, c->channel_id, &s);
	}
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "kid", json_object_new_string(c->key->kid));
	return audit_record(db, c->who, "generate_key", "channel_identity", c->channel_id, sum);
}

static kefu_err key_create(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id, int64_t bits,
                           bool show_once, struct identity_key_row *out, struct fault *f)
{
	if (bits != 128 && bits != 192 && bits != 256)
		return fault_set(f, KEFU_E_INVALID_FIELD, "bits", "128, 192 or 256");
	char *secret = identity_key_generate((int)bits);
	if (secret == NULL)
		return KEFU_E_INTERNAL;
	struct key_ctx c = {.a = a,
	                    .who = who,
	                    .channel_id = channel_id,
	                    .secret = arena_strdup(a, secret),
	                    .key = out,
	                    .show_once = show_once};
	free(secret);
	return db_tx(db, key_tx, &c);
}

kefu_err identity_key_create(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id,
                             int64_t bits, struct identity_key_row *out, struct fault *f)
{
	return key_create(db, a, who, channel_id, bits, false, out, f);
}

kefu_err identity_key_create_shown_once(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id,
                                        int64_t bits, struct fault *f)
{
	struct identity_key_row k;
	return key_create(db, a, who, channel_id, bits, true, &k, f);
}

static kefu_err take_tx(struct kefu_db *db, void *p)
{
	struct key_ctx *c = p;
	return db_identity_key_take_once(db, c->a, c->who->tenant_id, c->channel_id, c->who->user_id, c->key);
}

kefu_err identity_key_take_new(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id,
                               struct identity_key_row *out)
{
	if (who->user_id == 0)
		return KEFU_E_NOT_FOUND;
	struct key_ctx c = {.a = a, .who = who, .channel_id = channel_id, .key = out};
	return db_tx(db, take_tx, &c);
}

static kefu_err reveal_tx(struct kefu_db *db, void *p)
{
	struct key_ctx *c = p;
	kefu_err e = db_identity_key_live(db, c->a, c->who->tenant_id, c->channel_id, c->key);
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "kid", json_object_new_string(c->key->kid));
	return audit_record(db, c->who, "reveal_key", "channel_identity", c->channel_id, sum);
}

kefu_err identity_key_reveal(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id,
                             struct identity_key_row *out)
{
	struct key_ctx c = {.a = a, .who = who, .channel_id = channel_id, .key = out};
	return db_tx(db, reveal_tx, &c);
}

kefu_err identity_settings_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                               struct identity_settings_row *out)
{
	return db_identity_settings_get(db, a, tenant_id, channel_id, out);
}
