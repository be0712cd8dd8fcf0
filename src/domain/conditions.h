/* conditions: the COND language of the rules API (docs/openapi.json, docs/assignment.md) (visitor / prechat / account
 * fields, six operators): validation and evaluation.
 */
#ifndef KEFU_DOMAIN_CONDITIONS_H
#define KEFU_DOMAIN_CONDITIONS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"

/* Most conditions in one match, and longest field path. */
#define COND_MAX       50
#define COND_FIELD_MAX 100

/*
 * What a condition is evaluated against: three JSON objects (any may be
 * NULL: every field of it is absent), borrowed. visitor holds phone,
 * identified (bool), page_url, locale, name and every identity key and
 * registration attribute; prechat the pre-chat answers; account the CRM
 * account's fields.
 */
struct cond_facts {
	json_object *visitor, *prechat, *account;
	json_object *page; /* url, title, referrer of the page viewed (proactive triggers only), or NULL */
};

/*
 * Check one COND object: field "visitor.<key>", "prechat.<key>" or
 * "account.<key>" (key: 1..64 of [A-Za-z0-9_.-]); op one of eq ne contains
 * prefix in exists; value a string, number or boolean for eq/ne, a string
 * for contains/prefix, a non-empty array of those for in, and an optional
 * boolean for exists (true by default). KEFU_E_INVALID_FIELD with *bad the
 * sub-field at fault ("field", "op" or "value").
 */
kefu_err cond_check(json_object *cond, const char **bad);
/* The same where a page is known (proactive triggers, docs/visitor-insight.md): "page.<key>" too. Both also take
 * op "gte" and "lte" with a number value (the field read as a number; not one: false). */
kefu_err cond_check_page(json_object *cond, const char **bad);

/*
 * Check a route's match: the string "all", or {"all": [COND, ...]} (at most
 * COND_MAX). *bad is a path below the match ("all[2].op"), in arena a.
 */
kefu_err cond_check_match(kefu_arena *a, json_object *match, const char **bad);
kefu_err cond_check_match_page(kefu_arena *a, json_object *match, const char **bad);

/*
 * Whether one (valid) condition holds. Values compare as text: a boolean is
 * "true"/"false", a number its decimal form, so {"value": true} matches
 * visitor.identified and {"value": "true"} too. An absent field: ne holds,
 * exists false holds, everything else fails. contains and prefix are
 * byte-wise and case-sensitive (UTF-8 safe: no case folding).
 */
bool cond_eval(json_object *cond, const struct cond_facts *f);

/* A (valid) match holds: "all" (or NULL), or every condition of {"all": [...]}. */
bool cond_match(json_object *match, const struct cond_facts *f);

#endif
