/* rules: validating and normalising assignment rule documents; pure, the tenant checks live in the save path. */
#include "domain/rules.h"

#include <ctype.h>
#include <string.h>

#include "core/ids.h"
#include "core/json-doc.h"
#include "core/utf8.h"
#include "domain/conditions.h"
#include "domain/form-fields.h"

static void put_obj(void *p)
{
	json_object_put(p);
}

/* A new object released with the arena. */
static json_object *owned(kefu_arena *a, json_object *o)
{
	arena_defer(a, put_obj, o);
	return o;
}

static kefu_err fail(const char **bad, const char *field)
{
	*bad = field;
	return KEFU_E_INVALID_FIELD;
}

static kefu_err opt_text(json_object *in, const char *name, size_t max, const char **out, const char **bad)
{
	*out = NULL;
	kefu_err e = jb_string(in, name, false, 0, max, out, bad);
	if (*out == NULL)
		*out = "";
	return e;
}

/* Record a fault and go on: the checks below report every field at fault, not only the first. */
static void add(struct fault *fs, kefu_arena *a, const char *field, const char *message)
{
	fault_add(fs, a, field, message);
}

static void parse_message(kefu_arena *a, json_object *msgs, const char *name, struct rule_message *out,
                          struct fault *fs)
{
	*out = (struct rule_message){false, ""};
	json_object *m = NULL;
	const char *b;
	if (jb_object(msgs, name, false, &m, &b) != KEFU_OK) {
		add(fs, a, arena_printf(a, "messages.%s", name), "must be an object {enabled, text}");
		return;
	}
	if (m == NULL)
		return;
	if (jb_bool(m, "enabled", false, &out->enabled, NULL, &b) != KEFU_OK)
		add(fs, a, arena_printf(a, "messages.%s.enabled", name), "must be true or false");
	if (opt_text(m, "text", RULE_TEXT_MAX, &out->text, &b) != KEFU_OK)
		add(fs, a, arena_printf(a, "messages.%s.text", name), "at most 2000 characters");
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-'))
			return false;
	return true;
}

static void parse_form(kefu_arena *a, json_object *lm, struct rule *out, struct fault *fs)
{
	static const char *const types[] = {"text", "textarea", "phone", "email", "select", NULL};
	json_object *fields = NULL;
	json_object *canon = owned(a, json_object_new_array());
	out->leave_fields = canon;
	if (json_object_object_get_ex(lm, "fields", &fields) && fields != NULL &&
	    !json_object_is_type(fields, json_type_array)) {
		add(fs, a, "leave_message.fields", "must be a list of fields");
		return;
	}
	size_t n = fields ? json_object_array_length(fields) : 0;
	if (n > RULE_MAX_FORM_FIELDS) {
		add(fs, a, "leave_message.fields", "at most 20 fields");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(fields, i), *opts = NULL;
		const char *name, *label, *type, *b;
		bool required = false, ok = true;
		if (!json_object_is_type(f, json_type_object)) {
			add(fs, a, arena_printf(a, "leave_message.fields[%zu]", i), "must be an object");
			continue;
		}
		if (jb_string(f, "name", true, 1, 64, &name, &b) != KEFU_OK || !name_ok(name)) {
			add(fs, a, arena_printf(a, "leave_message.fields[%zu].name", i), "1 to 64 of A-Z a-z 0-9 _ -");
			ok = false;
			name = NULL;
		}
		for (size_t j = 0; name && j < json_object_array_length(canon); j++)
			if (strcmp(json_object_get_string(
			               json_object_object_get(json_object_array_get_idx(canon, j), "name")),
			           name) == 0) {
				add(fs, a, arena_printf(a, "leave_message.fields[%zu].name", i),
				    "another field has this name");
				ok = false;
			}
		label = NULL;
		if (jb_string(f, "label", false, 0, 200, &label, &b) != KEFU_OK) {
			add(fs, a, arena_printf(a, "leave_message.fields[%zu].label", i), "at most 200 characters");
			ok = false;
		}
		type = "text";
		if (json_object_object_get_ex(f, "type", NULL) &&
		    jb_enum(f, "type", false, types, &type, &b) != KEFU_OK) {
			add(fs, a, arena_printf(a, "leave_message.fields[%zu].type", i),
			    "one of text, textarea, phone, email, select");
			ok = false;
		}
		if (type == NULL)
			type = "text";
		if (jb_bool(f, "required", false, &required, NULL, &b) != KEFU_OK) {
			add(fs, a, arena_printf(a, "leave_message.fields[%zu].required", i), "must be true or false");
			ok = false;
		}
		if (strcmp(type, "select") == 0) {
			const char **o;
			size_t no;
			if (jb_string_array(f, "options", true, 50, 1, 200, a, &o, &no, &b) != KEFU_OK || no == 0) {
				add(fs, a, arena_printf(a, "leave_message.fields[%zu].options", i),
				    "a choice needs 1 to 50 options");
				ok = false;
			} else {
				opts = json_object_new_array();
				for (size_t k = 0; k < no; k++)
					json_object_array_add(opts, json_object_new_string(o[k]));
			}
		}
		if (!ok) {
			json_object_put(opts);
			continue;
		}
		json_object *c = json_object_new_object();
		json_object_object_add(c, "name", json_object_new_string(name));
		json_object_object_add(c, "label", json_object_new_string(label ? label : name));
		json_object_object_add(c, "type", json_object_new_string(type));
		json_object_object_add(c, "required", json_object_new_boolean(required));
		if (opts)
			json_object_object_add(c, "options", opts);
		json_object_array_add(canon, c);
	}
}

