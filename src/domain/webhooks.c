/* webhooks: the events kefu reports to a tenant's CRM, their validation, bodies, signatures and retry schedule. */
#include "domain/webhooks.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/hash.h"
#include "crypto/random.h"
#include "core/json-doc.h"
#include "store/store-leave-messages.h"
#include "view/json.h"

const char *const webhook_events[] = {
    "conversation.created",
    "conversation.assigned",
    "conversation.closed",
    "leave_message.created",
    "visitor.identified",
    "visitor.erased",
    NULL,
};

static bool known_event(const char *s)
{
	for (size_t i = 0; webhook_events[i]; i++)
		if (strcmp(webhook_events[i], s) == 0)
			return true;
	return false;
}

kefu_err webhook_enqueue(struct kefu_db *db, int64_t tenant_id, const char *event, json_object *payload)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object *o = json_object_new_object();
	json_object_object_add(o, "event", json_object_new_string(event));
	json_object_object_add(o, "tenant_id", json_object_new_int64(tenant_id));
	json_object_object_add(o, "occurred_at", json_object_new_string(now));
	json_object_object_add(o, "data", payload ? json_object_get(payload) : json_object_new_object());
	/* The stored text is the exact body sent and signed, so every retry
	 * carries the same bytes and the same signature. */
	const char *body = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	kefu_err e = db_webhook_outbox_add(db, tenant_id, event, body, NULL);
	json_object_put(o);
	return e;
}

static json_object *conversation_agent(const void *row)
{
	const struct conversation_row *c = row;
	return json_named(c->agent_user_id, c->agent_name);
}

/* The "conversation" of a conversation event's payload. */
static const struct json_field conversation_fields[] = {
    JSON_FIELD(struct conversation_row, id, I64),         JSON_FIELD(struct conversation_row, status, STR),
    JSON_FIELD(struct conversation_row, channel_id, I64), JSON_FIELD(struct conversation_row, visitor_id, I64),
    JSON_FIELD_FN("agent", conversation_agent),           JSON_FIELD(struct conversation_row, group_id, ID),
    JSON_FIELD(struct conversation_row, prechat, PARSED), JSON_FIELD(struct conversation_row, created_at, TIME),
    JSON_FIELD(struct conversation_row, closed_at, TIME),
};

kefu_err webhook_conversation(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *event, int64_t id,
                              const struct conversation_row *c)
{
	struct conversation_row row;
	kefu_arena *own = NULL;
	if (c == NULL) {
		/* Callers deep in the assignment engine have no arena at hand. */
		if (a == NULL)
			a = own = arena_new();
		kefu_err e = db_conversation_get(db, a, tenant_id, id, false, &row);
		if (e != KEFU_OK) {
			if (own)
				arena_free(own);
			return e;
		}
		c = &row;
	}
	json_object *p = json_object_new_object();
	json_object_object_add(p, "conversation", JSON_VIEW(c, conversation_fields));
	kefu_err e = webhook_enqueue(db, tenant_id, event, p);
	json_object_put(p);
	if (own)
		arena_free(own);
	return e;
}

kefu_err webhook_visitor_identified(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int64_t channel_id,
                                    int64_t record_id, const char *name, int64_t contact_id, int64_t account_id)
{
	json_object *v = json_object_new_object();
	json_object_object_add(v, "id", json_object_new_int64(visitor_id));
	json_object_object_add(v, "channel_id", json_object_new_int64(channel_id));
	json_object_object_add(v, "name", name ? json_object_new_string(name) : NULL);
	json_object_object_add(v, "record_id", json_id(record_id));
	json_object_object_add(v, "contact_id", json_id(contact_id));
	json_object_object_add(v, "account_id", json_id(account_id));
	json_object *p = json_object_new_object();
	json_object_object_add(p, "visitor", v);
	kefu_err e = webhook_enqueue(db, tenant_id, "visitor.identified", p);
	json_object_put(p);
	return e;
}

