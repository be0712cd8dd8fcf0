/* visitor-facts: what an agent sees of a conversation's visitor in its header: browser, OS, device, language,
 * referrer, current page and since when, new or returning, identified or not. */
#include "domain/visitor-facts.h"

#include "store/store-history.h"

kefu_err conv_visitor_facts(struct kefu_db *db, kefu_arena *a, const struct conversation_row *c,
                            const struct visitor_row *v, struct conv_visitor_facts *out)
{
	*out = (struct conv_visitor_facts){.locale = v->locale,
	                                   .referrer = v->referrer,
	                                   .page_url = v->page_url,
	                                   .page_since = v->last_seen_at,
	                                   .first_seen_at = v->created_at,
	                                   .identified = v->identified};
	/* What visitor insight recorded from page views wins over the registration's. */
	struct live_row live;
	kefu_err e = db_live_get(db, a, c->tenant_id, v->id, &live);
	if (e != KEFU_OK)
		return e;
	out->live = live.live;
	out->sessions = live.sessions;
	if (live.page_url) {
		out->page_url = live.page_url;
		out->page_title = live.page_title;
	}
	if (live.page_since)
		out->page_since = live.page_since;
	if (live.referrer)
		out->referrer = live.referrer;
	if (live.browser) {
		out->browser = live.browser;
		out->browser_version = live.browser_version;
		out->os = live.os;
		out->device = live.device;
	} else if (v->user_agent && *v->user_agent) {
		struct useragent ua;
		useragent_parse(v->user_agent, &ua);
		out->browser = arena_strdup(a, ua.browser);
		out->browser_version = ua.version[0] ? arena_strdup(a, ua.version) : NULL;
		out->os = arena_strdup(a, ua.os);
		out->device = useragent_device_name(ua.device);
	}
	int64_t known_s = 0;
	e = db_history_visitor_past(db, a, c->tenant_id, c->id, &out->previous_conversations, &known_s);
	if (e == KEFU_OK)
		out->returning = out->previous_conversations > 0 || out->sessions > 1 || known_s >= RETURNING_AFTER_S;
	return e;
}
