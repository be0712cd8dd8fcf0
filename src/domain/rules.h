/* rules: the assignment rule document: validation, canonical JSON, PATCH merge, and the leave-a-message form. */
#ifndef KEFU_DOMAIN_RULES_H
#define KEFU_DOMAIN_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "domain/crud.h"
#include "domain/strategy.h"

#define RULE_MAX_ROUTES      50
#define RULE_MAX_CHANNELS    200
#define RULE_MAX_CHOICES     20
#define RULE_MAX_FORM_FIELDS 20
#define RULE_TEXT_MAX        2000

struct rule_route {
	int64_t group_id;
	json_object *match; /* "all" or {"all": [...]}, borrowed from the document */
};

struct rule_message {
	bool enabled;
	const char *text; /* "" when none */
};

/* A rule as the engine reads it; everything borrowed from doc. */
struct rule {
	int64_t id, tenant_id;
	const char *name;
	int64_t priority, max_concurrent;
	bool require_identity;
	int64_t *channel_ids;
	size_t nchannels;
	const char *welcome, *promo; /* "" when none */
	bool visitor_choice;
	struct rule_route *routes;
	size_t nroutes;
	int64_t fallback_group_id; /* 0: none (unmatched → the tenant's default pool) */
	const char *choice_prompt;
	int64_t *choice_group_ids;
	size_t nchoices;
	enum strategy strategy;
	bool owner_fallback_queue;
	struct rule_message all_busy, all_offline, out_of_hours;
	bool leave_enabled;
	json_object *leave_fields; /* array of {"name","label","type","required"[,"options"]} */
	json_object *doc;          /* the canonical document (without id), owned by the arena */
};

/*
 * Validate a rule document (docs/openapi.json) and build its canonical form (every
 * field present, defaults filled: priority 100, max_concurrent 5, strategy
 * load, owner_fallback load, messages off, leave_message off). Shapes only:
 * that groups and channels are the tenant's is checked by the save (store).
 * KEFU_E_INVALID_FIELD with *bad the document path of the field
 * ("routing.routes[0].match.all[1].op", "max_concurrent", ...), in a.
 */
kefu_err rule_parse(kefu_arena *a, json_object *in, struct rule *out, const char **bad);
/* The same check, reporting every field at fault into fs (fault_add: path and a message in English). */
kefu_err rule_parse_all(kefu_arena *a, json_object *in, struct rule *out, struct fault *fs);

/* A PATCH body merged over a stored canonical document: top-level keys
 * replace, except routing, messages and leave_message, whose keys replace
 * one level down. A new object in a (released with it). */
json_object *rule_merge(kefu_arena *a, json_object *stored, json_object *patch);

/* The stored document text back to a struct (it was valid when stored). */
kefu_err rule_from_text(kefu_arena *a, int64_t id, int64_t tenant_id, const char *doc, struct rule *out);

/* The API view: the canonical document plus "id" (caller owns it). */
json_object *rule_json(const struct rule *r);

/* Every group id the rule names (routes, fallback, choices), deduplicated,
 * in a; with the document path of its first mention in *paths. */
size_t rule_group_refs(kefu_arena *a, const struct rule *r, int64_t **ids, const char ***paths);

/*
 * Check a left message's fields against the rule's form: a JSON object of
 * strings; required ones present and not blank; phone/email shaped as for
 * the pre-chat form; select one of the options; each at most 2000 code
 * points; unknown keys dropped. *canonical: the JSON text to store (a).
 * KEFU_E_INVALID_FIELD with *bad = "fields.<name>" (or "fields").
 */
kefu_err rule_leave_check(kefu_arena *a, const struct rule *r, json_object *fields, const char **canonical,
                          const char **bad);

/* ---- saving (rules-admin.c): tenant checks, store, audit, one transaction ---- */

struct kefu_db;

/*
 * Create (*id == 0) from body, or PATCH rule *id with body merged over the
 * stored document; groups and channels must be r's tenant's (else
 * KEFU_E_INVALID_FIELD naming the field, e.g. "routing.routes[0].group_id",
 * "routing.fallback_group_id", "channel_ids", in c->fault); the audit entry
 * and, when the maximum went up, the rule's queue drain commit with it.
 * *view: the API object (caller owns).
 */
kefu_err rule_save(const struct crud_ctx *c, json_object *body, int64_t *id, json_object **view);
/* KEFU_E_CONFLICT while conversations wait in the rule's queues. */
kefu_err rule_delete(const struct crud_ctx *c, int64_t id);
kefu_err rule_view(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, json_object **out);
/* {"items": [...]} by ascending priority (caller owns). */
kefu_err rule_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out);
/* The admin resource (domain/crud.h): the functions above, audited as "rule". */
extern const struct crud_ops rule_ops;

#endif