int webhook_parse_url(kefu_arena *a, const char *url, struct webhook_url *out)
{
	const char *p;
	if (strncmp(url, "http://", 7) == 0) {
		out->tls = false;
		p = url + 7;
	} else if (strncmp(url, "https://", 8) == 0) {
		out->tls = true;
		p = url + 8;
	} else {
		return -1;
	}
	size_t hostport = strcspn(p, "/?#");
	if (hostport == 0 || memchr(p, '@', hostport) != NULL || strchr(p, '#') != NULL)
		return -1;
	const char *hp = arena_strndup(a, p, hostport), *colon;
	if (hp[0] == '[') {
		const char *close = strchr(hp, ']');
		if (close == NULL || close == hp + 1)
			return -1;
		out->host = arena_strndup(a, hp + 1, (size_t)(close - hp - 1));
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != '\0' && close[1] != ':')
			return -1;
	} else {
		colon = strchr(hp, ':');
		out->host = colon ? arena_strndup(a, hp, (size_t)(colon - hp)) : hp;
	}
	if (*out->host == '\0' ||
	    strspn(out->host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") != strlen(out->host))
		return -1;
	if (colon) {
		const char *port = colon + 1;
		size_t n = strlen(port);
		if (n == 0 || n > 5 || strspn(port, "0123456789") != n || atoi(port) < 1 || atoi(port) > 65535)
			return -1;
		out->port = port;
	} else {
		out->port = out->tls ? "443" : "80";
	}
	const char *rest = p + hostport;
	out->path = *rest == '\0' ? "/" : *rest == '?' ? arena_printf(a, "/%s", rest) : rest;
	/* The request line must stay one line of visible ASCII. */
	for (const char *q = out->path; *q; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
			return -1;
	return 0;
}

static kefu_err check_events(kefu_arena *a, json_object *in, const char **out, const char **bad)
{
	const char **names;
	size_t n;
	kefu_err e = jb_string_array(in, "events", false, 16, 1, 64, a, &names, &n, bad);
	if (e != KEFU_OK || names == NULL)
		return e;
	*bad = "events";
	if (n == 0)
		return KEFU_E_INVALID_FIELD;
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		if (!known_event(names[i]))
			return KEFU_E_INVALID_FIELD;
		len += strlen(names[i]) + 1;
	}
	char *s = arena_alloc(a, len + 1);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup = dup || strcmp(names[k], names[i]) == 0;
		if (dup)
			continue;
		if (s[0])
			strcat(s, ",");
		strcat(s, names[i]);
	}
	*out = s;
	*bad = NULL;
	return KEFU_OK;
}

kefu_err webhook_check(kefu_arena *a, json_object *in, const struct webhook_row *base, const struct egress_allow *allow,
                       struct webhook_row *out, const char **bad, const char **why)
{
	if (base)
		*out = *base;
	else
		*out = (struct webhook_row){.enabled = true};
	const char *url = NULL, *secret = NULL, *events = NULL;
	struct webhook_url u = {0};
	*why = NULL;
	kefu_err e = jb_string(in, "url", base == NULL, 8, 2000, &url, bad);
	if (e != KEFU_OK)
		return e;
	if (url) {
		if (webhook_parse_url(a, url, &u) != 0) {
			*bad = "url";
			return KEFU_E_INVALID_FIELD;
		}
		out->url = url;
	}
	if ((e = check_events(a, in, &events, bad)) != KEFU_OK)
		return e;
	if (events)
		out->events = events;
	else if (base == NULL) {
		*bad = "events";
		return KEFU_E_INVALID_FIELD;
	}
	if ((e = jb_string(in, "secret", false, 16, 200, &secret, bad)) != KEFU_OK)
		return e;
	if (secret) {
		for (const char *q = secret; *q; q++)
			if ((unsigned char)*q < 0x21 || (unsigned char)*q > 0x7e) {
				*bad = "secret";
				return KEFU_E_INVALID_FIELD;
			}
		out->secret = secret;
	} else if (base == NULL) {
		char *tok = crypto_token(24);
		if (tok == NULL)
			return KEFU_E_INTERNAL;
		out->secret = arena_strdup(a, tok);
		free(tok);
	}
	bool enabled = out->enabled;
	if ((e = jb_bool(in, "enabled", false, &enabled, NULL, bad)) != KEFU_OK)
		return e;
	out->enabled = enabled;
	/* Last, so a body wrong in any other way never costs a DNS lookup. */
	if (url && webhook_address_check(allow, &u) != 0) {
		*bad = "url";
		*why = "The URL's host must resolve to public addresses only (or be listed in the server's "
		       "webhook_allow_hosts).";
		return KEFU_E_INVALID_FIELD;
	}
	return KEFU_OK;
}

int webhook_address_check(const struct egress_allow *allow, const struct webhook_url *u)
{
	/* A name the operator listed is allowed whatever it resolves to, and
	 * perhaps only resolves where the sender runs. */
	if (egress_host_listed(allow, u->host))
		return 0;
	/* One message for a name that does not resolve and one that resolves
	 * inward, so a tenant cannot probe which internal names exist. */
	char err[160];
	return egress_resolve(allow, u->host, u->port, NULL, err, sizeof err) == EGRESS_OK ? 0 : -1;
}

json_object *webhook_json(const struct webhook_row *w, bool show_secret)
{
	json_object *o = json_object_new_object(), *ev = json_object_new_array();
	json_object_object_add(o, "id", json_object_new_int64(w->id));
	json_object_object_add(o, "url", json_object_new_string(w->url));
	const char *p = w->events;
	while (p && *p) {
		size_t n = strcspn(p, ",");
		json_object_array_add(ev, json_object_new_string_len(p, (int)n));
		p += n + (p[n] == ',');
	}
	json_object_object_add(o, "events", ev);
	json_object_object_add(o, "enabled", json_object_new_boolean(w->enabled));
	if (show_secret)
		json_object_object_add(o, "secret", json_object_new_string(w->secret));
	json_object_object_add(
	    o, "secret_hint",
	    json_object_new_string_len(w->secret, strlen(w->secret) < 4 ? (int)strlen(w->secret) : 4));
	json_object_object_add(o, "created_at", json_time(w->created_at));
	json_object_object_add(o, "updated_at", json_time(w->updated_at));
	return o;
}

