/* api-openapi: GET /api/v1/openapi.json, the document compiled into the worker from docs/openapi.json. */
#include "api/openapi.h"

#include "http/response.h"
#include "http/router.h"

/* Embedded at compile time so the worker reads no file for it: the build
 * passes the path (src/api/local.mk) and the object depends on the file.
 * tools/openapi-gen writes docs/openapi.json from docs/openapi/source.mjs. */
#ifndef KEFU_OPENAPI_FILE
#error "KEFU_OPENAPI_FILE must name docs/openapi.json (src/api/local.mk)"
#endif
__asm__(".pushsection .rodata\n"
        ".balign 16\n"
        "kefu_openapi_start:\n"
        ".incbin \"" KEFU_OPENAPI_FILE "\"\n"
        "kefu_openapi_end:\n"
        ".byte 0\n"
        ".popsection\n");
extern const char kefu_openapi_start[], kefu_openapi_end[];

const char *openapi_json(size_t *len)
{
	*len = (size_t)(kefu_openapi_end - kefu_openapi_start);
	return kefu_openapi_start;
}

static kefu_err document(struct kefu_req *r)
{
	size_t n;
	const char *text = openapi_json(&n);
	/* Public and the same for every caller until the worker is upgraded. */
	resp_header(r, "Cache-Control", "public, max-age=300");
	resp_header(r, "Access-Control-Allow-Origin", "*");
	return resp_bytes(r, 200, "application/json; charset=utf-8", text, n);
}

const struct route api_openapi_routes[] = {
    {"GET", "/api/v1/openapi.json", document, AUTH_NONE, BODY_NONE},
    ROUTES_END,
};
