/* page-api: /console/api, the REST API's OpenAPI document as a browsable page, rendered on the server from the embedded
 * document. */
#include <string.h>

#include <json-c/json.h>

#include "api/openapi.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"

static void put_doc(void *p)
{
	json_object_put(p);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static json_object *text_of(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	return v != NULL && json_object_is_type(v, json_type_string) ? json_object_new_string(json_object_get_string(v))
	                                                             : NULL;
}

static json_object *pretty(json_object *schema)
{
	return json_object_new_string(json_object_to_json_string_ext(
	    schema, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* "#/components/<kind>/<name>" of doc, or o itself when it is no reference. */
static json_object *deref(json_object *doc, json_object *o)
{
	const char *ref = json_object_get_string(get(o, "$ref"));
	if (ref == NULL || strncmp(ref, "#/components/", 13) != 0)
		return o;
	const char *kind = ref + 13, *slash = strchr(kind, '/');
	if (slash == NULL)
		return o;
	char k[32];
	size_t n = (size_t)(slash - kind);
	if (n >= sizeof k)
		return o;
	memcpy(k, kind, n);
	k[n] = '\0';
	json_object *x = get(get(get(doc, "components"), k), slash + 1);
	return x ? x : o;
}

/* The first schema of a content map ({"application/json": {"schema"}}) with its media type. */
static void content(json_object *into, json_object *c)
{
	if (c == NULL)
		return;
	json_object_object_foreach(c, mime, media)
	{
		json_object_object_add(into, "mime", json_object_new_string(mime));
		json_object *s = get(media, "schema");
		if (s != NULL)
			json_object_object_add(into, "schema", pretty(s));
		return;
	}
}

static json_object *operation(struct kefu_req *r, json_object *doc, const char *path, const char *method,
                              json_object *o)
{
	json_object *x = json_object_new_object();
	char upper[8] = {0};
	for (size_t i = 0; i < sizeof upper - 1 && method[i]; i++)
		upper[i] = (char)(method[i] - 'a' + 'A');
	json_object_object_add(x, "method", json_object_new_string(upper));
	json_object_object_add(x, "method_class",
	                       json_object_new_string(arena_printf(r->arena, "method m-%s", method)));
	json_object_object_add(x, "path", json_object_new_string(path));
	json_object_object_add(x, "anchor", text_of(o, "operationId"));
	json_object_object_add(x, "summary", text_of(o, "summary"));
	json_object_object_add(x, "description", text_of(o, "description"));
	json_object_object_add(x, "auth", text_of(o, "x-kefu-auth"));
	json_object *params = json_object_new_array(), *ps = get(o, "parameters");
	for (size_t i = 0; ps != NULL && i < json_object_array_length(ps); i++) {
		json_object *p = json_object_array_get_idx(ps, i), *y = json_object_new_object();
		json_object_object_add(y, "name", text_of(p, "name"));
		json_object_object_add(y, "in", text_of(p, "in"));
		json_object_object_add(y, "description", text_of(p, "description"));
		json_object_object_add(y, "required",
		                       json_object_new_boolean(json_object_get_boolean(get(p, "required"))));
		json_object *s = get(p, "schema");
		json_object_object_add(y, "type", s ? text_of(s, "type") : NULL);
		json_object_array_add(params, y);
	}
	json_object_object_add(x, "params",
	                       json_object_array_length(params) ? params : (json_object_put(params), NULL));
	json_object *body = get(o, "requestBody");
	if (body != NULL) {
		json_object *y = json_object_new_object();
		content(y, get(body, "content"));
		json_object_object_add(y, "required",
		                       json_object_new_boolean(json_object_get_boolean(get(body, "required"))));
		json_object_object_add(x, "request", y);
	}
	json_object *rs = json_object_new_array(), *errs = json_object_new_array();
	json_object_object_foreach(get(o, "responses"), status, resp)
	{
		bool is_error = json_object_get_string(get(resp, "$ref")) != NULL;
		if (is_error) {
			if (strcmp(status, "default") != 0)
				json_object_array_add(errs, json_object_new_string(status));
			continue;
		}
		json_object *y = json_object_new_object(), *d = deref(doc, resp);
		json_object_object_add(y, "status", json_object_new_string(status));
		json_object_object_add(y, "description", text_of(d, "description"));
		content(y, get(d, "content"));
		json_object_array_add(rs, y);
	}
	json_object_object_add(x, "responses", rs);
	json_object_object_add(x, "errors", errs);
	return x;
}

static kefu_err view(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	size_t n;
	const char *text = openapi_json(&n);
	/* Parsed per request: json-c objects are not safe to print from two
	 * threads at once, and the page is an admin's occasional read. */
	json_object *doc = json_tokener_parse(text);
	if (doc == NULL)
		return KEFU_E_INTERNAL;
	arena_defer(r->arena, put_doc, doc);

	json_object *tags = json_object_new_array(), *ts = get(doc, "tags");
	for (size_t i = 0; ts != NULL && i < json_object_array_length(ts); i++) {
		json_object *t = json_object_array_get_idx(ts, i), *ops = json_object_new_array();
		const char *name = json_object_get_string(get(t, "name"));
		json_object_object_foreach(get(doc, "paths"), path, item)
		{
			json_object_object_foreach(item, method, o)
			{
				json_object *tl = get(o, "tags");
				if (tl != NULL && json_object_array_length(tl) > 0 &&
				    strcmp(json_object_get_string(json_object_array_get_idx(tl, 0)), name) == 0)
					json_object_array_add(ops, operation(r, doc, path, method, o));
			}
		}
		json_object *y = json_object_new_object();
		json_object_object_add(y, "name", json_object_new_string(name));
		json_object_object_add(y, "id", json_object_new_string(arena_printf(r->arena, "tag-%s", name)));
		json_object_object_add(y, "href", json_object_new_string(arena_printf(r->arena, "#tag-%s", name)));
		json_object_object_add(y, "description", text_of(t, "description"));
		json_object_object_add(y, "ops", ops);
		json_object_array_add(tags, y);
	}
	json_object *schemas = json_object_new_array();
	json_object_object_foreach(get(get(doc, "components"), "schemas"), sname, s)
	{
		json_object *y = json_object_new_object();
		json_object_object_add(y, "name", json_object_new_string(sname));
		json_object_object_add(y, "anchor", json_object_new_string(arena_printf(r->arena, "schema-%s", sname)));
		json_object_object_add(y, "schema", pretty(s));
		json_object_array_add(schemas, y);
	}
	json_object *hooks = json_object_new_array();
	json_object_object_foreach(get(doc, "webhooks"), event, item)
	{
		json_object *post = get(item, "post"), *y = json_object_new_object();
		json_object_object_add(y, "event", json_object_new_string(event));
		json_object_object_add(y, "anchor",
		                       json_object_new_string(arena_printf(r->arena, "webhook-%s", event)));
		json_object_object_add(y, "summary", text_of(post, "summary"));
		json_object *body = json_object_new_object();
		content(body, get(get(post, "requestBody"), "content"));
		json_object_object_add(y, "body", body);
		json_object_array_add(hooks, y);
	}
	json_object *d = page_frame(r, "api");
	json_object_object_add(d, "webhooks", hooks);
	json_object_object_add(d, "version", text_of(get(doc, "info"), "version"));
	json_object_object_add(d, "tags", tags);
	json_object_object_add(d, "schemas", schemas);
	return page_render(r, "api", d);
}

const struct route page_api_routes[] = {
    {"GET", "/console/api", view, AUTH_PAGE_ADMIN, BODY_NONE},
    ROUTES_END,
};
