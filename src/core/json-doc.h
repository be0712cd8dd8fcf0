/* json-doc: strict JSON text parsing and typed, validated field getters for JSON documents (request bodies, stored
 * rules, forms turned into objects). */
#ifndef KEFU_CORE_JSON_DOC_H
#define KEFU_CORE_JSON_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"

/*
 * Make the calling thread parse JSON without a lock: every thread of ours
 * calls it first. json-c (0.16) duplicates the thread's locale at every
 * parse, to read numbers in the C locale whatever the process's; glibc
 * duplicates the process's global locale under its locale lock, taken for
 * writing, which a worker's threads queued for at every request (a tenth of
 * a worker's time at 64 connections posting messages), while its C locale
 * object is duplicated as itself. So the thread uses that object. Nothing
 * else changes: kefu never sets a locale, so the global one is C as well.
 */
void json_thread_init(void);

/* Deepest nesting of arrays and objects a body may use. */
#define JSON_BODY_MAX_DEPTH 32

/*
 * Parse a request body of n bytes (not NUL-terminated; body may be NULL when
 * n is 0) as one RFC 8259 JSON text.
 *  - Empty or whitespace-only body: *out = NULL and KEFU_OK (action endpoints
 *    accept empty bodies).
 *  - Not strict UTF-8 (overlongs, surrogates, NUL bytes...): KEFU_E_INVALID_UTF8.
 *  - Anything that is not exactly one JSON value, optionally surrounded by
 *    whitespace: KEFU_E_INVALID_JSON. That covers syntax errors, trailing
 *    garbage or a second value, nesting deeper than JSON_BODY_MAX_DEPTH, and
 *    the extensions json-c accepts even in strict mode (NaN, Infinity, "1.",
 *    raw control characters inside strings). A bare top-level null is
 *    refused too: no endpoint takes it, and *out = NULL means "empty body".
 *  - A leading UTF-8 byte order mark is skipped (RFC 8259 8.1 allows ignoring it).
 *  - Duplicate object keys: the last one wins (json-c's behaviour).
 *  - Integers beyond the 64-bit range saturate inside json-c; jb_int64 refuses
 *    INT64_MIN for that reason.
 * The result (any JSON type) belongs to the arena: it is released with
 * json_object_put at arena_reset(). Callers must not put it themselves.
 */
kefu_err json_body_parse(kefu_arena *a, const char *body, size_t n, json_object **out);

/*
 * json_body_parse, then require the top-level value to be an object: an array,
 * string, number... gives KEFU_E_INVALID_JSON (the body is not the JSON text
 * the endpoint speaks, rather than one wrong field). An empty body still gives
 * *out = NULL and KEFU_OK; the getters treat NULL as "no fields", so a required
 * field then fails with KEFU_E_INVALID_FIELD.
 */
kefu_err json_body_object(kefu_arena *a, const char *body, size_t n, json_object **out);

/*
 * Field getters. Shared contract:
 *  - obj is a JSON object or NULL (an empty body: every field absent). Any
 *    other JSON type gives KEFU_E_INVALID_JSON.
 *  - A field is absent when missing or JSON null (use jb_is_null to tell the
 *    two apart, e.g. for "clear this value" in PATCH bodies).
 *  - Absent and required, wrong JSON type, or out of range:
 *    KEFU_E_INVALID_FIELD with *bad_field = name (docs/openapi.json: a wrong type is 400
 *    invalid_field). No implicit conversions: "5" is not an int, 1.0 is not
 *    an int, 0/1 are not booleans.
 *  - Absent and optional: KEFU_OK; pointer outputs are set to NULL (arrays:
 *    *items = NULL, *n = 0); scalar outputs are left untouched, so callers can
 *    preset defaults, and *present says whether the field was there.
 *  - present and bad_field may be NULL.
 *  - Returned strings and objects are borrowed from obj (live until the arena
 *    reset that releases the parsed body); arrays are copied into arena a.
 */

/* A string of min_len..max_len code points, valid UTF-8 without NUL
 * (so "\u0000" is refused). Not trimmed. */
kefu_err jb_string(json_object *obj, const char *name, bool required, size_t min_len, size_t max_len, const char **out,
                   const char **bad_field);

/* An integer in min..max. INT64_MIN itself is always refused: json-c
 * saturates smaller numbers to it, so it cannot be told from them. */
kefu_err jb_int64(json_object *obj, const char *name, bool required, int64_t min, int64_t max, int64_t *out,
                  bool *present, const char **bad_field);

/* A database id: an integer in 1..INT64_MAX. */
kefu_err jb_id(json_object *obj, const char *name, bool required, int64_t *out, bool *present, const char **bad_field);

/* true or false. */
kefu_err jb_bool(json_object *obj, const char *name, bool required, bool *out, bool *present, const char **bad_field);

/* A string equal to one of allowed (a NULL-terminated list). *out points at
 * the matching allowed[] entry, so callers may compare pointers. */
kefu_err jb_enum(json_object *obj, const char *name, bool required, const char *const *allowed, const char **out,
                 const char **bad_field);

/* A nested object (borrowed). */
kefu_err jb_object(json_object *obj, const char *name, bool required, json_object **out, const char **bad_field);

/* An array of at most max_items ids (each 1..INT64_MAX), copied into a.
 * When the field is present, *ids is non-NULL even for [] (so "set to empty"
 * differs from "absent"). Duplicates are kept in order. */
kefu_err jb_id_array(json_object *obj, const char *name, bool required, size_t max_items, kefu_arena *a, int64_t **ids,
                     size_t *n, const char **bad_field);

/* An array of at most max_items strings, each as jb_string with
 * min_len..max_len; the pointer array is in a, the strings are borrowed.
 * Non-NULL *out when present, as for jb_id_array. */
kefu_err jb_string_array(json_object *obj, const char *name, bool required, size_t max_items, size_t min_len,
                         size_t max_len, kefu_arena *a, const char ***out, size_t *n, const char **bad_field);

/* True when obj is an object whose field name is present and JSON null. */
bool jb_is_null(json_object *obj, const char *name);

/* ids as a new JSON array of integers (the caller owns it, as with any json_object_new_*). */
json_object *json_ids(const int64_t *ids, size_t n);

/* {name: label} of a form's field list ([{"name","label",...}], anything else
 * gives {}), so answers keyed by name can be shown by their labels. New object. */
json_object *json_field_labels(json_object *fields);

#endif