/* When the next try is due: only a pending delivery has one. */
static json_object *next_attempt(const void *row)
{
	const struct webhook_delivery *d = row;
	return strcmp(d->status, "pending") == 0 ? json_time(d->next_attempt_at) : NULL;
}

static const struct json_field delivery_fields[] = {
    JSON_FIELD(struct webhook_delivery, id, I64),
    JSON_FIELD(struct webhook_delivery, webhook_id, I64),
    JSON_FIELD(struct webhook_delivery, event, STR),
    JSON_FIELD(struct webhook_delivery, status, STR),
    JSON_FIELD(struct webhook_delivery, attempts, I64),
    JSON_FIELD(struct webhook_delivery, last_status, ID), /* null: no answer yet */
    JSON_FIELD(struct webhook_delivery, last_error, STR),
    JSON_FIELD(struct webhook_delivery, created_at, TIME),
    JSON_FIELD(struct webhook_delivery, delivered_at, TIME),
    JSON_FIELD_FN("next_attempt_at", next_attempt),
};

json_object *webhook_delivery_json(const struct webhook_delivery *d)
{
	return JSON_VIEW(d, delivery_fields);
}

int webhook_sign(const char *secret, const char *body, size_t n, char out[72])
{
	char hex[65];
	if (crypto_hmac_sha256_hex(secret, strlen(secret), body, n, hex) != 0)
		return -1;
	memcpy(out, "sha256=", 7);
	memcpy(out + 7, hex, 65);
	return 0;
}

int64_t webhook_backoff_ms(int attempt, int64_t base_ms, int64_t cap_ms)
{
	int64_t d = base_ms;
	for (int i = 1; i < attempt && d < cap_ms; i++)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	uint32_t r = 0;
	crypto_random(&r, sizeof r);
	return d / 2 + (int64_t)(r % (uint32_t)(d / 2 + 1));
}

/* The store binding of the admin resource /admin/webhooks. */
static kefu_err row_check(const struct crud_ctx *c, json_object *in, const void *base, void *out)
{
	const char *bad = NULL, *why = NULL;
	kefu_err e = webhook_check(c->a, in, base, c->egress, out, &bad, &why);
	return e == KEFU_OK ? e : fault_set(c->fault, e, bad, why);
}

/* The secret is shown in full once, in the answer to its creation, like an API key. */
static json_object *row_view(const void *row, bool created)
{
	return webhook_json(row, created);
}

/* Never the secret: every admin reads the audit log. */
static json_object *row_audit(const void *row)
{
	const struct webhook_row *w = row;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "url", json_object_new_string(w->url));
	json_object_object_add(sum, "events", json_object_new_string(w->events));
	json_object_object_add(sum, "enabled", json_object_new_boolean(w->enabled));
	return sum;
}

CRUD_ROWS(rows, db_webhooks, struct webhook_row, .check = row_check, .view = row_view, .audit = row_audit);

const struct crud_ops webhook_ops = {.audit_type = "webhook", .rows = &rows};

static json_object *attempt_log(const struct webhook_attempt *at, size_t n)
{
	json_object *a = json_object_new_array();
	for (size_t k = 0; k < n; k++) {
		json_object *x = json_object_new_object();
		json_object_object_add(x, "attempt", json_object_new_int64(at[k].attempt));
		json_object_object_add(x, "status_code",
		                       at[k].status_code ? json_object_new_int64(at[k].status_code) : NULL);
		json_object_object_add(x, "error", at[k].error ? json_object_new_string(at[k].error) : NULL);
		json_object_object_add(x, "duration_ms", json_object_new_int64(at[k].duration_ms));
		json_object_object_add(x, "at", json_time(at[k].created_at));
		json_object_array_add(a, x);
	}
	return a;
}

kefu_err webhook_deliveries(const struct crud_ctx *c, int64_t hook_id, int64_t before, int64_t limit,
                            json_object **items)
{
	struct webhook_row w;
	kefu_err e = hook_id != 0 ? crud_row(c, &webhook_ops, hook_id, &w) : KEFU_OK;
	struct webhook_delivery *ds;
	size_t n;
	if (e == KEFU_OK)
		e = db_webhook_deliveries(c->db, c->a, c->who->tenant_id, hook_id, before, limit, &ds, &n);
	if (e != KEFU_OK)
		return e;
	json_object *out = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *d = webhook_delivery_json(&ds[i]);
		json_object_array_add(out, d);
		if (hook_id == 0)
			continue;
		struct webhook_attempt *at;
		size_t na;
		if ((e = db_webhook_attempts(c->db, c->a, c->who->tenant_id, ds[i].id, &at, &na)) != KEFU_OK) {
			json_object_put(out);
			return e;
		}
		json_object_object_add(d, "attempt_log", attempt_log(at, na));
	}
	*items = out;
	return KEFU_OK;
}
