/* api-widget-channels: the public widget API for a channel (settings, visitor registration) and the widget frame page.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/json-doc.h"
#include "core/utf8.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "domain/assign.h"
#include "domain/channels.h"
#include "domain/identity.h"
#include "domain/mail.h"
#include "domain/visitors.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"

/* Registrations per address per minute: generous (a whole office behind one
 * NAT opens pages, a returning visitor registers again on every page view),
 * but a script minting visitors by the thousand stops. */
#define VISITOR_MAX_ATTRIBUTES 50

/*
 * Where the allowed-origins rule is enforced, and why there.
 *
 * The widget's chat panel is an iframe served from kefu's own origin, so the
 * calls it makes are same-origin: their Origin header (sent on POSTs) is
 * kefu's, and says nothing about the site around it. Checking the Origin of
 * API calls therefore only protects against other sites' scripts calling the
 * API directly (a page's fetch() always carries its true Origin, which a
 * browser page cannot forge); that check is channel_origin_ok(), applied
 * here and for every AUTH_VISITOR route in http/auth.c.
 *
 * What keeps a foreign site from embedding the chat itself is the frame
 * page's CSP `frame-ancestors`, set to exactly the channel's allowed origins
 * (frame() below): the browser refuses to render the panel inside any other
 * page, whatever URL the page used. document.referrer and the page_url sent
 * at registration are claims the embedding page controls, so they are stored
 * for agents to see but never trusted for the decision. Scripts outside a
 * browser (curl) can send anything; for them the channel key is public and
 * the widget API grants only what any visitor gets.
 */
static kefu_err channel_for(struct kefu_req *r, struct channel_row *c)
{
	kefu_err e = channel_by_key(r->db, r->arena, r->params[0], c);
	if (e != KEFU_OK)
		return e;
	if (!channel_origin_ok(c->allowed_origins, r->app->conf.public_url, r->origin))
		return KEFU_E_ORIGIN;
	if (r->origin != NULL)
		r->cors_origin = r->origin;
	return KEFU_OK;
}

static json_object *stored(const char *text, json_type fallback)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o == NULL)
		o = fallback == json_type_array ? json_object_new_array() : json_object_new_object();
	return o;
}

static kefu_err channel(struct kefu_req *r)
{
	struct channel_row c;
	kefu_err e = channel_for(r, &c);
	bool online = false;
	if (e == KEFU_OK)
		e = channel_tenant_online(r->db, r->arena, c.tenant_id, &online);
	if (e != KEFU_OK)
		return e;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "key", json_object_new_string(c.key));
	json_object_object_add(o, "name", json_object_new_string(c.name));
	json_object_object_add(o, "style", stored(c.style, json_type_object));
	json_object_object_add(o, "prechat_fields", stored(c.prechat_fields, json_type_array));
	json_object_object_add(o, "online", json_object_new_boolean(online));
	/* visitor insight: the loader reports page views and holds the visitor poll only when on */
	json_object_object_add(o, "tracking", json_object_new_boolean(c.tracking));
	/* online (of the rule's groups), open_now, choice and leave_message: the rule's. */
	if ((e = assign_channel_view(r->db, r->arena, c.tenant_id, c.id, o)) != KEFU_OK) {
		json_object_put(o);
		return e;
	}
	return resp_json(r, 200, o);
}

/* attributes: an object of at most 50 keys (1..64 bytes) whose values are
 * strings (up to 1000 code points), numbers or booleans; stored as text. */
static kefu_err read_attributes(struct kefu_req *r, const char **out)
{
	json_object *v = NULL;
	*out = NULL;
	if (r->json == NULL || !json_object_object_get_ex(r->json, "attributes", &v) ||
	    json_object_is_type(v, json_type_null))
		return KEFU_OK;
	if (!json_object_is_type(v, json_type_object) || json_object_object_length(v) > VISITOR_MAX_ATTRIBUTES)
		return req_fail(r, KEFU_E_INVALID_FIELD, "attributes", NULL);
	json_object_object_foreach(v, k, val)
	{
		size_t kn = strlen(k);
		bool ok = kn >= 1 && kn <= 64 && utf8_valid(k, kn);
		switch (json_object_get_type(val)) {
		case json_type_string: {
			const char *s = json_object_get_string(val);
			size_t n = (size_t)json_object_get_string_len(val);
			ok = ok && strlen(s) == n && utf8_valid(s, n) && utf8_length(s, n) <= 1000;
			break;
		}
		case json_type_int:
		case json_type_double:
		case json_type_boolean: break;
		default: ok = false;
		}
		if (!ok)
			return req_fail(r, KEFU_E_INVALID_FIELD,
			                arena_printf(r->arena, "attributes.%s", kn <= 64 ? k : "?"), NULL);
	}
	*out = arena_strdup(r->arena,
	                    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	return KEFU_OK;
}

/* email: the identity's address an identified visitor may have the
 * transcript mailed to (the widget offers it), or NULL. */
static json_object *visitor_json(const struct visitor_row *v, const char *token, const char *email)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "visitor_id", json_object_new_int64(v->id));
	json_object_object_add(o, "visitor_token", json_object_new_string(token));
	json_object_object_add(o, "identified", json_object_new_boolean(v->identified));
	if (v->name != NULL)
		json_object_object_add(o, "name", json_object_new_string(v->name));
	json_object_object_add(o, "roles", stored(v->roles, json_type_array));
	if (email != NULL)
		json_object_object_add(o, "email", json_object_new_string(email));
	if (v->contact_id)
		json_object_object_add(o, "contact_id", json_object_new_int64(v->contact_id));
	if (v->account_id)
		json_object_object_add(o, "account_id", json_object_new_int64(v->account_id));
	return o;
}

