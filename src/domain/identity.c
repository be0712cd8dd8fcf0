/* identity: identity_resolve (verify custom_params or a v2 token, auto-link) and identity_attach (the visitor's
 * WebImVisitorObj record). */
#include "domain/identity.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/hash.h"
#include "crypto/identity.h"
#include "crypto/jwt.h"
#include "domain/crm.h"
#include "domain/webhooks.h"
#include "store/store-crm.h"
#include "store/store-identity.h"
#include "store/store-ratelimit.h"
#include "store/store-visitors.h"

#define MAX_MATCH_FIELDS 5
#define MAX_ROLES        50

static void put_json(void *p)
{
	json_object_put(p);
}

static json_object *parse_array(kefu_arena *a, const char *text)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o == NULL || !json_object_is_type(o, json_type_array)) {
		json_object_put(o);
		o = json_object_new_array();
	}
	arena_defer(a, put_json, o);
	return o;
}

static const char *json_text(kefu_arena *a, json_object *o)
{
	return arena_strdup(a,
	                    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

bool identity_looks_like_jwt(const char *s)
{
	int dots = 0;
	size_t seg = 0;
	for (; *s; s++) {
		if (*s == '.') {
			if (seg == 0)
				return false;
			dots++;
			seg = 0;
		} else if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		           *s == '-' || *s == '_') {
			seg++;
		} else {
			return false;
		}
	}
	return dots == 2 && seg > 0;
}

kefu_err identity_check_fields(kefu_arena *a, json_object *identity, json_object *match_fields,
                               struct identity_result *out)
{
	if (!json_object_is_type(identity, json_type_object) || !json_object_is_type(match_fields, json_type_array) ||
	    json_object_array_length(match_fields) == 0)
		return KEFU_E_IDENTITY_INVALID;
	for (size_t i = 0; i < json_object_array_length(match_fields); i++) {
		json_object *v;
		const char *name = json_object_get_string(json_object_array_get_idx(match_fields, i));
		if (name == NULL || !json_object_object_get_ex(identity, name, &v))
			return KEFU_E_IDENTITY_INVALID;
		if (json_object_is_type(v, json_type_string)
		        ? json_object_get_string_len(v) == 0
		        : !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
			return KEFU_E_IDENTITY_INVALID;
	}
	json_object *roles, *name;
	out->roles = NULL;
	if (json_object_object_get_ex(identity, "roles", &roles)) {
		if (!json_object_is_type(roles, json_type_array) || json_object_array_length(roles) > MAX_ROLES)
			return KEFU_E_IDENTITY_INVALID;
		for (size_t i = 0; i < json_object_array_length(roles); i++) {
			json_object *r = json_object_array_get_idx(roles, i);
			if (!json_object_is_type(r, json_type_string) || json_object_get_string_len(r) < 1 ||
			    json_object_get_string_len(r) > 64)
				return KEFU_E_IDENTITY_INVALID;
		}
		out->roles = json_text(a, roles);
	}
	out->name = NULL;
	if ((json_object_object_get_ex(identity, "full_name", &name) && json_object_is_type(name, json_type_string)) ||
	    (json_object_object_get_ex(identity, "name", &name) && json_object_is_type(name, json_type_string))) {
		const char *s = json_object_get_string(name);
		/* visitors.name is VARCHAR(200): keep whole code points. */
		size_t n = strlen(s), cps = 0, i = 0;
		for (; i < n; i++)
			if (((unsigned char)s[i] & 0xC0) != 0x80 && ++cps > 200)
				break;
		out->name = arena_strndup(a, s, i);
	}
	return KEFU_OK;
}

const char *identity_roles_from_text(kefu_arena *a, const char *text)
{
	json_object *arr = json_object_new_array();
	arena_defer(a, put_json, arr);
	const char *p = text ? text : "";
	while (*p && json_object_array_length(arr) < MAX_ROLES) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		const char *s = p;
		while (*p && *p != ',')
			p++;
		const char *end = p;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > s && end - s <= 64)
			json_object_array_add(arr, json_object_new_string_len(s, (int)(end - s)));
	}
	return json_text(a, arr);
}

/* The identity's value of a field as text, or NULL. */
static const char *id_text(kefu_arena *a, json_object *identity, const char *name)
{
	json_object *v;
	if (!json_object_object_get_ex(identity, name, &v))
		return NULL;
	const char *t = crm_value_text(a, v);
	return t && *t ? t : NULL;
}

