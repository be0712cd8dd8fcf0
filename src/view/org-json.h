/* org-json: the JSON views of the organisation's audit entries and API keys. */
#ifndef KEFU_VIEW_ORG_JSON_H
#define KEFU_VIEW_ORG_JSON_H

#include <json-c/json.h>

#include "store/store-apikeys.h"
#include "store/store-audit.h"

/* {"id", "actor": {"type": "user"|"api_key"|null, "id", "name"}, "action",
 * "object_type", "object_id", "summary": {...}, "created_at"}; new object. */
json_object *audit_entry_json(const struct audit_row *x);
/* {"id", "name", "prefix", "scopes": ["admin"|"crm", ...], "created_at",
 * "last_used_at"} (never the key itself); new object. */
json_object *api_key_json(const struct api_key_row *k);

#endif