static const char *address(struct kefu_req *r, const struct visitor_row *v)
{
	return v->identified ? mail_visitor_address(r->db, r->arena, v->tenant_id, v->id) : NULL;
}

static kefu_err throttle(struct kefu_req *r)
{
	return visitor_throttle(r->db, r->arena, r->remote_addr, r->app->conf.visitor_rate_limit, &r->retry_after);
}

static kefu_err register_visitor(struct kefu_req *r)
{
	struct channel_row c;
	kefu_err e = channel_for(r, &c);
	if (e != KEFU_OK)
		return e;
	if (r->json != NULL && !json_object_is_type(r->json, json_type_object))
		return KEFU_E_INVALID_JSON;
	const char *token = NULL, *custom = NULL, *bad = NULL;
	struct visitor_seen seen = {.user_agent = req_user_agent(r)};
	e = jb_string(r->json, "visitor_token", false, 1, 200, &token, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "custom_params", false, 0, 65536, &custom, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "page_url", false, 0, 2000, &seen.page_url, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "referrer", false, 0, 2000, &seen.referrer, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "locale", false, 0, 35, &seen.locale, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if ((e = read_attributes(r, &seen.attributes)) != KEFU_OK)
		return e;
	/* Identity (domain/identity.h): verified before anything is created. */
	struct identity_result idr;
	if (custom != NULL && (e = identity_resolve(r->db, r->arena, c.tenant_id, c.id, c.key, custom, r->remote_addr,
	                                            &idr, &r->retry_after)) != KEFU_OK)
		return e == KEFU_E_IDENTITY_INVALID ? req_fail(r, e, "custom_params", NULL) : e;
	if ((e = throttle(r)) != KEFU_OK)
		return e;

	struct visitor_row v;
	char hash[65];
	bool other_person = false;
	if (token != NULL) {
		crypto_sha256_hex(token, strlen(token), hash);
		e = visitor_by_token(r->db, r->arena, hash, &v);
		if (e == KEFU_OK && v.channel_id == c.id && v.tenant_id == c.tenant_id) {
			e = identity_attach(r->db, r->arena, c.tenant_id, c.id, v.id, custom ? &idr : NULL,
			                    &other_person);
			if (e != KEFU_OK)
				return e;
			if (!other_person) {
				e = visitor_touch(r->db, c.tenant_id, v.id, &seen);
				if (e == KEFU_OK)
					e = visitor_get(r->db, r->arena, c.tenant_id, v.id, &v);
				return e != KEFU_OK ? e : resp_json(r, 200, visitor_json(&v, token, address(r, &v)));
			}
		} else if (e != KEFU_OK && e != KEFU_E_NOT_FOUND) {
			return e;
		}
		/* Unknown, another channel's visitor, or a visitor identified as
		 * someone else than this identity (or none) says: a new visitor
		 * (docs/openapi.json), which reaches nothing of the one the token named. */
	}
	char *fresh = crypto_token(32);
	if (fresh == NULL)
		return KEFU_E_INTERNAL;
	const char *tok = arena_strdup(r->arena, fresh);
	free(fresh);
	crypto_sha256_hex(tok, strlen(tok), hash);
	int64_t id = 0;
	e = visitor_create(r->db, c.tenant_id, c.id, hash, &seen, &id);
	if (e == KEFU_OK)
		e = identity_attach(r->db, r->arena, c.tenant_id, c.id, id, custom ? &idr : NULL, &other_person);
	if (e == KEFU_OK)
		e = visitor_get(r->db, r->arena, c.tenant_id, id, &v);
	return e != KEFU_OK ? e : resp_json(r, 201, visitor_json(&v, tok, address(r, &v)));
}

/* Who the X-Visitor-Token is: lets the widget check a stored token without
 * registering again. */
static kefu_err me(struct kefu_req *r)
{
	struct visitor_row v;
	kefu_err e = visitor_get(r->db, r->arena, r->caller.tenant_id, r->caller.visitor_id, &v);
	if (e != KEFU_OK)
		return e;
	json_object *o = visitor_json(&v, r->visitor_token, address(r, &v));
	json_object_object_del(o, "visitor_token");
	return resp_json(r, 200, o);
}

/* The chat panel page. Served by the worker rather than as a static file so
 * that its CSP can carry this channel's frame-ancestors (see above). */
static kefu_err frame(struct kefu_req *r)
{
	struct channel_row c;
	kefu_err e = channel_by_key(r->db, r->arena, r->params[0], &c);
	if (e != KEFU_OK)
		return e;
	resp_header(r, "Content-Security-Policy",
	            arena_printf(r->arena,
	                         "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
	                         "script-src 'self'; connect-src 'self'; frame-src 'none'; object-src 'none'; "
	                         "base-uri 'none'; form-action 'none'; frame-ancestors %s",
	                         channel_frame_ancestors(r->arena, c.allowed_origins)));
	return resp_html(r, 200, "channels-frame", NULL);
}

const struct route api_widget_channels_routes[] = {
    {"GET", "/api/v1/widget/channels/{key}", channel, AUTH_NONE, BODY_NONE},
    {"POST", "/api/v1/widget/channels/{key}/visitors", register_visitor, AUTH_NONE, BODY_JSON},
    {"GET", "/api/v1/widget/visitor", me, AUTH_VISITOR, BODY_NONE},
    {"GET", "/widget/frame/{key}", frame, AUTH_NONE, BODY_NONE},
    ROUTES_END,
};