/* Filters from names (a JSON array) with the identity's values; false when one is missing. */
static bool filters_for(kefu_arena *a, json_object *identity, json_object *names, struct crm_kv *kv, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < json_object_array_length(names) && i < CRM_MAX_FILTERS; i++) {
		const char *f = json_object_get_string(json_object_array_get_idx(names, i));
		const char *v = f ? id_text(a, identity, f) : NULL;
		if (v == NULL)
			return false;
		kv[(*n)++] = (struct crm_kv){f, v};
	}
	return *n > 0;
}

static kefu_err auto_link(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const struct identity_settings_row *s,
                          struct identity_result *out)
{
	struct crm_kv kv[CRM_MAX_FILTERS];
	size_t n;
	out->contact_id = out->account_id = 0;
	if (!s->auto_link || !filters_for(a, out->identity, parse_array(a, s->contact_fields), kv, &n))
		return KEFU_OK;
	struct crm_record *rows;
	size_t rn;
	int64_t next;
	kefu_err e = crm_record_find(db, a, tenant_id, "ContactObj", kv, n, 0, 1, &rows, &rn, &next);
	if (e != KEFU_OK || rn == 0)
		return e;
	out->contact_id = rows[0].id;
	const char *acc = crm_record_text(a, &rows[0], "account_id");
	out->account_id = acc ? strtoll(acc, NULL, 10) : 0;
	if (out->roles == NULL) {
		const char *roles = crm_record_text(a, &rows[0], "roles");
		if (roles != NULL)
			out->roles = identity_roles_from_text(a, roles);
	}
	return KEFU_OK;
}

static kefu_err verify(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                       const char *channel_key, const char *custom, struct identity_result *out)
{
	struct identity_settings_row s;
	struct identity_key_row key;
	kefu_err e = db_identity_settings_get(db, a, tenant_id, channel_id, &s);
	if (e != KEFU_OK)
		return e;
	if (!s.enabled)
		return KEFU_E_IDENTITY_INVALID;
	/* Generating a key retires the previous one at once, so the live key is
	 * the only one that verifies anything; a v2 token names it by kid. */
	if ((e = db_identity_key_live(db, a, tenant_id, channel_id, &key)) != KEFU_OK)
		return e == KEFU_E_NOT_FOUND ? KEFU_E_IDENTITY_INVALID : e;
	json_object *identity = NULL;
	if (identity_looks_like_jwt(custom)) {
		char *kid = NULL, *jti = NULL;
		e = jwt_verify_identity(custom, key.secret, channel_key, time(NULL), &identity, &kid, &jti);
		if (e == KEFU_OK && strcmp(kid, key.kid) != 0)
			e = KEFU_E_IDENTITY_INVALID;
		char hash[65];
		if (e == KEFU_OK)
			crypto_sha256_hex(jti, strlen(jti), hash);
		free(kid);
		free(jti);
		if (e == KEFU_OK) {
			/* Kept as long as the token could still be valid. */
			e = db_identity_jti_use(db, channel_id, hash, JWT_MAX_LIFETIME + 2 * JWT_CLOCK_SKEW);
			if (e == KEFU_E_CONFLICT)
				e = KEFU_E_IDENTITY_INVALID;
		}
	} else if (s.require_v2) {
		e = KEFU_E_IDENTITY_INVALID;
	} else {
		e = identity_decrypt_legacy(key.secret, custom, &identity);
	}
	if (identity != NULL)
		arena_defer(a, put_json, identity);
	if (e != KEFU_OK)
		return e;
	out->identity = identity;
	out->match_fields = s.match_fields;
	if ((e = identity_check_fields(a, identity, parse_array(a, s.match_fields), out)) != KEFU_OK)
		return e;
	if ((e = auto_link(db, a, tenant_id, &s, out)) != KEFU_OK)
		return e;
	if (out->roles == NULL)
		out->roles = "[]";
	return KEFU_OK;
}

kefu_err identity_resolve(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                          const char *channel_key, const char *custom_params, const char *remote_addr,
                          struct identity_result *out, int *retry_after)
{
	const char *bucket =
	    arena_printf(a, "identity:%lld:%s", (long long)channel_id, remote_addr ? remote_addr : "-");
	memset(out, 0, sizeof *out);
	/* A failure's place is taken before the check and given back after a
	 * success, so concurrent failures cannot all pass a count made first. */
	bool ok = false;
	kefu_err e = db_ratelimit_take(db, a, bucket, IDENTITY_FAIL_WINDOW_S, IDENTITY_FAIL_MAX, &ok, retry_after);
	if (e != KEFU_OK)
		return e;
	if (!ok)
		return KEFU_E_RATE_LIMITED;
	e = verify(db, a, tenant_id, channel_id, channel_key, custom_params ? custom_params : "", out);
	if (e == KEFU_E_IDENTITY_INVALID) {
		memset(out, 0, sizeof *out);
		return e;
	}
	kefu_err g = db_ratelimit_release(db, bucket, IDENTITY_FAIL_WINDOW_S);
	return e != KEFU_OK ? e : g;
}

