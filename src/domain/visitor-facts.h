/* visitor-facts: what an agent sees of a conversation's visitor in its header: browser, OS, device, language,
 * referrer, current page and since when, new or returning, identified or not. */
#ifndef KEFU_DOMAIN_VISITOR_FACTS_H
#define KEFU_DOMAIN_VISITOR_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/useragent.h"
#include "store/db.h"
#include "store/store-conversations.h"
#include "store/store-insight.h"
#include "store/store-visitors.h"

/* Strings point into the visitor row or the arena. */
struct conv_visitor_facts {
	/* From the page views' User-Agent (visitor insight, when the channel
	 * tracks), else parsed from the registration's; NULL without either. */
	const char *browser, *browser_version, *os, *device;
	const char *locale; /* the browser's language (BCP 47), or NULL */
	const char *referrer, *page_url, *page_title;
	/* Since when the visitor is on that page: the live page view's start
	 * when tracked, else the last registration (the widget registers on
	 * every page load). */
	const char *page_since;
	const char *first_seen_at;      /* the visitor record's creation */
	int64_t sessions;               /* visits counted by page views (0: not tracked) */
	int64_t previous_conversations; /* this visitor's conversations before this one */
	bool returning; /* an earlier conversation or visit, or first seen RETURNING_AFTER_S before this one */
	bool live;      /* on the site now (tracked channels only) */
	bool identified;
};

/* First seen this long before the conversation started: a returning visitor even without an earlier conversation. */
#define RETURNING_AFTER_S 1800

/* The facts of conversation c's visitor v (both already read and checked by the caller). */
kefu_err conv_visitor_facts(struct kefu_db *db, kefu_arena *a, const struct conversation_row *c,
                            const struct visitor_row *v, struct conv_visitor_facts *out);

#endif