static void parse_routing(kefu_arena *a, json_object *routing, struct rule *out, struct fault *fs)
{
	static const char *const modes[] = {"rules", "visitor_choice", NULL};
	const char *mode = "rules", *b;
	if (jb_enum(routing, "mode", false, modes, &mode, &b) != KEFU_OK)
		add(fs, a, "routing.mode", "rules or visitor_choice");
	if (mode == NULL)
		mode = "rules";
	out->visitor_choice = strcmp(mode, "visitor_choice") == 0;
	json_object *routes = NULL;
	if (json_object_object_get_ex(routing, "routes", &routes) && routes != NULL &&
	    (!json_object_is_type(routes, json_type_array) || json_object_array_length(routes) > RULE_MAX_ROUTES)) {
		add(fs, a, "routing.routes", "a list of at most 50 routes");
		routes = NULL;
	}
	out->nroutes = routes ? json_object_array_length(routes) : 0;
	out->routes = arena_calloc(a, out->nroutes + 1, sizeof *out->routes);
	for (size_t i = 0; i < out->nroutes; i++) {
		json_object *rt = json_object_array_get_idx(routes, i), *match = NULL;
		if (!json_object_is_type(rt, json_type_object)) {
			add(fs, a, arena_printf(a, "routing.routes[%zu]", i), "must be an object {group_id, match}");
			continue;
		}
		if (jb_id(rt, "group_id", true, &out->routes[i].group_id, NULL, &b) != KEFU_OK)
			add(fs, a, arena_printf(a, "routing.routes[%zu].group_id", i), "choose a group");
		if (json_object_object_get_ex(rt, "match", &match) && match != NULL) {
			const char *sub;
			if (cond_check_match(a, match, &sub) != KEFU_OK)
				add(fs, a, arena_printf(a, "routing.routes[%zu].match%s%s", i, sub[0] ? "." : "", sub),
				    "this condition is not valid: check its field, operator and value");
		}
		out->routes[i].match = match;
	}
	out->fallback_group_id = 0;
	if (jb_id(routing, "fallback_group_id", false, &out->fallback_group_id, NULL, &b) != KEFU_OK)
		add(fs, a, "routing.fallback_group_id", "a group id, or null");
	if (opt_text(routing, "choice_prompt", 500, &out->choice_prompt, &b) != KEFU_OK)
		add(fs, a, "routing.choice_prompt", "at most 500 characters");
	if (jb_id_array(routing, "choice_group_ids", false, RULE_MAX_CHOICES, a, &out->choice_group_ids, &out->nchoices,
	                &b) != KEFU_OK) {
		add(fs, a, "routing.choice_group_ids", "at most 20 group ids");
		out->nchoices = 0;
		return;
	}
	if (out->visitor_choice && out->nchoices == 0)
		add(fs, a, "routing.choice_group_ids", "visitor choice needs at least one group to choose from");
	if (ids_have_dup(out->choice_group_ids, out->nchoices))
		add(fs, a, "routing.choice_group_ids", "a group is listed twice");
}