struct attach_ctx {
	kefu_arena *a;
	int64_t tenant_id, channel_id, visitor_id;
	const struct identity_result *id;
	bool *other_person;
};

static kefu_err attach_guest(struct kefu_db *db, struct attach_ctx *c)
{
	int64_t rec = 0;
	kefu_err e = db_crm_visitor_record(db, c->a, c->tenant_id, c->visitor_id, &rec);
	if (e != KEFU_E_NOT_FOUND)
		return e;
	json_object *f = json_object_new_object();
	arena_defer(c->a, put_json, f);
	json_object_object_add(f, "visitor_id", json_object_new_int64(c->visitor_id));
	json_object_object_add(f, "channel_id", json_object_new_int64(c->channel_id));
	bool created;
	e = crm_record_write(db, c->a, c->tenant_id, "WebImVisitorObj",
	                     arena_printf(c->a, "visitor-%lld", (long long)c->visitor_id), f, false, 0, &created, &rec);
	return e != KEFU_OK ? e : db_crm_visitor_record_set(db, c->tenant_id, c->visitor_id, rec);
}

/* The identity's keys that become the record's fields: names a field may
 * have, scalar values as text; never the ones kefu itself sets. */
static void merge_identity(kefu_arena *a, json_object *into, json_object *identity)
{
	static const char *const reserved[] = {"roles", "account_id", "contact_id", "visitor_id", "channel_id", NULL};
	json_object_object_foreach(identity, k, v)
	{
		bool skip = !crm_name_valid(k);
		for (size_t i = 0; !skip && reserved[i]; i++)
			skip = strcmp(reserved[i], k) == 0;
		const char *t = skip ? NULL : crm_value_text(a, v);
		if (t != NULL && strlen(t) <= CRM_TEXT_MAX)
			json_object_object_add(into, k, json_object_new_string(t));
	}
}

/* Records an identity's match values may find: one, unless a change of the
 * channel's match fields made several alike. */
#define MATCH_ROWS 10

/* The one of the n records the identity matched that is the identified
 * visitor's own, or NULL: the identity is another person's. */
static kefu_err own_record(struct kefu_db *db, struct attach_ctx *c, const struct crm_record *rows, size_t n,
                           const struct crm_record **own)
{
	int64_t mine = 0;
	*own = NULL;
	kefu_err e = db_crm_visitor_record(db, c->a, c->tenant_id, c->visitor_id, &mine);
	if (e != KEFU_OK)
		return e == KEFU_E_NOT_FOUND ? KEFU_OK : e;
	for (size_t i = 0; i < n && *own == NULL; i++)
		if (rows[i].id == mine)
			*own = &rows[i];
	return KEFU_OK;
}

