/* page-channels: web channels in the console: the list, the settings form with a live widget preview, and the embed
 * snippet. */
#include <string.h>

#include "domain/channels.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"
#include "view/embed.h"

static json_object *parsed(const char *text)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	return o ? o : json_object_new_object();
}

static const char *style_get(json_object *style, const char *k, const char *def)
{
	json_object *v;
	return json_object_object_get_ex(style, k, &v) && json_object_is_type(v, json_type_string)
	           ? json_object_get_string(v)
	           : def;
}

/* The form's values as the template shows them, from stored settings. */
static json_object *form_view(struct kefu_req *r, const struct channel_settings *s)
{
	json_object *f = json_object_new_object(), *style = parsed(s->style), *origins = parsed(s->origins), *sel;
	page_keep(r, style); /* the request keeps them: strings below are borrowed */
	page_keep(r, origins);
	json_object_put(style);
	json_object_put(origins);
	char *text = arena_strdup(r->arena, "");
	if (json_object_is_type(origins, json_type_array))
		for (size_t i = 0; i < json_object_array_length(origins); i++)
			text = arena_printf(r->arena, "%s%s%s", text, i ? "\n" : "",
			                    json_object_get_string(json_object_array_get_idx(origins, i)));
	const char *icon = style_get(style, "icon", "chat");
	bool url = strncmp(icon, "https://", 8) == 0;
	json_object_object_add(f, "name", json_object_new_string(s->name ? s->name : ""));
	json_object_object_add(f, "origins", json_object_new_string(text));
	json_object_object_add(f, "theme_color", json_object_new_string(style_get(style, "theme_color", "#1677ff")));
	json_object_object_add(f, "button_label", json_object_new_string(style_get(style, "button_label", "")));
	json_object_object_add(f, "icon_url", json_object_new_string(url ? icon : ""));
	json_object_object_add(f, "prechat", json_object_new_string(s->prechat ? s->prechat : "[]"));
	json_object_object_add(f, "notify_email", json_object_new_string(s->notify_email ? s->notify_email : ""));
	json_object_object_add(f, "tracking", json_object_new_boolean(s->tracking));
	/* selected flags for the static <option>s: sel.<value> */
	sel = json_object_new_object();
	page_flag(sel, style_get(style, "button_style", "bubble"), true);
	page_flag(sel, url ? "chat" : icon, true);
	page_flag(sel, style_get(style, "position", "right"), true);
	json_object_object_add(f, "sel", sel);
	return f;
}

static kefu_err list(struct kefu_req *r)
{
	struct channel_row *rows;
	size_t n;
	kefu_err e = channel_list(r->db, r->arena, r->caller.tenant_id, &rows, &n);
	if (e != KEFU_OK)
		return page_fail(r, e);
	json_object *d = page_frame(r, "channels"), *items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_new_object(), *origins = parsed(rows[i].allowed_origins);
		json_object_object_add(c, "name", json_object_new_string(rows[i].name));
		json_object_object_add(c, "key", json_object_new_string(rows[i].key));
		json_object_object_add(
		    c, "href",
		    json_object_new_string(arena_printf(r->arena, "/console/channels/%lld", (long long)rows[i].id)));
		json_object_object_add(c, "origins", origins);
		json_object_array_add(items, c);
	}
	json_object_object_add(d, "channels", items);
	return page_render(r, "channels", d);
}

/* The form page: id 0 for a new channel; s the values to show; err the
 * failure of a POST being shown again (KEFU_OK otherwise). */
static kefu_err show_form(struct kefu_req *r, const struct channel_row *c, const struct channel_settings *s,
                          kefu_err err, const char *bad)
{
	json_object *d = page_frame(r, "channels");
	if (err != KEFU_OK) {
		/* One message per form control: origins and pre-chat rows are one control each. */
		static const char *const controls[] = {"allowed_origins", "prechat_fields", NULL};
		page_set_error(r, d, err, page_control(bad, "name", controls));
	}
	json_object_object_add(d, "form", form_view(r, s));
	if (c != NULL) {
		json_object *ch = json_object_new_object();
		json_object_object_add(ch, "id", json_object_new_int64(c->id));
		json_object_object_add(ch, "key", json_object_new_string(c->key));
		json_object_object_add(d, "channel", ch);
		json_object_object_add(
		    d, "embed", json_object_new_string(embed_snippet(r->arena, r->app->conf.public_url, c->key)));
		json_object_object_add(
		    d, "form_action",
		    json_object_new_string(arena_printf(r->arena, "/console/channels/%lld", (long long)c->id)));
		json_object_object_add(
		    d, "delete_action",
		    json_object_new_string(arena_printf(r->arena, "/console/channels/%lld/delete", (long long)c->id)));
		json_object_object_add(d, "triggers_href",
		                       json_object_new_string(arena_printf(r->arena, "/console/channels/%lld/triggers",
		                                                           (long long)c->id)));
		json_object_object_add(d, "identity_href",
		                       json_object_new_string(arena_printf(r->arena, "/console/channels/%lld/identity",
		                                                           (long long)c->id)));
	} else
		json_object_object_add(d, "form_action", json_object_new_string("/console/channels"));
	return page_render(r, "channels-form", d);
}