static json_object *message_json(const struct rule_message *m)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "enabled", json_object_new_boolean(m->enabled));
	json_object_object_add(o, "text", json_object_new_string(m->text));
	return o;
}

/* The canonical document from the parsed fields. */
static json_object *canonical(const struct rule *r)
{
	json_object *d = json_object_new_object();
	json_object_object_add(d, "name", json_object_new_string(r->name));
	json_object_object_add(d, "priority", json_object_new_int64(r->priority));
	json_object_object_add(d, "channel_ids", json_ids(r->channel_ids, r->nchannels));
	json_object_object_add(d, "welcome_message", json_object_new_string(r->welcome));
	json_object_object_add(d, "promo_message", json_object_new_string(r->promo));
	json_object_object_add(d, "max_concurrent", json_object_new_int64(r->max_concurrent));
	json_object_object_add(d, "require_identity", json_object_new_boolean(r->require_identity));
	json_object *routing = json_object_new_object();
	json_object_object_add(routing, "mode", json_object_new_string(r->visitor_choice ? "visitor_choice" : "rules"));
	json_object *routes = json_object_new_array();
	for (size_t i = 0; i < r->nroutes; i++) {
		json_object *rt = json_object_new_object();
		json_object_object_add(rt, "group_id", json_object_new_int64(r->routes[i].group_id));
		json_object *m = r->routes[i].match;
		json_object_object_add(rt, "match", m ? json_object_get(m) : json_object_new_string("all"));
		json_object_array_add(routes, rt);
	}
	json_object_object_add(routing, "routes", routes);
	json_object_object_add(routing, "fallback_group_id",
	                       r->fallback_group_id ? json_object_new_int64(r->fallback_group_id) : NULL);
	json_object_object_add(routing, "choice_prompt", json_object_new_string(r->choice_prompt));
	json_object_object_add(routing, "choice_group_ids", json_ids(r->choice_group_ids, r->nchoices));
	json_object_object_add(d, "routing", routing);
	json_object_object_add(d, "strategy", json_object_new_string(strategy_names[r->strategy]));
	json_object_object_add(d, "owner_fallback", json_object_new_string(r->owner_fallback_queue ? "queue" : "load"));
	json_object *msgs = json_object_new_object();
	json_object_object_add(msgs, "all_busy", message_json(&r->all_busy));
	json_object_object_add(msgs, "all_offline", message_json(&r->all_offline));
	json_object_object_add(msgs, "out_of_hours", message_json(&r->out_of_hours));
	json_object_object_add(d, "messages", msgs);
	json_object *lm = json_object_new_object();
	json_object_object_add(lm, "enabled", json_object_new_boolean(r->leave_enabled));
	json_object_object_add(lm, "fields", json_object_get(r->leave_fields));
	json_object_object_add(d, "leave_message", lm);
	return d;
}