static kefu_err attach_tx(struct kefu_db *db, void *p)
{
	struct attach_ctx *c = p;
	*c->other_person = false; /* db_tx may run this again */
	/* Locked first: two registrations of one token decide one after the other. */
	struct visitor_row vis;
	kefu_err e = db_visitor_lock(db, c->a, c->tenant_id, c->visitor_id, &vis);
	if (e != KEFU_OK)
		return e;
	if (c->id == NULL) {
		/* An identified visitor with no identity now: the site's customer
		 * logged out, and whoever uses the browser next is not them. */
		if (vis.identified) {
			*c->other_person = true;
			return KEFU_OK;
		}
		return attach_guest(db, c);
	}
	const struct identity_result *id = c->id;
	struct crm_kv kv[CRM_MAX_FILTERS];
	size_t n;
	json_object *names = parse_array(c->a, id->match_fields);
	if (!filters_for(c->a, id->identity, names, kv, &n))
		return KEFU_E_IDENTITY_INVALID; /* identity_resolve checked them: unreachable */
	struct crm_record *rows;
	size_t rn;
	int64_t next, rec = 0;
	e = crm_record_find(db, c->a, c->tenant_id, "WebImVisitorObj", kv, n, 0, MATCH_ROWS, &rows, &rn, &next);
	if (e != KEFU_OK)
		return e;
	const struct crm_record *match = rn > 0 ? &rows[0] : NULL;
	if (vis.identified) {
		/* Bound to one person: the record its identity matched, on which it
		 * stays. A guest may become anyone and keeps its conversations. */
		if ((e = own_record(db, c, rows, rn, &match)) != KEFU_OK)
			return e;
		if (match == NULL) {
			*c->other_person = true;
			return KEFU_OK;
		}
	}
	json_object *fields = json_object_new_object();
	arena_defer(c->a, put_json, fields);
	const char *ext;
	if (match != NULL) {
		json_object *old = crm_record_fields(c->a, match);
		json_object_object_foreach(old, k, v) json_object_object_add(fields, k, json_object_get(v));
		ext = match->external_id;
	} else {
		/* Named after the match values, so two first visits at once make one record. */
		char *joined = "";
		for (size_t i = 0; i < n; i++)
			joined = arena_printf(c->a, "%s%s\x1f", joined, kv[i].value);
		char hash[65];
		crypto_sha256_hex(joined, strlen(joined), hash);
		ext = arena_printf(c->a, "identity-%.40s", hash);
	}
	merge_identity(c->a, fields, id->identity);
	if (id->contact_id)
		json_object_object_add(fields, "contact_id", json_object_new_int64(id->contact_id));
	if (id->account_id)
		json_object_object_add(fields, "account_id", json_object_new_int64(id->account_id));
	bool created;
	e = crm_record_write(db, c->a, c->tenant_id, "WebImVisitorObj", ext, fields, false, 0, &created, &rec);
	if (e == KEFU_OK)
		e = db_crm_visitor_record_set(db, c->tenant_id, c->visitor_id, rec);
	if (e == KEFU_OK)
		e = db_visitor_set_identity(db, c->tenant_id, c->visitor_id, id->name, id->roles, id->contact_id,
		                            id->account_id);
	if (e == KEFU_OK)
		e = webhook_visitor_identified(db, c->tenant_id, c->visitor_id, c->channel_id, rec, id->name,
		                               id->contact_id, id->account_id); /* webhooks: same tx */
	return e;
}

kefu_err identity_attach(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, int64_t visitor_id,
                         const struct identity_result *id, bool *other_person)
{
	struct attach_ctx c = {a, tenant_id, channel_id, visitor_id, id, other_person};
	return db_tx(db, attach_tx, &c);
}

kefu_err visitor_identified(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, bool *out)
{
	struct visitor_row v;
	kefu_err e = db_visitor_get(db, a, tenant_id, visitor_id, &v);
	if (e == KEFU_OK)
		*out = v.identified;
	return e;
}

struct link_ctx {
	kefu_arena *a;
	int64_t tenant_id, visitor_id, contact_id, account_id;
};

static kefu_err link_tx(struct kefu_db *db, void *p)
{
	struct link_ctx *c = p;
	kefu_err e = db_visitor_set_link(db, c->tenant_id, c->visitor_id, c->contact_id, c->account_id);
	int64_t rid = 0;
	if (e == KEFU_OK)
		e = db_crm_visitor_record(db, c->a, c->tenant_id, c->visitor_id, &rid);
	if (e == KEFU_E_NOT_FOUND)
		return KEFU_OK; /* a visitor from before the CRM store: the row is enough */
	struct crm_record rec;
	if (e == KEFU_OK)
		e = db_crm_record_get(db, c->a, c->tenant_id, rid, &rec);
	if (e != KEFU_OK)
		return e;
	json_object *fields = crm_record_fields(c->a, &rec);
	json_object_object_add(fields, "contact_id", json_object_new_int64(c->contact_id));
	if (c->account_id)
		json_object_object_add(fields, "account_id", json_object_new_int64(c->account_id));
	else
		json_object_object_del(fields, "account_id");
	bool created;
	return crm_record_write(db, c->a, c->tenant_id, rec.object, rec.external_id, fields, false, 0, &created, &rid);
}

kefu_err identity_link_contact(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                               int64_t contact_id, int64_t *account_id)
{
	struct crm_record contact;
	kefu_err e = db_crm_record_get(db, a, tenant_id, contact_id, &contact);
	if (e != KEFU_OK)
		return e;
	if (strcmp(contact.object, "ContactObj") != 0)
		return KEFU_E_NOT_FOUND;
	const char *acc = crm_record_text(a, &contact, "account_id");
	struct link_ctx c = {a, tenant_id, visitor_id, contact_id, acc ? strtoll(acc, NULL, 10) : 0};
	*account_id = c.account_id;
	return db_tx(db, link_tx, &c);
}
