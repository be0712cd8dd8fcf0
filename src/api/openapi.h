/* openapi: the OpenAPI 3.1 document of the REST API (docs/openapi.json), embedded in the binary. */
#ifndef KEFU_OPENAPI_H
#define KEFU_OPENAPI_H

#include <stddef.h>

/* The document's bytes, NUL-terminated (static storage); *len set to its length. */
const char *openapi_json(size_t *len);

#endif