kefu_err rule_parse_all(kefu_arena *a, json_object *in, struct rule *out, struct fault *fs)
{
	static const char *const fallbacks[] = {"load", "queue", NULL};
	*out = (struct rule){0};
	const char *b = NULL;
	size_t before = fs->nall;
	if (!json_object_is_type(in, json_type_object)) {
		add(fs, a, "name", "required");
		return KEFU_E_INVALID_FIELD;
	}
	if (jb_string(in, "name", true, 1, 200, &out->name, &b) != KEFU_OK)
		add(fs, a, "name", "required, at most 200 characters");
	out->priority = 100;
	if (jb_int64(in, "priority", false, -1000000, 1000000, &out->priority, NULL, &b) != KEFU_OK)
		add(fs, a, "priority", "a whole number from -1000000 to 1000000");
	if (jb_id_array(in, "channel_ids", false, RULE_MAX_CHANNELS, a, &out->channel_ids, &out->nchannels, &b) !=
	    KEFU_OK) {
		add(fs, a, "channel_ids", "a list of at most 200 channel ids");
		out->nchannels = 0;
	}
	if (ids_have_dup(out->channel_ids, out->nchannels))
		add(fs, a, "channel_ids", "a channel is listed twice");
	if (opt_text(in, "welcome_message", RULE_TEXT_MAX, &out->welcome, &b) != KEFU_OK)
		add(fs, a, "welcome_message", "at most 2000 characters");
	if (opt_text(in, "promo_message", RULE_TEXT_MAX, &out->promo, &b) != KEFU_OK)
		add(fs, a, "promo_message", "at most 2000 characters");
	out->max_concurrent = 5;
	if (jb_int64(in, "max_concurrent", false, 1, 1000, &out->max_concurrent, NULL, &b) != KEFU_OK)
		add(fs, a, "max_concurrent", "a whole number from 1 to 1000");
	if (jb_bool(in, "require_identity", false, &out->require_identity, NULL, &b) != KEFU_OK)
		add(fs, a, "require_identity", "must be true or false");
	json_object *routing = NULL;
	if (jb_object(in, "routing", false, &routing, &b) != KEFU_OK)
		add(fs, a, "routing", "must be an object");
	parse_routing(a, routing, out, fs);
	const char *s = NULL;
	if (jb_enum(in, "strategy", false, strategy_names, &s, &b) != KEFU_OK)
		add(fs, a, "strategy", "not a known strategy");
	out->strategy = STRAT_LOAD;
	for (int i = 0; s != NULL && i < STRAT__MAX; i++)
		if (s == strategy_names[i])
			out->strategy = (enum strategy)i;
	s = NULL;
	if (jb_enum(in, "owner_fallback", false, fallbacks, &s, &b) != KEFU_OK)
		add(fs, a, "owner_fallback", "load or queue");
	out->owner_fallback_queue = s != NULL && strcmp(s, "queue") == 0;
	json_object *msgs = NULL;
	if (jb_object(in, "messages", false, &msgs, &b) != KEFU_OK)
		add(fs, a, "messages", "must be an object");
	parse_message(a, msgs, "all_busy", &out->all_busy, fs);
	parse_message(a, msgs, "all_offline", &out->all_offline, fs);
	parse_message(a, msgs, "out_of_hours", &out->out_of_hours, fs);
	json_object *lm = NULL;
	if (jb_object(in, "leave_message", false, &lm, &b) != KEFU_OK)
		add(fs, a, "leave_message", "must be an object");
	if (jb_bool(lm, "enabled", false, &out->leave_enabled, NULL, &b) != KEFU_OK)
		add(fs, a, "leave_message.enabled", "must be true or false");
	parse_form(a, lm, out, fs);
	if (fs->nall > before)
		return KEFU_E_INVALID_FIELD;
	/* The canonical document owns copies of everything the struct borrows,
	 * so re-read the struct from it: the caller's body may go first. */
	json_object *doc = owned(a, canonical(out));
	if (rule_from_text(a, 0, 0, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN), out) != KEFU_OK) {
		add(fs, a, "name", NULL);
		return KEFU_E_INVALID_FIELD;
	}
	return KEFU_OK;
}

