/* json: the small JSON value helpers every view shares (times, ids). */
#ifndef KEFU_VIEW_JSON_H
#define KEFU_VIEW_JSON_H

#include <stdint.h>

#include <json-c/json.h>

/* RFC 3339 UTC from a DATETIME text ("2026-11-24 08:00:00.123" →
 * "2026-11-24T08:00:00Z"); NULL stays JSON null. Caller owns the result. */
json_object *json_time(const char *datetime);
/* A 64-bit id, or JSON null for 0. */
json_object *json_id(int64_t id);

#endif
