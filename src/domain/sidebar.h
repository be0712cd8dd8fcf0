/* sidebar: the workbench side panel, which objects and fields it shows and the records related to a visitor. */
#ifndef KEFU_DOMAIN_SIDEBAR_H
#define KEFU_DOMAIN_SIDEBAR_H

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#define SIDEBAR_MAX_OBJECTS 10
#define SIDEBAR_MAX_FIELDS  30
/* Most records of one object the panel lists. */
#define SIDEBAR_MAX_RECORDS 20

struct visitor_row;

/* What a tenant that never chose sees: account, contact, leads, tickets, orders. */
extern const char sidebar_default[];

/* Check body {"objects": [{"object", "fields": [...]}]}: built-in objects,
 * each once, fields defined for it (custom ones included), each once, at
 * least one. *out: the normalised JSON text (in a). KEFU_E_INVALID_FIELD
 * with *bad ("objects.1.fields.0"). */
kefu_err sidebar_check(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object *body, const char **out,
                       const char **bad);

/* Store a checked configuration (sidebar_check's *out) for r's tenant, in
 * one transaction with its audit row (the admin API and the console). */
kefu_err sidebar_save(struct kefu_db *db, const struct actor *who, const char *config);

/* The tenant's configuration (stored, else the default) as a new object. */
kefu_err sidebar_config(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object **out);

/* The panel for visitor v: {"objects": [{"object","label","records":[{"id","fields":[{"name","label","value"}]}]}]}.
 * Account and contact by the visitor's links, the visitor's own
 * WebImVisitorObj record, other objects by their account_id/contact_id.
 * Labels in lang. A new object. */
kefu_err sidebar_build(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *lang,
                       const struct visitor_row *v, json_object **out);

#endif