kefu_err rule_parse(kefu_arena *a, json_object *in, struct rule *out, const char **bad)
{
	struct fault f = {0};
	kefu_err e = rule_parse_all(a, in, out, &f);
	*bad = f.field;
	return e;
}

kefu_err rule_from_text(kefu_arena *a, int64_t id, int64_t tenant_id, const char *text, struct rule *out)
{
	json_object *doc = json_tokener_parse(text);
	if (doc == NULL)
		return KEFU_E_INTERNAL;
	owned(a, doc);
	/* Parse the stored document with the same code, minus the recursion:
	 * it was canonical when stored, so every field is present. */
	struct rule r = {0};
	const char *b;
	json_object *routing = NULL, *msgs = NULL, *lm = NULL;
	const char *s = NULL;
	static const char *const fallbacks[] = {"load", "queue", NULL};
	if (jb_string(doc, "name", true, 1, 200, &r.name, &b) != KEFU_OK ||
	    jb_int64(doc, "priority", true, -1000000, 1000000, &r.priority, NULL, &b) != KEFU_OK ||
	    jb_id_array(doc, "channel_ids", false, RULE_MAX_CHANNELS, a, &r.channel_ids, &r.nchannels, &b) != KEFU_OK ||
	    opt_text(doc, "welcome_message", RULE_TEXT_MAX, &r.welcome, &b) != KEFU_OK ||
	    opt_text(doc, "promo_message", RULE_TEXT_MAX, &r.promo, &b) != KEFU_OK ||
	    jb_int64(doc, "max_concurrent", true, 1, 1000, &r.max_concurrent, NULL, &b) != KEFU_OK ||
	    jb_bool(doc, "require_identity", false, &r.require_identity, NULL, &b) != KEFU_OK ||
	    jb_object(doc, "routing", false, &routing, &b) != KEFU_OK ||
	    jb_enum(doc, "strategy", false, strategy_names, &s, &b) != KEFU_OK)
		return KEFU_E_INTERNAL;
	struct fault f = {0};
	parse_routing(a, routing, &r, &f);
	for (int i = 0; s != NULL && i < STRAT__MAX; i++)
		if (s == strategy_names[i])
			r.strategy = (enum strategy)i;
	s = NULL;
	if (jb_enum(doc, "owner_fallback", false, fallbacks, &s, &b) != KEFU_OK)
		return KEFU_E_INTERNAL;
	r.owner_fallback_queue = s != NULL && strcmp(s, "queue") == 0;
	if (jb_object(doc, "messages", false, &msgs, &b) != KEFU_OK ||
	    jb_object(doc, "leave_message", false, &lm, &b) != KEFU_OK ||
	    jb_bool(lm, "enabled", false, &r.leave_enabled, NULL, &b) != KEFU_OK)
		return KEFU_E_INTERNAL;
	parse_message(a, msgs, "all_busy", &r.all_busy, &f);
	parse_message(a, msgs, "all_offline", &r.all_offline, &f);
	parse_message(a, msgs, "out_of_hours", &r.out_of_hours, &f);
	parse_form(a, lm, &r, &f);
	if (f.nall)
		return KEFU_E_INTERNAL;
	r.id = id;
	r.tenant_id = tenant_id;
	r.doc = doc;
	*out = r;
	return KEFU_OK;
}

