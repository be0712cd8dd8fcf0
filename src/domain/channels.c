/* channels: validation and normalisation of web-channel settings, origin checks and the embed snippet. */
#include "domain/channels.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "core/utf8.h"
#include "crypto/random.h"
#include "store/store-audit.h"
#include "store/store-channels.h"
#include "view/json.h"
#include "view/mail.h"

static const char *const STYLES[] = {"bubble", "tab", "bar", NULL};
static const char *const ICONS[] = {"chat", "headset", "message", NULL};
static const char *const SIDES[] = {"right", "left", NULL};
static const char *const TYPES[] = {"text", "phone", "email", "select", NULL};

static const char *to_text(kefu_arena *a, json_object *o)
{
	const char *s =
	    arena_strdup(a, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

static kefu_err bad_at(const char **bad, const char *field)
{
	*bad = field;
	return KEFU_E_INVALID_FIELD;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* A string of min..max code points, valid UTF-8 (json-c already refused
 * broken bodies; strings built by hand may still hold NUL escapes). */
static bool text_ok(json_object *v, size_t min, size_t max)
{
	if (!json_object_is_type(v, json_type_string))
		return false;
	const char *s = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v);
	if (strlen(s) != n || !utf8_valid(s, n))
		return false;
	size_t cp = utf8_length(s, n);
	return cp >= min && cp <= max;
}

/* "host" of an origin: DNS labels (letters, digits, '-', '.') or an IPv6
 * literal in brackets. */
static bool host_ok(const char *h, size_t n)
{
	if (n == 0 || n > 253)
		return false;
	if (h[0] == '[') {
		if (n < 3 || h[n - 1] != ']')
			return false;
		for (size_t i = 1; i + 1 < n; i++)
			if (!isxdigit((unsigned char)h[i]) && h[i] != ':' && h[i] != '.')
				return false;
		return true;
	}
	if (h[0] == '.' || h[0] == '-' || h[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.')
			return false;
	return true;
}

/* Lowercased origin in arena a, or NULL when s is not "http(s)://host[:port]". */
static char *origin_norm(kefu_arena *a, const char *s)
{
	size_t n = strlen(s);
	if (n > 300)
		return NULL;
	char *o = arena_strdup(a, s);
	for (char *p = o; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	const char *rest;
	if (strncmp(o, "https://", 8) == 0)
		rest = o + 8;
	else if (strncmp(o, "http://", 7) == 0)
		rest = o + 7;
	else
		return NULL;
	const char *end = o + n;
	const char *colon = NULL;
	if (rest[0] == '[') {
		const char *rb = strchr(rest, ']');
		if (rb == NULL)
			return NULL;
		colon = rb[1] == ':' ? rb + 1 : NULL;
		if (rb[1] != '\0' && rb[1] != ':')
			return NULL;
	} else
		colon = strchr(rest, ':');
	const char *host_end = colon ? colon : end;
	if (!host_ok(rest, (size_t)(host_end - rest)))
		return NULL;
	if (colon) {
		const char *p = colon + 1;
		if (*p == '\0' || strlen(p) > 5)
			return NULL;
		for (const char *q = p; *q; q++)
			if (!isdigit((unsigned char)*q))
				return NULL;
		long port = strtol(p, NULL, 10);
		if (port < 1 || port > 65535 || *p == '0')
			return NULL;
	}
	return o;
}

/* An item of a settings array, item i of the body's: checked, then copied into res as stored. */
typedef kefu_err (*item_fn)(kefu_arena *a, json_object *it, size_t i, json_object *res, const char **bad);

/* The array v (NULL: none) of at most max items, each through item, as
 * stored text in *out; not an array, or too long, is field's fault. */
static kefu_err check_array(kefu_arena *a, json_object *v, size_t max, const char *field, item_fn item,
                            const char **out, const char **bad)
{
	json_object *res = json_object_new_array();
	if (v != NULL && (!json_object_is_type(v, json_type_array) || json_object_array_length(v) > max)) {
		json_object_put(res);
		return bad_at(bad, field);
	}
	for (size_t i = 0; v != NULL && i < json_object_array_length(v); i++) {
		kefu_err e = item(a, json_object_array_get_idx(v, i), i, res, bad);
		if (e != KEFU_OK) {
			json_object_put(res);
			return e;
		}
	}
	*out = to_text(a, res);
	return KEFU_OK;
}

/* One allowed origin, normalised; one already in res is not added again. */
static kefu_err origin_item(kefu_arena *a, json_object *it, size_t i, json_object *res, const char **bad)
{
	char *o = text_ok(it, 1, 300) ? origin_norm(a, json_object_get_string(it)) : NULL;
	if (o == NULL)
		return bad_at(bad, arena_printf(a, "allowed_origins.%zu", i));
	bool dup = false;
	for (size_t j = 0; j < json_object_array_length(res); j++)
		dup |= strcmp(json_object_get_string(json_object_array_get_idx(res, j)), o) == 0;
	if (!dup)
		json_object_array_add(res, json_object_new_string(o));
	return KEFU_OK;
}

kefu_err channel_check_origins(kefu_arena *a, json_object *v, const char **out, const char **bad)
{
	return check_array(a, v, CHANNEL_MAX_ORIGINS, "allowed_origins", origin_item, out, bad);
}

/* An icon URL the launcher may load: https only, no quotes, spaces or
 * angle brackets (it ends up in an attribute of the host page's DOM). */
static bool icon_url_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 9 || n > 500 || strncmp(s, "https://", 8) != 0)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '\'' || *p == '<' || *p == '>' || *p == '\\' ||
		    (unsigned char)*p >= 0x7f)
			return false;
	return true;
}

kefu_err channel_check_style(kefu_arena *a, json_object *v, const char *base, const char **out, const char **bad)
{
	if (v != NULL && !json_object_is_type(v, json_type_object))
		return bad_at(bad, "style");
	json_object *res = json_object_new_object();
	json_object_object_add(res, "theme_color", json_object_new_string("#1677ff"));
	json_object_object_add(res, "button_label", json_object_new_string("在线咨询"));
	json_object_object_add(res, "button_style", json_object_new_string("bubble"));
	json_object_object_add(res, "icon", json_object_new_string("chat"));
	json_object_object_add(res, "position", json_object_new_string("right"));
	json_object *old = base ? json_tokener_parse(base) : NULL;
	if (old != NULL && json_object_is_type(old, json_type_object)) {
		json_object_object_foreach(old, k, val)
		{
			if (json_object_object_get_ex(res, k, NULL))
				json_object_object_add(res, k, json_object_get(val));
		}
	}
	json_object_put(old);
	kefu_err e = KEFU_OK;
	if (v != NULL) {
		json_object_object_foreach(v, k, val)
		{
			const char *s = json_object_is_type(val, json_type_string) ? json_object_get_string(val) : NULL;
			bool ok;
			if (strcmp(k, "theme_color") == 0)
				ok = s && text_is_color(s);
			else if (strcmp(k, "button_label") == 0)
				ok = text_ok(val, 1, 20);
			else if (strcmp(k, "button_style") == 0)
				ok = s && in_list(s, STYLES);
			else if (strcmp(k, "icon") == 0)
				ok = s && (in_list(s, ICONS) || icon_url_ok(s));
			else if (strcmp(k, "position") == 0)
				ok = s && in_list(s, SIDES);
			else
				ok = false;
			if (!ok) {
				e = bad_at(bad, arena_printf(a, "style.%s", k));
				break;
			}
			/* Colours are stored lowercase so the preview and the widget agree. */
			if (strcmp(k, "theme_color") == 0) {
				char *c = arena_strdup(a, s);
				for (char *p = c; *p; p++)
					*p = (char)tolower((unsigned char)*p);
				json_object_object_add(res, k, json_object_new_string(c));
			} else
				json_object_object_add(res, k, json_object_get(val));
		}
	}
	if (e != KEFU_OK) {
		json_object_put(res);
		return e;
	}
	*out = to_text(a, res);
	return KEFU_OK;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 32 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* One pre-chat field, copied into res with only the known keys. */
static kefu_err prechat_field(kefu_arena *a, json_object *f, size_t i, json_object *res, const char **bad)
{
	json_object *name, *label, *type, *options = NULL, *required = NULL;
	if (!json_object_is_type(f, json_type_object))
		return bad_at(bad, arena_printf(a, "prechat_fields.%zu", i));
	json_object_object_foreach(f, k, val)
	{
		(void)val;
		if (strcmp(k, "name") && strcmp(k, "label") && strcmp(k, "type") && strcmp(k, "options") &&
		    strcmp(k, "required"))
			return bad_at(bad, arena_printf(a, "prechat_fields.%zu.%s", i, k));
	}
	if (!json_object_object_get_ex(f, "name", &name) || !json_object_is_type(name, json_type_string) ||
	    !name_ok(json_object_get_string(name)))
		return bad_at(bad, arena_printf(a, "prechat_fields.%zu.name", i));
	for (size_t j = 0; j < json_object_array_length(res); j++) {
		json_object *other = json_object_object_get(json_object_array_get_idx(res, j), "name");
		if (strcmp(json_object_get_string(other), json_object_get_string(name)) == 0)
			return bad_at(bad, arena_printf(a, "prechat_fields.%zu.name", i));
	}
	if (!json_object_object_get_ex(f, "label", &label) || !text_ok(label, 1, 100))
		return bad_at(bad, arena_printf(a, "prechat_fields.%zu.label", i));
	if (!json_object_object_get_ex(f, "type", &type) || !json_object_is_type(type, json_type_string) ||
	    !in_list(json_object_get_string(type), TYPES))
		return bad_at(bad, arena_printf(a, "prechat_fields.%zu.type", i));
	bool select = strcmp(json_object_get_string(type), "select") == 0;
	json_object_object_get_ex(f, "options", &options);
	if (options != NULL && json_object_is_type(options, json_type_null))
		options = NULL;
	if (select) {
		size_t n =
		    options && json_object_is_type(options, json_type_array) ? json_object_array_length(options) : 0;
		if (n < 1 || n > 50)
			return bad_at(bad, arena_printf(a, "prechat_fields.%zu.options", i));
		for (size_t j = 0; j < n; j++)
			if (!text_ok(json_object_array_get_idx(options, j), 1, 100))
				return bad_at(bad, arena_printf(a, "prechat_fields.%zu.options", i));
	} else if (options != NULL)
		return bad_at(bad, arena_printf(a, "prechat_fields.%zu.options", i));
	json_object_object_get_ex(f, "required", &required);
	if (required != NULL && !json_object_is_type(required, json_type_null) &&
	    !json_object_is_type(required, json_type_boolean))
		return bad_at(bad, arena_printf(a, "prechat_fields.%zu.required", i));
	json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_get(name));
	json_object_object_add(o, "label", json_object_get(label));
	json_object_object_add(o, "type", json_object_get(type));
	if (select)
		json_object_object_add(o, "options", json_object_get(options));
	json_object_object_add(o, "required", json_object_new_boolean(required && json_object_get_boolean(required)));
	json_object_array_add(res, o);
	return KEFU_OK;
}

kefu_err channel_check_prechat(kefu_arena *a, json_object *v, const char **out, const char **bad)
{
	return check_array(a, v, CHANNEL_MAX_PRECHAT, "prechat_fields", prechat_field, out, bad);
}

/* The body's value for name: NULL when absent or JSON null. */
static json_object *field(json_object *body, const char *name)
{
	json_object *v = NULL;
	if (body != NULL && json_object_object_get_ex(body, name, &v) && json_object_is_type(v, json_type_null))
		v = NULL;
	return v;
}

kefu_err channel_read_settings_all(kefu_arena *a, json_object *b, const struct channel_settings *base,
                                   struct channel_settings *s, struct fault *fs)
{
	if (b != NULL && !json_object_is_type(b, json_type_object))
		return KEFU_E_INVALID_JSON;
	/* Each part is checked, so a form marks all that are wrong at once (the first fault inside a part). */
	const char *bad = NULL;
	size_t before = fs->nall;
	json_object *v = field(b, "name");
	if (v == NULL && base != NULL)
		s->name = base->name;
	else if (v == NULL || !text_ok(v, 1, 100))
		fault_add(fs, a, "name", "required, at most 100 characters");
	else
		s->name = json_object_get_string(v);
	v = field(b, "allowed_origins");
	if (v == NULL && base != NULL)
		s->origins = base->origins;
	else if (channel_check_origins(a, v, &s->origins, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "an origin is scheme://host[:port]");
	if (channel_check_style(a, field(b, "style"), base ? base->style : NULL, &s->style, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "not a valid style value");
	v = field(b, "prechat_fields");
	if (v == NULL && base != NULL)
		s->prechat = base->prechat;
	else if (channel_check_prechat(a, v, &s->prechat, &bad) != KEFU_OK)
		fault_add(fs, a, bad, "not a valid pre-chat field");
	/* The left-message address: absent keeps it, null clears it. */
	v = field(b, "notify_email");
	if (b != NULL && json_object_object_get_ex(b, "notify_email", NULL) && v == NULL)
		s->notify_email = NULL;
	else if (v == NULL)
		s->notify_email = base ? base->notify_email : NULL;
	else if (!json_object_is_type(v, json_type_string) || !mail_addr_ok(json_object_get_string(v)))
		fault_add(fs, a, "notify_email", "not an e-mail address");
	else
		s->notify_email = json_object_get_string(v);
	/* Visitor insight: absent keeps it. */
	s->tracking = base ? base->tracking : false;
	if ((v = field(b, "tracking")) != NULL) {
		if (!json_object_is_type(v, json_type_boolean))
			fault_add(fs, a, "tracking", "true or false");
		else
			s->tracking = json_object_get_boolean(v);
	}
	return fs->nall > before ? KEFU_E_INVALID_FIELD : KEFU_OK;
}

kefu_err channel_read_settings(kefu_arena *a, json_object *b, const struct channel_settings *base,
                               struct channel_settings *s, const char **bad)
{
	struct fault f = {0};
	kefu_err e = channel_read_settings_all(a, b, base, s, &f);
	*bad = f.field;
	return e;
}

struct channel_settings channel_settings_of(const struct channel_row *c)
{
	return (struct channel_settings){c->name,           c->allowed_origins, c->style,
	                                 c->prechat_fields, c->notify_email,    c->tracking};
}

bool channel_origin_allowed(const char *origins_json, const char *origin)
{
	json_object *list = origins_json ? json_tokener_parse(origins_json) : NULL;
	bool ok = false;
	if (list != NULL && json_object_is_type(list, json_type_array))
		for (size_t i = 0; i < json_object_array_length(list) && !ok; i++)
			ok = strcmp(json_object_get_string(json_object_array_get_idx(list, i)), origin) == 0;
	json_object_put(list);
	return ok;
}

bool channel_origin_ok(const char *origins_json, const char *public_url, const char *origin)
{
	if (origin == NULL)
		return true;
	if (public_url != NULL) {
		/* public_url's origin: scheme://host[:port] up to the first '/' after it. */
		const char *p = strstr(public_url, "://");
		size_t n = p ? strcspn(p + 3, "/") + (size_t)(p + 3 - public_url) : 0;
		if (n > 0 && strlen(origin) == n && strncasecmp(origin, public_url, n) == 0)
			return true;
	}
	return channel_origin_allowed(origins_json, origin);
}

const char *channel_frame_ancestors(kefu_arena *a, const char *origins_json)
{
	json_object *list = origins_json ? json_tokener_parse(origins_json) : NULL;
	char *out = "";
	if (list != NULL && json_object_is_type(list, json_type_array))
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			const char *o = json_object_get_string(json_object_array_get_idx(list, i));
			if (o == NULL || strpbrk(o, " ;,\r\n'\"") != NULL)
				continue;
			out = arena_printf(a, "%s%s%s", out, *out ? " " : "", o);
		}
	json_object_put(list);
	return *out ? out : "'none'";
}

struct save_ctx {
	const struct actor *who;
	int64_t id; /* the channel to update or delete; 0 to create */
	const char *name, *origins, *style, *prechat, *notify_email;
	bool tracking;
	bool deleting;
	int64_t created; /* out: the new channel's id (written on every try, so a retry overwrites it) */
};

static json_object *summary(const struct save_ctx *c)
{
	json_object *after = json_object_new_object(), *o = json_object_new_object();
	json_object_object_add(after, "name", json_object_new_string(c->name));
	json_object_object_add(after, "allowed_origins", json_tokener_parse(c->origins));
	json_object_object_add(after, "style", json_tokener_parse(c->style));
	json_object_object_add(after, "prechat_fields", json_tokener_parse(c->prechat));
	json_object_object_add(after, "notify_email", c->notify_email ? json_object_new_string(c->notify_email) : NULL);
	json_object_object_add(after, "tracking", json_object_new_boolean(c->tracking));
	json_object_object_add(o, "after", after);
	return o;
}

static kefu_err save_tx(struct kefu_db *db, void *arg)
{
	struct save_ctx *c = arg;
	int64_t tenant = c->who->tenant_id;
	if (c->deleting) {
		kefu_err e = db_channel_delete(db, tenant, c->id);
		return e != KEFU_OK ? e : audit_record(db, c->who, "delete", "channel", c->id, NULL);
	}
	if (c->id != 0) {
		kefu_err e =
		    db_channel_update(db, tenant, c->id, c->name, c->origins, c->style, c->prechat, c->notify_email);
		if (e == KEFU_OK)
			e = db_channel_set_tracking(db, tenant, c->id, c->tracking);
		return e != KEFU_OK ? e : audit_record(db, c->who, "update", "channel", c->id, summary(c));
	}
	/* 18 random bytes: 24 URL-safe characters, unguessable; a collision
	 * (duplicate key) tries a new one. */
	kefu_err e = KEFU_E_CONFLICT;
	int64_t id = 0;
	for (int tries = 0; tries < 3 && e == KEFU_E_CONFLICT; tries++) {
		char *key = crypto_token(18);
		if (key == NULL)
			return KEFU_E_INTERNAL;
		e = db_channel_create(db, tenant, key, c->name, c->origins, c->style, c->prechat, c->notify_email, &id);
		free(key);
	}
	if (e == KEFU_OK && c->tracking)
		e = db_channel_set_tracking(db, tenant, id, true);
	if (e != KEFU_OK)
		return e;
	c->created = id;
	return audit_record(db, c->who, "create", "channel", id, summary(c));
}

kefu_err channel_save(struct kefu_db *db, const struct actor *who, int64_t *id, const struct channel_settings *s)
{
	struct save_ctx c = {.who = who,
	                     .id = *id,
	                     .name = s->name,
	                     .origins = s->origins,
	                     .style = s->style,
	                     .prechat = s->prechat,
	                     .notify_email = s->notify_email,
	                     .tracking = s->tracking};
	kefu_err e = db_tx(db, save_tx, &c);
	if (e == KEFU_OK && *id == 0)
		*id = c.created;
	return e;
}

kefu_err channel_delete(struct kefu_db *db, const struct actor *who, int64_t id)
{
	struct save_ctx c = {.who = who, .id = id, .deleting = true};
	return db_tx(db, save_tx, &c);
}

kefu_err channel_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct channel_row *out)
{
	return db_channel_get(db, a, tenant_id, id, out);
}

kefu_err channel_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct channel_row **rows, size_t *n)
{
	return db_channel_list(db, a, tenant_id, rows, n);
}

kefu_err channel_by_key(struct kefu_db *db, kefu_arena *a, const char *key, struct channel_row *out)
{
	return db_channel_by_key(db, a, key, out);
}

kefu_err channel_tenant_online(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, bool *online)
{
	return db_channel_tenant_online(db, a, tenant_id, online);
}

static const struct json_field channel_fields[] = {
    JSON_FIELD(struct channel_row, id, I64),           JSON_FIELD(struct channel_row, key, STR),
    JSON_FIELD(struct channel_row, name, STR),         JSON_FIELD(struct channel_row, allowed_origins, ARRAY),
    JSON_FIELD(struct channel_row, style, OBJECT),     JSON_FIELD(struct channel_row, prechat_fields, ARRAY),
    JSON_FIELD(struct channel_row, notify_email, STR), JSON_FIELD(struct channel_row, tracking, BOOL),
    JSON_FIELD(struct channel_row, created_at, TIME),  JSON_FIELD(struct channel_row, updated_at, TIME),
};

json_object *channel_json(const struct channel_row *c)
{
	return JSON_VIEW(c, channel_fields);
}

/* ---- the admin resource ---- */

static kefu_err ops_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out)
{
	struct channel_row *rows;
	size_t n;
	kefu_err e = channel_list(db, a, tenant_id, &rows, &n);
	if (e != KEFU_OK)
		return e;
	*out = json_items(JSON_ROWS(rows, n, channel_fields));
	return KEFU_OK;
}

