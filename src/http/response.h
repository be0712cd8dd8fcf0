/* response: the writers a handler uses to say what goes back; http/server.c sends it. */
#ifndef KEFU_RESPONSE_H
#define KEFU_RESPONSE_H

#include <json-c/json.h>
#include <stddef.h>

#include "core/err.h"
#include "http/request.h"
#include "view/json.h" /* json_time, json_id: handlers build views with them */

/* Add a header; name and value must outlive the request (arena or static). */
void resp_header(struct kefu_req *r, const char *name, const char *value);

/* JSON response. Takes ownership of obj (released at the request's end). */
kefu_err resp_json(struct kefu_req *r, int status, json_object *obj);
/* No body (204 and friends). */
kefu_err resp_empty(struct kefu_req *r, int status);
/* A page rendered from templates/<tpl>.xhtml; takes ownership of data. */
kefu_err resp_html(struct kefu_req *r, int status, const char *tpl, json_object *data);
/* Raw bytes (downloads, text). body must outlive the request. */
kefu_err resp_bytes(struct kefu_req *r, int status, const char *type, const void *body, size_t n);
/* 303 See Other to a local path. */
kefu_err resp_redirect(struct kefu_req *r, const char *location);

/* The documented error body (docs/openapi.json) for e with the request's field and message; only the
 * router calls this. */
void resp_error(struct kefu_req *r, kefu_err e);

#endif