json_object *rule_merge(kefu_arena *a, json_object *stored, json_object *patch)
{
	json_object *m = NULL;
	json_object_deep_copy(stored, &m, NULL);
	owned(a, m);
	if (!json_object_is_type(patch, json_type_object))
		return m;
	json_object_object_foreach(patch, key, val)
	{
		json_object *cur = NULL;
		bool nested =
		    strcmp(key, "routing") == 0 || strcmp(key, "messages") == 0 || strcmp(key, "leave_message") == 0;
		if (nested && json_object_is_type(val, json_type_object) && json_object_object_get_ex(m, key, &cur) &&
		    json_object_is_type(cur, json_type_object)) {
			json_object_object_foreach(val, k2, v2)
			{
				json_object_object_add(cur, k2, v2 ? json_object_get(v2) : NULL);
			}
		} else {
			json_object_object_add(m, key, val ? json_object_get(val) : NULL);
		}
	}
	return m;
}

json_object *rule_json(const struct rule *r)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	json_object_object_foreach(r->doc, key, val)
	{
		json_object_object_add(o, key, val ? json_object_get(val) : NULL);
	}
	return o;
}

size_t rule_group_refs(kefu_arena *a, const struct rule *r, int64_t **ids, const char ***paths)
{
	size_t cap = r->nroutes + r->nchoices + 1, n = 0;
	*ids = arena_calloc(a, cap + 1, sizeof **ids);
	*paths = arena_calloc(a, cap + 1, sizeof **paths);
	for (size_t i = 0; i < cap; i++) {
		int64_t id;
		const char *p;
		if (i < r->nroutes) {
			id = r->routes[i].group_id;
			p = arena_printf(a, "routing.routes[%zu].group_id", i);
		} else if (i == r->nroutes) {
			id = r->fallback_group_id;
			p = "routing.fallback_group_id";
		} else {
			size_t k = i - r->nroutes - 1;
			id = r->choice_group_ids[k];
			p = arena_printf(a, "routing.choice_group_ids[%zu]", k);
		}
		if (id == 0)
			continue;
		bool seen = false;
		for (size_t j = 0; j < n; j++)
			seen = seen || (*ids)[j] == id;
		if (!seen) {
			(*ids)[n] = id;
			(*paths)[n++] = p;
		}
	}
	return n;
}

kefu_err rule_leave_check(kefu_arena *a, const struct rule *r, json_object *fields, const char **canonical_out,
                          const char **bad)
{
	if (!json_object_is_type(fields, json_type_object))
		return fail(bad, "fields");
	json_object *out = owned(a, json_object_new_object());
	size_t n = r->leave_fields ? json_object_array_length(r->leave_fields) : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(r->leave_fields, i), *v = NULL, *opts = NULL;
		const char *name = json_object_get_string(json_object_object_get(f, "name"));
		const char *type = json_object_get_string(json_object_object_get(f, "type"));
		bool required = json_object_get_boolean(json_object_object_get(f, "required"));
		const char *field = arena_printf(a, "fields.%s", name);
		json_object_object_get_ex(fields, name, &v);
		if (v == NULL) {
			if (required)
				return fail(bad, field);
			continue;
		}
		if (!json_object_is_type(v, json_type_string))
			return fail(bad, field);
		const char *s = json_object_get_string(v);
		size_t len = (size_t)json_object_get_string_len(v);
		if (strlen(s) != len || !utf8_valid(s, len) || utf8_length(s, len) > RULE_TEXT_MAX)
			return fail(bad, field);
		if (form_blank(s)) {
			if (required)
				return fail(bad, field);
			continue;
		}
		if ((strcmp(type, "phone") == 0 && !form_phone_ok(s)) ||
		    (strcmp(type, "email") == 0 && !form_email_ok(s)))
			return fail(bad, field);
		if (strcmp(type, "select") == 0 && json_object_object_get_ex(f, "options", &opts)) {
			bool ok = false;
			for (size_t k = 0; k < json_object_array_length(opts); k++)
				ok = ok || strcmp(json_object_get_string(json_object_array_get_idx(opts, k)), s) == 0;
			if (!ok)
				return fail(bad, field);
		}
		json_object_object_add(out, name, json_object_new_string(s));
	}
	*canonical_out = arena_strdup(a, json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	return KEFU_OK;
}
