/* builders: what a console page gives the builders of htdocs/console/cond-builder.js (field lists and labels). */
#ifndef KEFU_PAGES_BUILDERS_H
#define KEFU_PAGES_BUILDERS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "domain/channels.h"
#include "http/request.h"

/* The builders' labels ({"add": ..., "op_eq": ...}) from the catalog's "cb.*" keys, in r's language. */
json_object *cb_labels(struct kefu_req *r);

/*
 * One field of a condition builder: {"id", "label", "type"} and, for a
 * family (the manager types the key after the prefix id, "visitor."),
 * "key". label_key is a catalog key. Returns the field, to add "options"
 * (cb_option) or "ops" to.
 */
json_object *cb_field(struct kefu_req *r, const char *id, const char *label_key, const char *type, bool family);
/* Add {"value": id, "label": label} to field's options. */
void cb_option(json_object *field, int64_t id, const char *label);

/* The fields of the COND language (domain/conditions.h): visitor facts, and the visitor.*, prechat.* and
 * account.* families, as a new array. */
json_object *cb_cond_fields(struct kefu_req *r);

/* Add each pre-chat field of the channels ch[0..n) once, by name, to fields: "prechat.<name>" under its label,
 * a choice's options as an enum (what a manager picks from instead of typing the field's key). */
void cb_add_prechat(struct kefu_req *r, json_object *fields, const struct channel_row *ch, size_t n);

/* {"fields": fields (consumed), "labels": cb_labels} as JSON text for a data-config attribute, in r's arena. */
const char *cb_config(struct kefu_req *r, json_object *fields);

/* A fault inside the conditions ("match.all[2].value") is marked on that condition by the builder: d's
 * "match_fault" the part after "match." of the first such field of r's error, when there is one. */
void cb_match_fault(const struct kefu_req *r, json_object *d);

/* A stored object (a trigger, a conversation group) as its form shows it: "match" replaced by its JSON text, the
 * builder's start value ("all" when it has none). */
void cb_form_match(json_object *stored);

#endif
