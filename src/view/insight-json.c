/* insight-json: the live visitor item, page views and triggers as the API shows them. */
#include "view/insight-json.h"

#include <string.h>

#include "core/netaddr.h"
#include "view/json.h"

json_object *insight_live_json(const struct live_row *x)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "visitor_id", json_object_new_int64(x->visitor_id));
	if (x->name != NULL)
		json_object_object_add(o, "name", json_object_new_string(x->name));
	json_object_object_add(o, "identified", json_object_new_boolean(x->identified));
	json_object *ch = json_object_new_object();
	json_object_object_add(ch, "id", json_object_new_int64(x->channel_id));
	json_object_object_add(ch, "name", json_str(x->channel_name));
	json_object_object_add(o, "channel", ch);
	json_object *page = json_object_new_object();
	json_object_object_add(page, "url", json_str(x->page_url));
	json_object_object_add(page, "title", json_str(x->page_title));
	json_object_object_add(page, "since", json_time(x->page_since));
	json_object_object_add(o, "page", page);
	json_object_object_add(o, "pages_viewed", json_object_new_int64(x->pages_viewed));
	json_object_object_add(o, "first_seen_at", json_time(x->first_seen_at));
	if (x->referrer != NULL && x->referrer[0] != '\0')
		json_object_object_add(o, "referrer", json_object_new_string(x->referrer));
	json_object *b = json_object_new_object();
	json_object_object_add(b, "name", json_object_new_string(x->browser ? x->browser : "Other"));
	json_object_object_add(b, "version", json_object_new_string(x->browser_version ? x->browser_version : ""));
	json_object_object_add(o, "browser", b);
	json_object_object_add(o, "os", json_object_new_string(x->os ? x->os : "Other"));
	const char *d = x->device;
	json_object_object_add(
	    o, "device",
	    json_object_new_string(d && (strcmp(d, "mobile") == 0 || strcmp(d, "tablet") == 0) ? d : "desktop"));
	if (x->locale != NULL)
		json_object_object_add(o, "locale", json_object_new_string(x->locale));
	if (x->conversation_id != 0)
		json_object_object_add(o, "conversation_id", json_object_new_int64(x->conversation_id));
	if (x->invitation_id != 0 && x->invitation_status != NULL) {
		json_object *inv = json_object_new_object();
		json_object_object_add(inv, "id", json_object_new_int64(x->invitation_id));
		json_object_object_add(inv, "status", json_object_new_string(x->invitation_status));
		json_object_object_add(o, "invitation", inv);
	}
	json_object_object_add(o, "returning", json_object_new_boolean(x->sessions > 1));
	json_object_object_add(o, "live", json_object_new_boolean(x->live));
	json_object_object_add(o, "last_seen_at", json_time(x->seen_at));
	json_object_object_add(o, "appeared_at", json_time(x->appeared_at));
	char masked[NETADDR_MASK_LEN];
	if (x->address != NULL && !x->mask_address)
		json_object_object_add(o, "address", json_object_new_string(x->address));
	else if (netaddr_mask(x->address, masked))
		json_object_object_add(o, "address", json_object_new_string(masked));
	if (x->country != NULL)
		json_object_object_add(o, "country", json_object_new_string(x->country));
	if (x->city != NULL)
		json_object_object_add(o, "city", json_object_new_string(x->city));
	return o;
}

/* The page's address as recorded ("" when lost), and its time on the page
 * (null for the newest view, still open). */
static json_object *pageview_url(const void *row)
{
	const struct pageview_row *p = row;
	return json_object_new_string(p->url ? p->url : "");
}

static json_object *pageview_seconds(const void *row)
{
	const struct pageview_row *p = row;
	return p->seconds >= 0 ? json_object_new_int64(p->seconds) : NULL;
}

static const struct json_field pageview_fields[] = {
    JSON_FIELD_FN("url", pageview_url),
    JSON_FIELD(struct pageview_row, title, STR),
    JSON_FIELD_AS("at", struct pageview_row, created_at, TIME),
    JSON_FIELD(struct pageview_row, referrer, STR),
    JSON_FIELD_FN("seconds", pageview_seconds),
};

json_object *insight_pageview_json(const struct pageview_row *p)
{
	return JSON_VIEW(p, pageview_fields);
}

/* A trigger's match: "all", or its stored {"all": [...]}. */
static json_object *trigger_match(const void *row)
{
	json_object *m = json_parsed(((const struct trigger_row *)row)->match);
	return m ? m : json_object_new_string("all");
}

static const struct json_field trigger_fields[] = {
    JSON_FIELD(struct trigger_row, id, I64),
    JSON_FIELD(struct trigger_row, channel_id, I64),
    JSON_FIELD(struct trigger_row, name, STR),
    JSON_FIELD(struct trigger_row, enabled, BOOL),
    JSON_FIELD_FN("match", trigger_match),
    JSON_FIELD(struct trigger_row, after_seconds, I64),
    JSON_FIELD(struct trigger_row, text, STR),
    JSON_FIELD(struct trigger_row, once_per_hours, I64),
    JSON_FIELD(struct trigger_row, created_at, TIME),
    JSON_FIELD(struct trigger_row, updated_at, TIME),
};

json_object *insight_trigger_json(const struct trigger_row *t)
{
	return JSON_VIEW(t, trigger_fields);
}