/* The POSTed form as the API's JSON body, so both go through one validator. */
static json_object *form_body(struct kefu_req *r)
{
	json_object *b = json_object_new_object(), *origins = json_object_new_array(),
	            *style = json_object_new_object();
	const char *name = page_field(r, "name");
	json_object_object_add(b, "name", json_object_new_string(name ? name : ""));
	const char *text = page_field(r, "allowed_origins");
	if (text != NULL) {
		char *copy = arena_strdup(r->arena, text), *save = NULL;
		for (char *tok = strtok_r(copy, " \t\r\n,", &save); tok; tok = strtok_r(NULL, " \t\r\n,", &save))
			json_object_array_add(origins, json_object_new_string(tok));
	}
	json_object_object_add(b, "allowed_origins", origins);
	static const char *const keys[] = {"theme_color", "button_label", "button_style", "position"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const char *v = page_field(r, keys[i]);
		json_object_object_add(style, keys[i], json_object_new_string(v ? v : ""));
	}
	const char *icon_url = page_field(r, "icon_url"), *icon = page_field(r, "icon");
	json_object_object_add(style, "icon", json_object_new_string(icon_url ? icon_url : icon ? icon : "chat"));
	json_object_object_add(b, "style", style);
	const char *pre = page_field(r, "prechat_fields");
	json_object *pf = pre ? json_tokener_parse(pre) : json_object_new_array();
	/* Unparseable text stays a string, which the validator refuses by name. */
	json_object_object_add(b, "prechat_fields", pf ? pf : json_object_new_string(pre));
	/* The address without surrounding blanks; an empty field clears it. */
	const char *mail = page_field(r, "notify_email");
	size_t skip = mail ? strspn(mail, " \t\r\n") : 0, len = mail ? strlen(mail + skip) : 0;
	while (len > 0 && strchr(" \t\r\n", mail[skip + len - 1]))
		len--;
	json_object_object_add(b, "notify_email",
	                       len ? json_object_new_string(arena_strndup(r->arena, mail + skip, len)) : NULL);
	/* A checkbox: sent when on. */
	json_object_object_add(b, "tracking", json_object_new_boolean(page_field(r, "tracking") != NULL));
	page_keep(r, b); /* the caller borrows it until the request ends */
	json_object_put(b);
	return b;
}

static kefu_err save(struct kefu_req *r, const struct channel_row *c)
{
	json_object *body = form_body(r);
	struct channel_settings s, old;
	struct fault f = {0};
	if (c != NULL)
		old = channel_settings_of(c);
	kefu_err e = channel_read_settings_all(r->arena, body, c ? &old : NULL, &s, &f);
	const char *bad = f.field;
	if (e == KEFU_E_INVALID_FIELD)
		req_fail_fault(r, e, &f); /* every part at fault, for page_set_error */
	int64_t id = c ? c->id : 0;
	if (e == KEFU_OK)
		e = channel_save(r->db, &r->actor, &id, &s);
	if (e == KEFU_OK)
		return resp_redirect(r, arena_printf(r->arena, "/console/channels/%lld?saved=1", (long long)id));
	if (e != KEFU_E_INVALID_FIELD)
		return page_fail(r, e);
	/* Show what was typed, not what is stored. */
	struct channel_settings typed = {
	    .name = json_object_get_string(json_object_object_get(body, "name")),
	    .origins = json_object_to_json_string(json_object_object_get(body, "allowed_origins")),
	    .style = json_object_to_json_string(json_object_object_get(body, "style")),
	    .prechat = page_field(r, "prechat_fields"),
	    .notify_email = page_field(r, "notify_email"),
	    .tracking = page_field(r, "tracking") != NULL,
	};
	return show_form(r, c, &typed, e, bad);
}

static kefu_err load(struct kefu_req *r, struct channel_row *c)
{
	return channel_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], c);
}

static kefu_err new_form(struct kefu_req *r)
{
	struct channel_settings s = {0};
	const char *bad;
	channel_read_settings(r->arena, NULL, &(struct channel_settings){"", "[]", NULL, "[]", NULL, false}, &s, &bad);
	s.name = "";
	return show_form(r, NULL, &s, KEFU_OK, NULL);
}

static kefu_err create(struct kefu_req *r)
{
	return save(r, NULL);
}

static kefu_err edit(struct kefu_req *r)
{
	struct channel_row c;
	kefu_err e = load(r, &c);
	if (e != KEFU_OK)
		return page_fail(r, e);
	struct channel_settings s = channel_settings_of(&c);
	return show_form(r, &c, &s, KEFU_OK, NULL);
}

static kefu_err update(struct kefu_req *r)
{
	struct channel_row c;
	kefu_err e = load(r, &c);
	return e != KEFU_OK ? page_fail(r, e) : save(r, &c);
}

static kefu_err destroy(struct kefu_req *r)
{
	kefu_err e = channel_delete(r->db, &r->actor, r->ids[0]);
	return e != KEFU_OK ? page_fail(r, e) : resp_redirect(r, "/console/channels?saved=1");
}

const struct route page_channels_routes[] = {
    {"GET", "/console/channels", list, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/channels", create, AUTH_PAGE_ADMIN, BODY_FORM},
    {"GET", "/console/channels/new", new_form, AUTH_PAGE_ADMIN, BODY_NONE},
    {"GET", "/console/channels/{id}", edit, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/channels/{id}", update, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/channels/{id}/delete", destroy, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
