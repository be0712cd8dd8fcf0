/* page-identity: a channel's identity verification in the console: key (generate, masked, audited reveal), matching,
 * auto-link, v2, and the site developer's hint. */
#include <string.h>

#include "domain/channels.h"
#include "domain/identity-admin.h"
#include "http/app.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"
#include "view/embed.h"

/* The names of a JSON array text, comma-separated, for a text input. */
static const char *names_text(struct kefu_req *r, json_object *arr)
{
	const char *s = "";
	for (size_t i = 0; json_object_is_type(arr, json_type_array) && i < json_object_array_length(arr); i++)
		s = arena_printf(r->arena, "%s%s%s", s, i ? ", " : "",
		                 json_object_get_string(json_object_array_get_idx(arr, i)));
	return s;
}

/* "full_name, phone" → ["full_name","phone"]: spaces and commas separate. */
static json_object *names_array(struct kefu_req *r, const char *text)
{
	json_object *a = json_object_new_array();
	if (text == NULL)
		return a;
	char *copy = arena_strdup(r->arena, text), *save = NULL;
	for (char *tok = strtok_r(copy, " \t\r\n,，", &save); tok; tok = strtok_r(NULL, " \t\r\n,，", &save))
		json_object_array_add(a, json_object_new_string(tok));
	return a;
}

/* The page: doc the stored settings; form (when not NULL) what was typed;
 * key a full key to show once (just generated or revealed). */
static kefu_err show(struct kefu_req *r, const struct channel_row *c, json_object *form, kefu_err err, const char *key,
                     bool generated, const char *bits)
{
	json_object *doc;
	kefu_err e = identity_document(r->db, r->arena, r->caller.tenant_id, c->id, &doc);
	if (e != KEFU_OK)
		return page_fail_form(r, e, form);
	json_object *d = page_form_frame(r, "channels", err), *al = json_object_object_get(doc, "auto_link");
	if (form == NULL) {
		form = json_object_new_object();
		json_object_object_add(form, "enabled", json_object_get(json_object_object_get(doc, "enabled")));
		json_object_object_add(form, "require_v2", json_object_get(json_object_object_get(doc, "require_v2")));
		json_object_object_add(form, "auto_link", json_object_get(json_object_object_get(al, "enabled")));
		json_object_object_add(
		    form, "match_fields",
		    json_object_new_string(names_text(r, json_object_object_get(doc, "match_fields"))));
		const char *cf = names_text(r, json_object_object_get(al, "contact_fields"));
		json_object_object_add(form, "contact_fields", json_object_new_string(cf));
	}
	/* The contact fields are a choice of two; anything else (from the API) shows as typed. */
	const char *cf = json_object_get_string(json_object_object_get(form, "contact_fields"));
	json_object *sel = json_object_new_object();
	page_flag(sel, "phone", cf == NULL || strcmp(cf, "phone") == 0);
	page_flag(sel, "name_phone", cf != NULL && strcmp(cf, "full_name, phone") == 0);
	json_object_object_add(form, "sel", sel);
	json_object *ch = json_object_new_object();
	json_object_object_add(ch, "id", json_object_new_int64(c->id));
	json_object_object_add(ch, "name", json_object_new_string(c->name));
	json_object_object_add(ch, "key", json_object_new_string(c->key));
	json_object_object_add(
	    ch, "href", json_object_new_string(arena_printf(r->arena, "/console/channels/%lld", (long long)c->id)));
	json_object_object_add(d, "channel", ch);
	const char *base = arena_printf(r->arena, "/console/channels/%lld/identity", (long long)c->id);
	json_object_object_add(d, "action", json_object_new_string(base));
	json_object_object_add(d, "key_action", json_object_new_string(arena_printf(r->arena, "%s/key", base)));
	json_object_object_add(d, "reveal_action", json_object_new_string(arena_printf(r->arena, "%s/reveal", base)));
	json_object_object_add(d, "doc", doc);
	json_object_object_add(d, "form", form);
	json_object_object_add(d, "full_key", key ? json_object_new_string(key) : NULL);
	json_object_object_add(d, "generated", json_object_new_boolean(key && generated));
	/* The AES size selector: as typed, else the live key's, else 128. */
	json_object *kb = json_object_object_get(doc, "key_bits");
	const char *want = bits ? bits : kb ? json_object_get_string(kb) : "128";
	json_object *sizes = json_object_new_array();
	static const char *const all[] = {"128", "192", "256"};
	for (int i = 0; i < 3; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "value", json_object_new_string(all[i]));
		json_object_object_add(o, "label", json_object_new_string(arena_printf(r->arena, "AES-%s", all[i])));
		page_flag(o, "selected", strcmp(want, all[i]) == 0);
		json_object_array_add(sizes, o);
	}
	json_object_object_add(d, "key_sizes", sizes);
	/* The developer's snippet: the channel's embed line with the attribute the site fills. */
	const char *embed = embed_snippet(r->arena, r->app->conf.public_url, c->key);
	size_t n = strlen(embed);
	json_object_object_add(
	    d, "snippet",
	    json_object_new_string(arena_printf(r->arena, "%.*s data-kefu-custom-params=\"<HEX>\"></script>",
	                                        (int)(n > 10 ? n - 10 : n), embed)));
	return page_render(r, "identity", d);
}

