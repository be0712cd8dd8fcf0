/* insight-json: the live visitor item, page views and triggers as the API shows them. */
#include "view/insight-json.h"

#include <string.h>

#include "core/netaddr.h"
#include "view/json.h"

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *insight_live_json(const struct live_row *x)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "visitor_id", json_object_new_int64(x->visitor_id));
	if (x->name != NULL)
		json_object_object_add(o, "name", json_object_new_string(x->name));
	json_object_object_add(o, "identified", json_object_new_boolean(x->identified));
	json_object *ch = json_object_new_object();
	json_object_object_add(ch, "id", json_object_new_int64(x->channel_id));
	json_object_object_add(ch, "name", str_or_null(x->channel_name));
	json_object_object_add(o, "channel", ch);
	json_object *page = json_object_new_object();
	json_object_object_add(page, "url", str_or_null(x->page_url));
	json_object_object_add(page, "title", str_or_null(x->page_title));
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

json_object *insight_pageview_json(const struct pageview_row *p)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "url", json_object_new_string(p->url ? p->url : ""));
	json_object_object_add(o, "title", str_or_null(p->title));
	json_object_object_add(o, "at", json_time(p->created_at));
	json_object_object_add(o, "referrer", str_or_null(p->referrer));
	json_object_object_add(o, "seconds", p->seconds >= 0 ? json_object_new_int64(p->seconds) : NULL);
	return o;
}

json_object *insight_trigger_json(const struct trigger_row *t)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(t->id));
	json_object_object_add(o, "channel_id", json_object_new_int64(t->channel_id));
	json_object_object_add(o, "name", str_or_null(t->name));
	json_object_object_add(o, "enabled", json_object_new_boolean(t->enabled));
	json_object *m = t->match ? json_tokener_parse(t->match) : NULL;
	json_object_object_add(o, "match", m ? m : json_object_new_string("all"));
	json_object_object_add(o, "after_seconds", json_object_new_int64(t->after_seconds));
	json_object_object_add(o, "text", str_or_null(t->text));
	json_object_object_add(o, "once_per_hours", json_object_new_int64(t->once_per_hours));
	json_object_object_add(o, "created_at", json_time(t->created_at));
	json_object_object_add(o, "updated_at", json_time(t->updated_at));
	return o;
}
