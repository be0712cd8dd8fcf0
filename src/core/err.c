/* err: status, code and default message for each kefu_err. */
#include "core/err.h"

static const struct {
	int status;
	const char *code;
	const char *message;
} errs[KEFU_E__MAX] = {
    [KEFU_OK] = {200, "ok", "OK"},
    [KEFU_E_INVALID_JSON] = {400, "invalid_json", "The request body is not valid JSON."},
    [KEFU_E_INVALID_FIELD] = {400, "invalid_field", "A field is missing or invalid."},
    [KEFU_E_INVALID_UTF8] = {400, "invalid_utf8", "The request contains invalid UTF-8."},
    [KEFU_E_BAD_REQUEST] = {400, "bad_request", "The request is malformed."},
    [KEFU_E_IDENTITY_INVALID] = {400, "identity_invalid", "The identity parameters are invalid."},
    [KEFU_E_UNAUTHENTICATED] = {401, "unauthenticated", "Authentication is required."},
    [KEFU_E_FORBIDDEN] = {403, "forbidden", "You are not allowed to do this."},
    [KEFU_E_CSRF] = {403, "csrf", "The CSRF token is missing or wrong."},
    [KEFU_E_ORIGIN] = {403, "origin_not_allowed", "This origin is not allowed for the channel."},
    [KEFU_E_IDENTITY_REQUIRED] = {403, "identity_required", "This channel requires a verified identity."},
    [KEFU_E_NOT_FOUND] = {404, "not_found", "Not found."},
    [KEFU_E_METHOD] = {405, "method_not_allowed", "This method is not allowed here."},
    [KEFU_E_CONFLICT] = {409, "conflict", "This conflicts with the current state."},
    [KEFU_E_CAPACITY] = {409, "capacity", "The agent is at maximum capacity."},
    [KEFU_E_TOO_LARGE] = {413, "too_large", "The request body is too large."},
    [KEFU_E_UNSUPPORTED_TYPE] = {415, "unsupported_type", "This content type is not supported."},
    [KEFU_E_RATE_LIMITED] = {429, "rate_limited", "Too many requests; try again later."},
    [KEFU_E_UNAVAILABLE] = {503, "unavailable", "The service is temporarily unavailable."},
    [KEFU_E_INTERNAL] = {500, "internal", "Internal error."},
    [KEFU_E_RETRY] = {503, "unavailable", "The service is busy; try again."},
};

static int valid(kefu_err e)
{
	return (int)e >= 0 && e < KEFU_E__MAX;
}

int kefu_err_status(kefu_err e)
{
	return valid(e) ? errs[e].status : 500;
}

const char *kefu_err_code(kefu_err e)
{
	return valid(e) ? errs[e].code : "internal";
}

const char *kefu_err_message(kefu_err e)
{
	return valid(e) ? errs[e].message : "Internal error.";
}