static kefu_err ops_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, json_object **out)
{
	struct channel_row c;
	kefu_err e = channel_get(db, a, tenant_id, id, &c);
	if (e == KEFU_OK)
		*out = channel_json(&c);
	return e;
}

/* A POST (*id 0) or PATCH body over the stored channel: what it leaves out stays. */
static kefu_err ops_save(const struct crud_ctx *c, json_object *body, int64_t *id, json_object **view)
{
	struct channel_row row;
	struct channel_settings base, s;
	kefu_err e = KEFU_OK;
	if (*id != 0 && (e = channel_get(c->db, c->a, c->who->tenant_id, *id, &row)) == KEFU_OK)
		base = channel_settings_of(&row);
	if (e == KEFU_OK)
		e = channel_read_settings_all(c->a, body, *id != 0 ? &base : NULL, &s, c->fault);
	if (e == KEFU_OK)
		e = channel_save(c->db, c->who, id, &s);
	return e != KEFU_OK ? e : ops_get(c->db, c->a, c->who->tenant_id, *id, view);
}

static kefu_err ops_remove(const struct crud_ctx *c, int64_t id)
{
	return channel_delete(c->db, c->who, id);
}

const struct crud_ops channel_ops = {"channel", NULL, ops_list, ops_get, ops_save, ops_remove};
