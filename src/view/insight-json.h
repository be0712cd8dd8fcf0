/* insight-json: visitor insight's JSON views (docs/openapi.json, "Visitor insight"): the live item, a page view, a
 * proactive trigger. */
#ifndef KEFU_VIEW_INSIGHT_JSON_H
#define KEFU_VIEW_INSIGHT_JSON_H

#include <json-c/json.h>

#include "store/store-insight.h"

/* {"visitor_id", "name"?, "identified", "channel", "page", "pages_viewed", "first_seen_at", "referrer"?, "browser",
 * "os", "device", "locale"?, "conversation_id"?, "invitation"?, "returning", "live", "last_seen_at"}; new object. */
json_object *insight_live_json(const struct live_row *x);
/* {"url", "title", "at", "referrer", "seconds"}; new object. */
json_object *insight_pageview_json(const struct pageview_row *p);
/* {"id", "channel_id", "name", "enabled", "match", "after_seconds", "text", "once_per_hours", "created_at",
 * "updated_at"}; new object. */
json_object *insight_trigger_json(const struct trigger_row *t);

#endif
