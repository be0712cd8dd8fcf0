/* quick-buttons: quick-send record buttons (validation, who sees them, record filters, card templates). */
#ifndef KEFU_DOMAIN_QUICK_BUTTONS_H
#define KEFU_DOMAIN_QUICK_BUTTONS_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/crud.h"
#include "store/db.h"
#include "store/store-quick-buttons.h"

#define QUICK_MAX_CONDS    10
#define QUICK_TEMPLATE_MAX 2000
#define QUICK_MAX_LINES    20

/* What a filter may refer to about the visitor; NULL when unknown (a
 * condition on an unknown value is false, so a visitor without an account
 * never sees records "of their account"). */
struct quick_vars {
	const char *id, *account_id, *contact_id, *phone, *name;
};

/*
 * A filter: absent/null (every record of the object) or {"all": [COND, ...]}
 * with at most QUICK_MAX_CONDS conditions COND = {"field": name | "id",
 * "op": eq|ne|contains|prefix|in|exists, "value": ...}: a string, number or
 * boolean (an array of them for in; a boolean for exists); a string value
 * "$visitor.id|account_id|contact_id|phone|name" is the visitor's. Pure.
 * KEFU_E_INVALID_FIELD with *bad ("filter.all.0.op") otherwise.
 */
kefu_err quick_filter_check(kefu_arena *a, json_object *filter, const char **bad);

/* Whether a record (its id and parsed fields) passes a checked filter for vars. Pure. */
bool quick_filter_match(kefu_arena *a, json_object *filter, int64_t record_id, json_object *fields,
                        const struct quick_vars *vars);

/* Render tpl: "{{name}}" (spaces allowed inside the braces) becomes the
 * field's text, "{{id}}" and "{{external_id}}" the record's; unknown or
 * empty gives "". Plain text: escaping is the displayer's job. *title is the
 * first line, *lines (a new array the caller owns) the rest, at most
 * QUICK_MAX_LINES, "\r" dropped. Pure. */
void quick_template_render(kefu_arena *a, const char *tpl, int64_t record_id, const char *external_id,
                           json_object *fields, const char **title, json_object **lines);

/* Whether an (identified) visitor with roles (JSON array text) on
 * channel_id sees button b. Guests never do. Pure. */
bool quick_visible(const struct quick_button *b, bool identified, const char *roles, int64_t channel_id);

/* The admin resource (domain/crud.h): quick_button_check's rows, audited
 * as "quick_button" with the name. */
extern const struct crud_ops quick_button_ops;
/* The API object (new, caller owns). */
json_object *quick_button_json(const struct quick_button *b);

/* Check a create (base NULL) or PATCH body into *out (strings in a). */
kefu_err quick_button_check(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, json_object *body,
                            const struct quick_button *base, struct quick_button *out, const char **bad);

/* The records of button_id the visitor may send, id > after, up to limit
 * items as {"id","title","lines"} in *items (new array); *next_after 0 at
 * the end. KEFU_E_FORBIDDEN when the visitor does not see the button. */
kefu_err quick_records(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t button_id,
                       int64_t after, int64_t limit, json_object **items, int64_t *next_after);

/* The card for sending record_id with button_id: checks the button is
 * visible to the visitor (on the visitor's channel) and the record passes
 * the filter, else KEFU_E_FORBIDDEN; *card is {"object","record_id",
 * "button_id","title","lines"} (new object). */
kefu_err quick_card_render(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t button_id,
                           int64_t record_id, json_object **card);

/* Post a rendered card as the visitor's message in conversation_id (one
 * transaction: message, its event to the conversation and its agent).
 * Through conv_tx_card, like every other message. *message is
 * the MESSAGE (caller owns). KEFU_E_NOT_FOUND, KEFU_E_CONFLICT (closed). */
kefu_err quick_card_post(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                         int64_t conversation_id, json_object *card, json_object **message);

/* The widget's card message, body {"kind":"card","button_id","record_id"}:
 * the conversation must be the visitor's (else KEFU_E_NOT_FOUND), then
 * quick_card_render (KEFU_E_FORBIDDEN), then quick_card_post. Bad ids:
 * KEFU_E_INVALID_FIELD with *bad. *message as quick_card_post. */
kefu_err quick_card_send(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id,
                         int64_t conversation_id, json_object *body, json_object **message, const char **bad);

#endif