static kefu_err load(struct kefu_req *r, struct channel_row *c)
{
	return channel_get(r->db, r->arena, r->caller.tenant_id, r->ids[0], c);
}

static kefu_err view(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	struct channel_row c;
	kefu_err e = load(r, &c);
	if (e != KEFU_OK)
		return page_fail(r, e);
	/* Right after generating (the form redirects here): the new key, once, to whoever generated it. */
	if (req_query(r, "generated") != NULL) {
		struct identity_key_row k;
		e = identity_key_take_new(r->db, r->arena, &r->actor, c.id, &k);
		if (e != KEFU_OK && e != KEFU_E_NOT_FOUND)
			return page_fail(r, e);
		resp_header(r, "Cache-Control", "no-store");
		if (e == KEFU_OK)
			return show(r, &c, NULL, KEFU_OK, k.secret, true, NULL);
	}
	return show(r, &c, NULL, KEFU_OK, NULL, false, NULL);
}

/* The settings form as the API's PATCH body, so both go through identity_settings_check. */
static kefu_err save(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	struct channel_row c;
	struct identity_settings_row before, after;
	kefu_err e = load(r, &c);
	if (e == KEFU_OK)
		e = identity_settings_get(r->db, r->arena, r->caller.tenant_id, c.id, &before);
	if (e != KEFU_OK)
		return page_fail(r, e);
	const char *mf = page_field(r, "match_fields"), *cf = page_field(r, "contact_fields");
	json_object *body = json_object_new_object(), *al = json_object_new_object();
	json_object_object_add(body, "enabled", json_object_new_boolean(page_field(r, "enabled") != NULL));
	json_object_object_add(body, "require_v2", json_object_new_boolean(page_field(r, "require_v2") != NULL));
	json_object_object_add(body, "match_fields", names_array(r, mf));
	json_object_object_add(al, "enabled", json_object_new_boolean(page_field(r, "auto_link") != NULL));
	json_object_object_add(al, "contact_fields", names_array(r, cf));
	json_object_object_add(body, "auto_link", al);
	page_keep(r, body);
	json_object_put(body);
	struct fault f = {0};
	e = identity_settings_check(r->arena, body, &before, &after, &f);
	if (e != KEFU_OK)
		req_fail_fault(r, e, &f);
	else
		e = identity_settings_save(r->db, &r->actor, c.id, &before, &after);
	if (e == KEFU_OK)
		return resp_redirect(
		    r, arena_printf(r->arena, "/console/channels/%lld/identity?saved=1", (long long)c.id));
	if (!page_form_error(e))
		return page_fail(r, e);
	json_object *form = json_object_new_object();
	page_flag(form, "enabled", page_field(r, "enabled") != NULL);
	page_flag(form, "require_v2", page_field(r, "require_v2") != NULL);
	page_flag(form, "auto_link", page_field(r, "auto_link") != NULL);
	json_object_object_add(form, "match_fields", json_object_new_string(mf ? mf : ""));
	json_object_object_add(form, "contact_fields", json_object_new_string(cf ? cf : ""));
	return show(r, &c, form, e, NULL, false, NULL);
}

/* Generating redirects to the page (POST-redirect-GET: a refresh shows the page again and never makes another
 * key), which shows the new key once to whoever generated it (identity_key_take_new). */
static kefu_err generate(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	struct channel_row c;
	kefu_err e = load(r, &c);
	if (e != KEFU_OK)
		return page_fail(r, e);
	const char *b = page_field(r, "bits");
	int64_t bits = b && strcmp(b, "256") == 0   ? 256
	               : b && strcmp(b, "192") == 0 ? 192
	               : b && strcmp(b, "128") != 0 ? 0
	                                            : 128;
	struct fault f = {0};
	e = identity_key_create_shown_once(r->db, r->arena, &r->actor, c.id, bits, &f);
	if (e != KEFU_OK)
		return page_form_error(req_fail_fault(r, e, &f)) ? show(r, &c, NULL, e, NULL, false, b)
		                                                 : page_fail(r, e);
	return resp_redirect(r, arena_printf(r->arena, "/console/channels/%lld/identity?generated=1", (long long)c.id));
}

static kefu_err reveal(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	struct channel_row c;
	struct identity_key_row k;
	kefu_err e = load(r, &c);
	if (e == KEFU_OK)
		e = identity_key_reveal(r->db, r->arena, &r->actor, c.id, &k);
	if (e != KEFU_OK)
		return page_fail(r, e);
	resp_header(r, "Cache-Control", "no-store");
	return show(r, &c, NULL, KEFU_OK, k.secret, false, NULL);
}

const struct route page_identity_routes[] = {
    {"GET", "/console/channels/{id}/identity", view, AUTH_PAGE_ADMIN, BODY_NONE},
    {"POST", "/console/channels/{id}/identity", save, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/channels/{id}/identity/key", generate, AUTH_PAGE_ADMIN, BODY_FORM},
    {"POST", "/console/channels/{id}/identity/reveal", reveal, AUTH_PAGE_ADMIN, BODY_FORM},
    ROUTES_END,
};
