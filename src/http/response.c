/* response: serialise JSON, HTML and errors into the request's response fields. */
#include "http/response.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "http/app.h"
#include "view/template.h"

void resp_header(struct kefu_req *r, const char *name, const char *value)
{
	if (r->nheaders >= RESP_MAX_HEADERS) {
		log_error("http", "too many response headers on %s", r->path);
		return;
	}
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = value;
	r->nheaders++;
}

static void put_json(void *p)
{
	json_object_put(p);
}

kefu_err resp_json(struct kefu_req *r, int status, json_object *obj)
{
	arena_defer(r->arena, put_json, obj);
	size_t len;
	const char *s =
	    json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	r->status = status;
	r->resp_type = "application/json; charset=utf-8";
	r->resp_body = s;
	r->resp_len = len;
	return KEFU_OK;
}

kefu_err resp_empty(struct kefu_req *r, int status)
{
	r->status = status;
	r->resp_type = NULL;
	r->resp_body = NULL;
	r->resp_len = 0;
	return KEFU_OK;
}

static void free_buf(void *p)
{
	free(p);
}

kefu_err resp_html(struct kefu_req *r, int status, const char *tpl, json_object *data)
{
	arena_defer(r->arena, put_json, data);
	char *out = NULL, err[256];
	size_t len = 0;
	if (tpl_render(r->app->templates, tpl, data, r->lang, &out, &len, err, sizeof err) != 0) {
		log_error("view", "render %s: %s", tpl, err);
		return KEFU_E_INTERNAL;
	}
	arena_defer(r->arena, free_buf, out);
	r->status = status;
	r->resp_type = "text/html; charset=utf-8";
	r->resp_body = out;
	r->resp_len = len;
	r->html_page = true;
	return KEFU_OK;
}

kefu_err resp_bytes(struct kefu_req *r, int status, const char *type, const void *body, size_t n)
{
	r->status = status;
	r->resp_type = type;
	r->resp_body = body;
	r->resp_len = n;
	return KEFU_OK;
}

kefu_err resp_redirect(struct kefu_req *r, const char *location)
{
	resp_header(r, "Location", location);
	return resp_empty(r, 303);
}

void resp_error(struct kefu_req *r, kefu_err e)
{
	json_object *err = json_object_new_object();
	json_object_object_add(err, "code", json_object_new_string(kefu_err_code(e)));
	json_object_object_add(err, "message",
	                       json_object_new_string(r->err_message ? r->err_message : kefu_err_message(e)));
	if (r->err_field != NULL)
		json_object_object_add(err, "field", json_object_new_string(r->err_field));
	/* Every field at fault when the check reported them all (the first is "field" above). */
	if (r->err_nall > 0) {
		json_object *all = json_object_new_array();
		for (size_t i = 0; i < r->err_nall; i++) {
			json_object *f = json_object_new_object();
			json_object_object_add(f, "field", json_object_new_string(r->err_all[i].field));
			json_object_object_add(f, "message",
			                       json_object_new_string(r->err_all[i].message ? r->err_all[i].message
			                                                                    : kefu_err_message(e)));
			json_object_array_add(all, f);
		}
		json_object_object_add(err, "fields", all);
	}
	json_object *body = json_object_new_object();
	json_object_object_add(body, "error", err);
	r->nheaders = 0; /* whatever the handler added belonged to a success */
	if (e == KEFU_E_RATE_LIMITED || e == KEFU_E_UNAVAILABLE || e == KEFU_E_RETRY)
		resp_header(r, "Retry-After", arena_printf(r->arena, "%d", r->retry_after > 0 ? r->retry_after : 1));
	resp_json(r, kefu_err_status(e), body);
}
