/* visitor-facts: what an agent sees of a conversation's visitor in its header: browser, OS, device, language,
 * referrer, current page and since when, new or returning, identified or not. */
#include "domain/visitor-facts.h"

#include "store/store-history.h"

kefu_err visitor_facts(struct kefu_db *db, kefu_arena *a, const struct conversation_row *c, const struct visitor_row *v,
                       struct visitor_facts *out)
{
	*out = (struct visitor_facts){.has_ua = v->user_agent != NULL && *v->user_agent != '\0',
	                              .locale = v->locale,
	                              .referrer = v->referrer,
	                              .page_url = v->page_url,
	                              .page_since = v->last_seen_at,
	                              .first_seen_at = v->created_at,
	                              .identified = v->identified};
	useragent_parse(v->user_agent, &out->ua);
	int64_t known_s = 0;
	kefu_err e = db_history_visitor_past(db, a, c->tenant_id, c->id, &out->previous_conversations, &known_s);
	if (e == KEFU_OK)
		out->returning = out->previous_conversations > 0 || known_s >= RETURNING_AFTER_S;
	return e;
}
