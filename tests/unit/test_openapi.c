/* test_openapi: the OpenAPI document (docs/openapi.json, embedded in the worker) against the compiled route table, both
 * ways. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "api/openapi.h"
#include "domain/webhooks.h"
#include "http/router.h"
#include "http/routes.h"
#include "check-main.h"

/*
 * The REST API is every route under /api/ plus /healthz and /metrics. The
 * table is read at run time (router_all), not from routes.c's text, so
 * routes made by descriptors or any other means are held to the document
 * too. A route outside that space that is no HTML page must be listed here.
 */
static const char *const NOT_REST[] = {
    "GET /widget/frame/{key}", /* the widget's iframe page (HTML) */
};

static json_object *doc;

static bool in_scope(const struct route *rt)
{
	return strncmp(rt->pattern, "/api/", 5) == 0 || strcmp(rt->pattern, "/healthz") == 0 ||
	       strcmp(rt->pattern, "/metrics") == 0;
}

static bool is_page(const struct route *rt)
{
	return rt->auth == AUTH_PAGE || rt->auth == AUTH_PAGE_STAFF || rt->auth == AUTH_PAGE_ADMIN;
}

static const char *auth_name(enum route_auth a)
{
	switch (a) {
	case AUTH_NONE: return "none";
	case AUTH_STAFF: return "staff";
	case AUTH_ADMIN: return "admin";
	case AUTH_CRM: return "crm";
	case AUTH_CRM_ADMIN: return "crm_admin";
	case AUTH_VISITOR: return "visitor";
	case AUTH_VISITOR_TOKEN: return "visitor_token";
	case AUTH_METRICS: return "metrics";
	default: return "page";
	}
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	return o != NULL && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static json_object *operation_of(const char *method, const char *pattern)
{
	char m[8] = {0};
	for (size_t i = 0; i < sizeof m - 1 && method[i]; i++)
		m[i] = (char)tolower((unsigned char)method[i]);
	return get(get(get(doc, "paths"), pattern), m);
}

START_TEST(embedded_is_the_file)
{
	/* The worker serves what was compiled in; it must be the tree's file. */
	FILE *f = fopen(KEFU_OPENAPI_FILE, "rb");
	ck_assert_ptr_nonnull(f);
	static char buf[4 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	size_t len;
	const char *text = openapi_json(&len);
	ck_assert_uint_eq(len, n);
	ck_assert(memcmp(text, buf, n) == 0);
	ck_assert_uint_eq(strlen(text), len); /* NUL-terminated, no NUL inside */
	ck_assert_str_eq(json_object_get_string(get(doc, "openapi")), "3.1.0");
}
END_TEST

START_TEST(every_route_is_documented)
{
	size_t n, missing = 0;
	const struct route *const *all = router_all(&n);
	for (size_t i = 0; i < n; i++) {
		const struct route *rt = all[i];
		if (!in_scope(rt)) {
			bool listed = false;
			char line[256];
			snprintf(line, sizeof line, "%s %s", rt->method, rt->pattern);
			for (size_t k = 0; k < sizeof NOT_REST / sizeof *NOT_REST; k++)
				listed |= strcmp(line, NOT_REST[k]) == 0;
			ck_assert_msg(is_page(rt) || listed,
			              "%s: neither under /api/ nor an HTML page; list it in NOT_REST", line);
			continue;
		}
		json_object *op = operation_of(rt->method, rt->pattern);
		if (op == NULL) {
			fprintf(stderr, "not in docs/openapi.json: %s %s\n", rt->method, rt->pattern);
			missing++;
			continue;
		}
		const char *auth = json_object_get_string(get(op, "x-kefu-auth"));
		ck_assert_msg(auth != NULL && strcmp(auth, auth_name(rt->auth)) == 0,
		              "%s %s: x-kefu-auth %s, the route says %s", rt->method, rt->pattern,
		              auth ? auth : "(none)", auth_name(rt->auth));
		json_object *content = get(get(op, "requestBody"), "content");
		switch (rt->body) {
		case BODY_NONE:
			ck_assert_msg(get(op, "requestBody") == NULL, "%s %s takes no body", rt->method, rt->pattern);
			break;
		case BODY_JSON:
			ck_assert_msg(get(content, "application/json") != NULL, "%s %s takes JSON", rt->method,
			              rt->pattern);
			break;
		case BODY_MULTIPART:
			ck_assert_msg(get(content, "multipart/form-data") != NULL, "%s %s takes multipart", rt->method,
			              rt->pattern);
			break;
		case BODY_FORM:
			ck_assert_msg(get(content, "application/x-www-form-urlencoded") != NULL, "%s %s takes a form",
			              rt->method, rt->pattern);
			break;
		}
		bool ok = false;
		json_object_object_foreach(get(op, "responses"), status, resp)
		{
			(void)resp;
			ok |= status[0] == '2';
		}
		ck_assert_msg(ok, "%s %s: no 2xx response documented", rt->method, rt->pattern);
		ck_assert_msg(get(get(op, "responses"), "default") != NULL, "%s %s: no error body (default)",
		              rt->method, rt->pattern);
	}
	ck_assert_msg(missing == 0, "%zu route(s) missing from docs/openapi.json (see above; docs/openapi/source.mjs)",
	              missing);
}
END_TEST

START_TEST(every_documented_route_exists)
{
	size_t n, extra = 0;
	const struct route *const *all = router_all(&n);
	json_object *paths = get(doc, "paths");
	ck_assert_ptr_nonnull(paths);
	json_object_object_foreach(paths, path, item)
	{
		json_object_object_foreach(item, method, op)
		{
			(void)op;
			bool found = false;
			for (size_t i = 0; i < n && !found; i++)
				found = strcasecmp(all[i]->method, method) == 0 && strcmp(all[i]->pattern, path) == 0 &&
				        in_scope(all[i]);
			if (!found) {
				fprintf(stderr, "documented but not routed: %s %s\n", method, path);
				extra++;
			}
		}
	}
	ck_assert_msg(extra == 0, "%zu documented operation(s) the router does not have (see above)", extra);
}
END_TEST

START_TEST(webhook_events_both_ways)
{
	/* The events a webhook may subscribe to are the document's webhooks. */
	json_object *hooks = get(doc, "webhooks");
	ck_assert_ptr_nonnull(hooks);
	size_t n = 0;
	for (size_t i = 0; webhook_events[i] != NULL; i++, n++)
		ck_assert_msg(get(get(hooks, webhook_events[i]), "post") != NULL,
		              "webhook event %s is not in docs/openapi.json", webhook_events[i]);
	ck_assert_uint_eq((size_t)json_object_object_length(hooks), n);
}
END_TEST

START_TEST(error_schema)
{
	json_object *err = get(get(get(doc, "components"), "schemas"), "Error");
	ck_assert_ptr_nonnull(err);
	json_object *inner = get(get(err, "properties"), "error");
	ck_assert_ptr_nonnull(get(get(inner, "properties"), "code"));
	ck_assert_ptr_nonnull(get(get(inner, "properties"), "message"));
	ck_assert_ptr_nonnull(get(get(inner, "properties"), "field"));
}
END_TEST

int main(void)
{
	router_init(route_tables);
	size_t len;
	doc = json_tokener_parse(openapi_json(&len));
	if (doc == NULL) {
		fprintf(stderr, "docs/openapi.json is not JSON\n");
		return EXIT_FAILURE;
	}
	int status =
	    check_run(check_suite("openapi", "openapi",
	                          CHECK_TESTS(embedded_is_the_file, every_route_is_documented,
	                                      every_documented_route_exists, webhook_events_both_ways, error_schema)));
	json_object_put(doc);
	return status;
}
