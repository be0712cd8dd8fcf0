/* channels: the rules for a web channel's settings (origins, style, pre-chat form), its embed snippet and origin
 * checks. */
#ifndef KEFU_DOMAIN_CHANNELS_H
#define KEFU_DOMAIN_CHANNELS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "domain/crud.h"
#include "store/db.h"
#include "store/store-channels.h"

#define CHANNEL_MAX_ORIGINS 50
#define CHANNEL_MAX_PRECHAT 20

/*
 * Validators. Each takes the JSON value the admin sent (NULL = absent) and
 * writes the normalised JSON text to store in *out (arena a). On a bad value
 * they return KEFU_E_INVALID_FIELD with *bad naming the field
 * ("allowed_origins", "style.theme_color", "prechat_fields.2.name").
 */

/* An array of at most 50 origins "http(s)://host[:port]", no path, no
 * slash; scheme and host lowercased (browsers send them so), duplicates
 * dropped. Absent → []. */
kefu_err channel_check_origins(kefu_arena *a, json_object *v, const char **out, const char **bad);

/* The style object. Fields missing from v come from base (the stored style
 * text, for PATCH) and then from the defaults, so the result has them all:
 * theme_color "#rrggbb", button_label 1..20 code points, button_style
 * bubble|tab|bar, icon chat|headset|message|https URL, position right|left.
 * Unknown keys are refused (a typo should not be silently lost). */
kefu_err channel_check_style(kefu_arena *a, json_object *v, const char *base, const char **out, const char **bad);

/* The pre-chat form: at most 20 fields {name [a-z][a-z0-9_]{0,31} unique,
 * label 1..100, type text|phone|email|select, options (select only: 1..50
 * strings), required bool (default false)}. Absent → []. */
kefu_err channel_check_prechat(kefu_arena *a, json_object *v, const char **out, const char **bad);

/* A channel's editable settings as stored: name, the three JSON texts and
 * the address left messages are also mailed to (NULL: none). */
struct channel_settings {
	const char *name, *origins, *style, *prechat, *notify_email;
	bool tracking; /* visitor insight (docs/visitor-insight.md); absent keeps it, false for a new channel */
};

/* The settings a create (base NULL: name required, defaults elsewhere) or an
 * update (base: the stored settings, which absent or null fields keep;
 * notify_email: null clears it, a string must pass mail_addr_ok)
 * writes, from the API's JSON body (NULL = empty). The API and the console
 * form both come through here. KEFU_E_INVALID_JSON when body is not an
 * object; KEFU_E_INVALID_FIELD with *bad as for the validators above. */
kefu_err channel_read_settings(kefu_arena *a, json_object *body, const struct channel_settings *base,
                               struct channel_settings *out, const char **bad);
/* The same, reporting every part at fault into fs (name, origins, style, pre-chat fields, notify_email). */
kefu_err channel_read_settings_all(kefu_arena *a, json_object *body, const struct channel_settings *base,
                                   struct channel_settings *out, struct fault *fs);

/* True when origin (an Origin header) is exactly one of the stored origins. */
bool channel_origin_allowed(const char *origins_json, const char *origin);

/* Whether a widget request may proceed, given its Origin header (NULL when
 * the browser sent none: same-origin GETs, the widget frame's own page,
 * scripts). Allowed: no Origin, kefu's own origin (the origin of public_url:
 * the frame lives there and browsers send Origin on its POSTs), or one of
 * the channel's origins. */
bool channel_origin_ok(const char *origins_json, const char *public_url, const char *origin);

/* The CSP frame-ancestors source list for the stored origins: the origins
 * themselves, or 'none' for an empty list; escaped of anything that could end
 * the header value (they were validated, this is belt and braces). */
const char *channel_frame_ancestors(kefu_arena *a, const char *origins_json);

/* The admin API's and console's writes: create (*id 0: a new random key is
 * made) or update channel *id in who's tenant, with its audit entry, in one
 * transaction, so no change goes unrecorded. The texts are validated ones. */
kefu_err channel_save(struct kefu_db *db, const struct actor *who, int64_t *id, const struct channel_settings *s);

/* The stored settings of c, as channel_read_settings takes them for a base. */
struct channel_settings channel_settings_of(const struct channel_row *c);
/* Soft delete with its audit entry, in one transaction. */
kefu_err channel_delete(struct kefu_db *db, const struct actor *who, int64_t id);

/* The API's CHANNEL object of c; a new object. */
json_object *channel_json(const struct channel_row *c);
/* The admin resource /admin/channels (domain/crud.h): a POST or PATCH body
 * read with channel_read_settings_all (every field at fault in c->fault),
 * written by channel_save, removed by channel_delete; audited as "channel". */
extern const struct crud_ops channel_ops;

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_channel_get (store/store-channels.h). */
kefu_err channel_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct channel_row *out);

/* As db_channel_list (store/store-channels.h). */
kefu_err channel_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct channel_row **rows, size_t *n);

/* As db_channel_by_key (store/store-channels.h). */
kefu_err channel_by_key(struct kefu_db *db, kefu_arena *a, const char *key, struct channel_row *out);

/* As db_channel_tenant_online (store/store-channels.h). */
kefu_err channel_tenant_online(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, bool *online);

#endif
