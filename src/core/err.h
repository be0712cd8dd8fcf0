/* err: the one error enum; each member maps to an HTTP status and a documented error code (docs/openapi.json). */
#ifndef KEFU_ERR_H
#define KEFU_ERR_H

typedef enum kefu_err {
	KEFU_OK = 0,
	KEFU_E_INVALID_JSON,      /* 400 invalid_json: body is not JSON */
	KEFU_E_INVALID_FIELD,     /* 400 invalid_field: a field is missing or wrong */
	KEFU_E_INVALID_UTF8,      /* 400 invalid_utf8: text that is not UTF-8 */
	KEFU_E_BAD_REQUEST,       /* 400 bad_request: malformed request otherwise */
	KEFU_E_IDENTITY_INVALID,  /* 400 identity_invalid: custom_params or v2 token */
	KEFU_E_UNAUTHENTICATED,   /* 401 unauthenticated: no or bad credentials */
	KEFU_E_FORBIDDEN,         /* 403 forbidden: role or scope does not allow */
	KEFU_E_CSRF,              /* 403 csrf: session call without its CSRF token */
	KEFU_E_ORIGIN,            /* 403 origin_not_allowed: widget call, foreign origin */
	KEFU_E_IDENTITY_REQUIRED, /* 403 identity_required: guest where identity is required */
	KEFU_E_NOT_FOUND,         /* 404 not_found: no such object in the caller's tenant */
	KEFU_E_METHOD,            /* 405 method_not_allowed: path exists, method does not */
	KEFU_E_CONFLICT,          /* 409 conflict: clashes with current state */
	KEFU_E_CAPACITY,          /* 409 capacity: agent at its maximum */
	KEFU_E_TOO_LARGE,         /* 413 too_large: body over the route's limit */
	KEFU_E_UNSUPPORTED_TYPE,  /* 415 unsupported_type: upload or body type refused */
	KEFU_E_RATE_LIMITED,      /* 429 rate_limited: slow down (Retry-After) */
	KEFU_E_UNAVAILABLE,       /* 503 unavailable: database unreachable, no effect */
	KEFU_E_INTERNAL,          /* 500 internal: a bug; logged with context */
	KEFU_E_RETRY,             /* store-internal: deadlock/lock wait; db_tx retries, 503 if it escapes */
	KEFU_E__MAX
} kefu_err;

/* The HTTP status for e (200 for KEFU_OK). */
int kefu_err_status(kefu_err e);
/* The documented snake_case code for e ("ok" for KEFU_OK). Static storage. */
const char *kefu_err_code(kefu_err e);
/* A default English message for a person. Static storage. */
const char *kefu_err_message(kefu_err e);

#endif
