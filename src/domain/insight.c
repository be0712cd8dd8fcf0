/* insight: visitor insight's rules: tracking, page views, liveness, the visitor's stream, invitations, triggers. */
#include "domain/insight.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/json-doc.h"
#include "core/geoip.h"
#include "core/log.h"
#include "core/text.h"
#include "core/useragent.h"
#include "domain/assign.h"
#include "domain/conditions.h"
#include "domain/rules.h"
#include "store/batcher.h"
#include "store/store-channels.h"
#include "store/store-events.h"
#include "store/store-groups.h"
#include "store/store-users.h"
#include "view/insight-json.h"

/* ---- who hears of a visitor: the staff present who serve the channel ---- */

/* Whether everyone serves the channel (no rule, or unmatched visitors go to the tenant's default pool), else the
 * groups whose members do. */
static kefu_err channel_groups(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, bool *everyone,
                               int64_t **groups, size_t *ngroups)
{
	struct rule r;
	kefu_err e = assign_channel_rule(db, a, tenant_id, channel_id, &r);
	if (e != KEFU_OK)
		return e;
	*everyone = r.id == 0 || (r.fallback_group_id == 0 && !r.visitor_choice);
	const char **paths;
	*ngroups = *everyone ? 0 : rule_group_refs(a, &r, groups, &paths);
	return KEFU_OK;
}

/* The effective members of groups[0..ngroups), in a (duplicates kept: a membership test only). */
static kefu_err members_of(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *groups, size_t ngroups,
                           int64_t **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	for (size_t g = 0; g < ngroups; g++) {
		int64_t *ids;
		size_t k;
		kefu_err e = db_group_effective_members(db, a, tenant_id, groups[g], &ids, &k);
		if (e == KEFU_E_NOT_FOUND)
			continue; /* a group deleted since the rule named it */
		if (e != KEFU_OK)
			return e;
		int64_t *all = arena_calloc(a, *n + k + 1, sizeof *all);
		if (*n > 0)
			memcpy(all, *out, *n * sizeof *all);
		if (k > 0)
			memcpy(all + *n, ids, k * sizeof *all);
		*out = all;
		*n += k;
	}
	return KEFU_OK;
}

static bool in_list(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

static kefu_err serves(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t channel_id, bool *yes)
{
	*yes = who->admin;
	if (*yes)
		return KEFU_OK;
	bool everyone;
	int64_t *groups, *members = NULL;
	size_t ng, nm = 0;
	kefu_err e = channel_groups(db, a, who->tenant_id, channel_id, &everyone, &groups, &ng);
	if (e == KEFU_OK && !everyone)
		e = members_of(db, a, who->tenant_id, groups, ng, &members, &nm);
	if (e == KEFU_OK)
		*yes = everyone || in_list(members, nm, who->user_id);
	return e;
}

/*
 * Who hears of a channel's visitors is read again at most every
 * AUDIENCE_TTL_MS per process: a busy site reports hundreds of page views a
 * second, and the answer (who is present and serves the channel) changes
 * only when an agent signs in or out or the organisation is edited. An agent
 * who just came online misses at most that much of the list's live updates;
 * their list's first load has it all.
 */
#define AUDIENCE_TTL_MS 2000
#define AUDIENCE_SLOTS  64
#define AUDIENCE_MAX    64 /* users kept per entry; a bigger audience is read every time */

struct audience_entry {
	int64_t tenant_id, channel_id;
	long long at_ms;
	size_t n;
	int64_t users[AUDIENCE_MAX];
};

static pthread_mutex_t audience_lock = PTHREAD_MUTEX_INITIALIZER;
static struct audience_entry audience_cache[AUDIENCE_SLOTS];

static struct audience_entry *audience_slot(int64_t tenant_id, int64_t channel_id)
{
	return &audience_cache[((uint64_t)tenant_id * 31u + (uint64_t)channel_id) % AUDIENCE_SLOTS];
}

static bool audience_cached(int64_t tenant_id, int64_t channel_id, kefu_arena *a, int64_t **out, size_t *n)
{
	struct audience_entry *x = audience_slot(tenant_id, channel_id);
	bool hit = false;
	pthread_mutex_lock(&audience_lock);
	if (x->tenant_id == tenant_id && x->channel_id == channel_id && mono_ms() - x->at_ms < AUDIENCE_TTL_MS) {
		*out = arena_calloc(a, x->n + 1, sizeof **out);
		memcpy(*out, x->users, x->n * sizeof **out);
		*n = x->n;
		hit = true;
	}
	pthread_mutex_unlock(&audience_lock);
	return hit;
}

static void audience_keep(int64_t tenant_id, int64_t channel_id, const int64_t *users, size_t n)
{
	if (n > AUDIENCE_MAX)
		return;
	struct audience_entry *x = audience_slot(tenant_id, channel_id);
	pthread_mutex_lock(&audience_lock);
	*x = (struct audience_entry){.tenant_id = tenant_id, .channel_id = channel_id, .at_ms = mono_ms(), .n = n};
	if (n > 0)
		memcpy(x->users, users, n * sizeof *users);
	pthread_mutex_unlock(&audience_lock);
}

/* The users present (online or away) who serve the channel, ascending. */
static kefu_err audience(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, int64_t **out,
                         size_t *n)
{
	if (audience_cached(tenant_id, channel_id, a, out, n))
		return KEFU_OK;
	int64_t *ids, *members = NULL, *groups;
	bool *admin, everyone = true;
	size_t m, nm = 0, ng = 0;
	*n = 0;
	kefu_err e = db_staff_present(db, a, tenant_id, &ids, &admin, &m);
	if (e == KEFU_OK && m > 0)
		e = channel_groups(db, a, tenant_id, channel_id, &everyone, &groups, &ng);
	if (e == KEFU_OK && m > 0 && !everyone)
		e = members_of(db, a, tenant_id, groups, ng, &members, &nm);
	if (e != KEFU_OK)
		return e;
	*out = arena_calloc(a, m + 1, sizeof **out);
	for (size_t i = 0; i < m; i++)
		if (everyone || admin[i] || in_list(members, nm, ids[i]))
			(*out)[(*n)++] = ids[i];
	audience_keep(tenant_id, channel_id, *out, *n);
	return KEFU_OK;
}

/*
 * Every page view tells each agent serving the channel: under load that is
 * hundreds of appends a second to the same few agents' streams, each taking
 * their stream rows' locks. The notices of one process are therefore written
 * in batches (store/batcher.h): one transaction claims every stream once for
 * all the notices that arrived while the previous batch was written.
 */
struct notice_batch {
	struct batch_job **jobs;
	size_t n;
	kefu_arena *a;
};

static kefu_err notices_fn(struct kefu_db *db, void *p)
{
	struct notice_batch *b = p;
	struct user_notice *all = arena_calloc(b->a, b->n, sizeof *all);
	for (size_t i = 0; i < b->n; i++)
		all[i] = *(struct user_notice *)b->jobs[i]->arg;
	return db_user_notices_append(db, b->a, all, b->n);
}

static void run_notices(struct kefu_db *db, kefu_arena *a, struct batch_job **jobs, size_t n)
{
	struct notice_batch b = {jobs, n, a};
	kefu_err e = db_tx(db, notices_fn, &b);
	for (size_t i = 0; i < n; i++)
		jobs[i]->err = e;
}

static struct batcher notices = BATCHER_INIT(run_notices, BATCHER_MAX);

/* Put event (consumed) in the streams of the channel's audience; logged, not returned: the change is done. */
static void notify(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, json_object *event)
{
	int64_t *users = NULL;
	struct user_notice un = {.tenant_id = tenant_id};
	kefu_err e = audience(db, a, tenant_id, channel_id, &users, &un.nusers);
	if (e == KEFU_OK && un.nusers > 0) {
		un.users = users;
		un.body = arena_strdup(
		    a, json_object_to_json_string_ext(event, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		struct batch_job job = {.arg = &un, .arena = a};
		batcher_run(&notices, db, a, &job);
		e = job.err;
	}
	if (e != KEFU_OK)
		log_warn("insight", "notify agents of channel %lld: %s", (long long)channel_id, kefu_err_code(e));
	json_object_put(event);
}

static json_object *visitor_event(const struct live_row *x)
{
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "type", json_object_new_string("visitor"));
	json_object_object_add(ev, "visitor", insight_item_json(x));
	return ev;
}

void insight_visitor_changed(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id)
{
	struct live_row x;
	if (db_live_get(db, a, tenant_id, visitor_id, &x) == KEFU_OK && x.live)
		notify(db, a, tenant_id, x.channel_id, visitor_event(&x));
}

json_object *insight_item_json(const struct live_row *x)
{
	return insight_live_json(x);
}

/* ---- the agents' notices of page views and the polls' liveness, coalesced ---- */

/*
 * At 20,000 browsing visitors a process hears hundreds of page views and
 * polls a second. Telling the agents of each page view took a read of the
 * visitor's item and a share of a notices transaction, and each poll read
 * or wrote its visitor's live_until. Both are gathered instead (the poll
 * learns how long the visitor stays live from its authentication's read,
 * and writes nothing when that is long enough): a request queues the
 * visitor and goes on, and the process's flusher thread wakes FLUSH_MS after
 * the first one queued, then for every tenant extends all the queued polls'
 * visitors in one UPDATE, reads all the viewed visitors' items in one SELECT
 * and appends one notice per visitor (the newest state, however many views
 * the visitor made in the window) to the agents' streams in one transaction.
 * An agent hears of a page view at most FLUSH_MS plus one flush later.
 */
#define FLUSH_MS      100
#define QUEUE_MAX     100000 /* beyond this a request does its own work, as before */
#define POLL_SLACK_S  30     /* a kept row's extra life: a poll every 25 s writes at most every other time */
#define KEEP_LATER_MS 5000   /* a visitor live at least this long yet may wait for the flusher */

struct queued {
	int64_t tenant_id, channel_id, visitor_id;
	int live_s; /* a poll's keep; 0 for a page view's notice */
};

static pthread_mutex_t flush_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flush_cv = PTHREAD_COND_INITIALIZER;
static struct queued *queue;
static size_t nqueue, capqueue;
static int flusher_state; /* 0 not started, 1 running, -1 could not start or stopped */
static bool flush_stop;   /* insight_stop: flush what is queued, then end */
static pthread_t flush_thread;
static const struct kefu_conf *flush_conf;

static int cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

static int cmp_queued(const void *x, const void *y)
{
	const struct queued *a = x, *b = y;
	if (a->tenant_id != b->tenant_id)
		return a->tenant_id < b->tenant_id ? -1 : 1;
	if (a->visitor_id != b->visitor_id)
		return a->visitor_id < b->visitor_id ? -1 : 1;
	return a->live_s < b->live_s ? -1 : a->live_s > b->live_s;
}

/* The polls of one tenant q[0..n) (sorted, one per visitor): kept live; the ones no longer live appear again and
 * are added to *views for the agents' notices. */
static void flush_keeps(struct kefu_db *db, kefu_arena *a, const struct queued *q, size_t n, int64_t *views,
                        size_t *nviews)
{
	int64_t *ids = arena_calloc(a, n + 1, sizeof *ids), *gone;
	int live_s = 0;
	size_t ngone;
	for (size_t i = 0; i < n; i++) {
		ids[i] = q[i].visitor_id;
		live_s = q[i].live_s > live_s ? q[i].live_s : live_s;
	}
	kefu_err e = db_live_keep(db, a, q[0].tenant_id, ids, n, live_s, &gone, &ngone);
	if (e != KEFU_OK) {
		log_warn("insight", "keeping %zu visitors live: %s", n, kefu_err_code(e));
		return;
	}
	for (size_t i = 0, g = 0; i < n; i++) {
		bool was_gone = false;
		for (g = 0; g < ngone && !was_gone; g++)
			was_gone = gone[g] == q[i].visitor_id;
		if (was_gone &&
		    (e = db_live_appear(db, q[i].tenant_id, q[i].channel_id, q[i].visitor_id, live_s)) != KEFU_OK) {
			log_warn("insight", "visitor %lld live again: %s", (long long)q[i].visitor_id,
			         kefu_err_code(e));
			continue;
		}
		if (was_gone)
			views[(*nviews)++] = q[i].visitor_id;
	}
}

static json_object *visitor_event(const struct live_row *x);
static kefu_err audience(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, int64_t **out,
                         size_t *n);

struct views_tx {
	kefu_arena *a;
	int64_t tenant_id;
	const int64_t *ids;
	size_t n;
};

/*
 * The rows are share-locked while their notices are written: each worker
 * flushes on its own, and without the lock a flush that read a visitor
 * before their next page view could append its notice after the one of a
 * flush that read them after it, leaving the agents with the older page.
 */
static kefu_err views_fn(struct kefu_db *db, void *p)
{
	struct views_tx *t = p;
	kefu_arena *a = t->a;
	struct live_row *rows;
	size_t nrows;
	kefu_err e = db_live_lock(db, a, t->tenant_id, t->ids, t->n);
	if (e == KEFU_OK)
		e = db_live_rows(db, a, t->tenant_id, t->ids, t->n, &rows, &nrows);
	if (e != KEFU_OK)
		return e;
	struct user_notice *un = arena_calloc(a, nrows + 1, sizeof *un);
	size_t k = 0;
	for (size_t i = 0; i < nrows; i++) {
		int64_t *users;
		size_t nusers;
		if (audience(db, a, t->tenant_id, rows[i].channel_id, &users, &nusers) != KEFU_OK || nusers == 0)
			continue;
		json_object *ev = visitor_event(&rows[i]);
		un[k++] = (struct user_notice){
		    .tenant_id = t->tenant_id,
		    .users = users,
		    .nusers = nusers,
		    .body = arena_strdup(a, json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN |
		                                                                   JSON_C_TO_STRING_NOSLASHESCAPE))};
		json_object_put(ev);
	}
	return k > 0 ? db_user_notices_append(db, a, un, k) : KEFU_OK;
}

/* The agents' notices of one tenant's viewed (or reappeared) visitors ids[0..n), ascending. */
static void flush_views(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *ids, size_t n)
{
	struct views_tx t = {a, tenant_id, ids, n};
	kefu_err e = db_tx(db, views_fn, &t);
	if (e != KEFU_OK)
		log_warn("insight", "notices of %zu visitors: %s", n, kefu_err_code(e));
}

/* One flush of the queue q[0..n), sorted by tenant and visitor. */
static void flush(struct kefu_db *db, struct queued *q, size_t n)
{
	kefu_arena *a = arena_new();
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && q[j].tenant_id == q[i].tenant_id)
			j++;
		/* one keep per visitor (their longest) and one notice per visitor */
		struct queued *keeps = arena_calloc(a, j - i + 1, sizeof *keeps);
		int64_t *views = arena_calloc(a, 2 * (j - i) + 1, sizeof *views);
		size_t nkeeps = 0, nviews = 0;
		for (size_t x = i; x < j; x++) {
			bool last = x + 1 == j || q[x + 1].visitor_id != q[x].visitor_id;
			if (q[x].live_s == 0 && (nviews == 0 || views[nviews - 1] != q[x].visitor_id))
				views[nviews++] = q[x].visitor_id;
			if (last && q[x].live_s > 0)
				keeps[nkeeps++] = q[x];
		}
		if (nkeeps > 0)
			flush_keeps(db, a, keeps, nkeeps, views, &nviews);
		if (nviews > 0) {
			/* a visitor both viewed and appeared again is told of once */
			qsort(views, nviews, sizeof *views, cmp_id);
			size_t u = 0;
			for (size_t x = 0; x < nviews; x++)
				if (u == 0 || views[u - 1] != views[x])
					views[u++] = views[x];
			flush_views(db, a, q[i].tenant_id, views, u);
		}
		i = j;
	}
	arena_free(a);
}

static void *flusher(void *arg)
{
	(void)arg;
	/* Not its starter's name: profiles and tests tell threads apart by it. */
	pthread_setname_np(pthread_self(), "kefu-flusher");
	json_thread_init();
	struct kefu_db *db = db_new(flush_conf);
	for (;;) {
		pthread_mutex_lock(&flush_mu);
		while (nqueue == 0 && !flush_stop)
			pthread_cond_wait(&flush_cv, &flush_mu);
		bool stopping = flush_stop, idle = nqueue == 0;
		pthread_mutex_unlock(&flush_mu);
		if (stopping && idle)
			break;
		if (!stopping) { /* gather the window's views and polls; when stopping, write what is queued at once */
			struct timespec ts = {0, FLUSH_MS * 1000000L};
			nanosleep(&ts, NULL);
		}
		pthread_mutex_lock(&flush_mu);
		struct queued *q = queue;
		size_t n = nqueue;
		queue = NULL;
		nqueue = capqueue = 0;
		pthread_mutex_unlock(&flush_mu);
		qsort(q, n, sizeof *q, cmp_queued);
		flush(db, q, n);
		free(q);
	}
	db_free(db);
	return NULL;
}

void insight_stop(void)
{
	pthread_mutex_lock(&flush_mu);
	bool running = flusher_state == 1;
	flusher_state = -1; /* from now on a request (there should be none) does its own work */
	flush_stop = true;
	pthread_cond_signal(&flush_cv);
	pthread_mutex_unlock(&flush_mu);
	if (running)
		pthread_join(flush_thread, NULL);
}

/* Queue x for the flusher; false when the caller must do the work itself (no flusher, or a full queue). */
static bool enqueue(struct kefu_db *db, struct queued x)
{
	bool ok = false;
	pthread_mutex_lock(&flush_mu);
	if (flusher_state == 0) {
		flush_conf = db_conf(db);
		flusher_state = pthread_create(&flush_thread, NULL, flusher, NULL) == 0 ? 1 : -1;
		if (flusher_state != 1)
			log_warn("insight", "no flusher thread: page views and polls write their own notices");
	}
	if (flusher_state == 1 && nqueue < QUEUE_MAX) {
		if (nqueue == capqueue) {
			size_t cap = capqueue ? 2 * capqueue : 256;
			struct queued *q = realloc(queue, cap * sizeof *q);
			if (q != NULL) {
				queue = q;
				capqueue = cap;
			}
		}
		if (nqueue < capqueue) {
			queue[nqueue++] = x;
			ok = true;
			if (nqueue == 1)
				pthread_cond_signal(&flush_cv);
		}
	}
	pthread_mutex_unlock(&flush_mu);
	return ok;
}

/* ---- tracking, page views, liveness ---- */

struct view_tx {
	kefu_arena *a;
	const struct visitor_row *v;
	struct pageview_in_row in;
	struct visitor_facts facts;
	int64_t id;
};

static kefu_err view_fn(struct kefu_db *db, void *p)
{
	struct view_tx *t = p;
	const struct visitor_row *v = t->v;
	kefu_err e = db_pageview_record(db, t->a, v->tenant_id, v->channel_id, v->id, &t->in, &t->facts, &t->id);
	return e == KEFU_OK && t->id == 0 ? KEFU_E_RATE_LIMITED : e;
}

static void put_str(json_object *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_object_add(o, k, json_object_new_string(v));
}

/* The facts a trigger's conditions read: the page, and the visitor as the
 * rules see them (registration attributes, identity) plus what insight knows. */
static void trigger_facts(const struct visitor_row *v, const struct live_row *x, const struct pageview_in *in,
                          struct cond_facts *f)
{
	json_object *vis = v->attributes ? json_tokener_parse(v->attributes) : NULL;
	if (vis == NULL || !json_object_is_type(vis, json_type_object)) {
		json_object_put(vis);
		vis = json_object_new_object();
	}
	json_object_object_add(vis, "identified", json_object_new_boolean(v->identified));
	put_str(vis, "name", v->name);
	put_str(vis, "locale", v->locale);
	put_str(vis, "page_url", in->url);
	json_object_object_add(vis, "pages_viewed", json_object_new_int64(x->pages_viewed));
	put_str(vis, "device", x->device);
	put_str(vis, "browser", x->browser);
	put_str(vis, "os", x->os);
	json_object_object_add(vis, "returning", json_object_new_boolean(x->sessions > 1));
	json_object *page = json_object_new_object();
	put_str(page, "url", in->url);
	put_str(page, "title", in->title);
	put_str(page, "referrer", in->referrer);
	*f = (struct cond_facts){.visitor = vis, .page = page};
}

/*
 * A channel's enabled triggers, kept per process: read at every page view
 * they were a query each for what changes only when an admin edits them.
 * Every such change moves the channel's triggers_rev (store-insight.c),
 * which the visitor's authentication reads with the channel, so a kept list
 * is used only while its rev is the one the request saw: no staleness.
 */
#define TRIGGER_SLOTS 256

struct kept_trigger {
	int64_t id, after_seconds;
	char *match;
};

struct trigger_entry {
	int64_t tenant_id, channel_id, rev;
	bool valid;
	size_t n;
	struct kept_trigger *t;
};

static pthread_mutex_t trigger_lock = PTHREAD_MUTEX_INITIALIZER;
static struct trigger_entry trigger_cache[TRIGGER_SLOTS];

static struct trigger_entry *trigger_slot(int64_t tenant_id, int64_t channel_id)
{
	return &trigger_cache[((uint64_t)tenant_id * 31u + (uint64_t)channel_id) % TRIGGER_SLOTS];
}

/* The channel's enabled triggers as of rev (ids, delays and conditions only), in a. */
static kefu_err triggers_of(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id, int64_t rev,
                            struct kept_trigger **out, size_t *n)
{
	struct trigger_entry *x = trigger_slot(tenant_id, channel_id);
	bool hit = false;
	pthread_mutex_lock(&trigger_lock);
	if (x->valid && x->tenant_id == tenant_id && x->channel_id == channel_id && x->rev == rev) {
		*n = x->n;
		*out = arena_calloc(a, x->n + 1, sizeof **out);
		for (size_t i = 0; i < x->n; i++)
			(*out)[i] =
			    (struct kept_trigger){x->t[i].id, x->t[i].after_seconds, arena_strdup(a, x->t[i].match)};
		hit = true;
	}
	pthread_mutex_unlock(&trigger_lock);
	if (hit)
		return KEFU_OK;
	struct trigger_row *t;
	kefu_err e = db_trigger_list(db, a, tenant_id, channel_id, true, &t, n);
	if (e != KEFU_OK)
		return e;
	*out = arena_calloc(a, *n + 1, sizeof **out);
	struct kept_trigger *keep = calloc(*n + 1, sizeof *keep);
	for (size_t i = 0; i < *n; i++) {
		(*out)[i] = (struct kept_trigger){t[i].id, t[i].after_seconds, (char *)t[i].match};
		if (keep != NULL)
			keep[i] =
			    (struct kept_trigger){t[i].id, t[i].after_seconds, strdup(t[i].match ? t[i].match : "")};
	}
	if (keep == NULL)
		return KEFU_OK;
	pthread_mutex_lock(&trigger_lock);
	if (x->valid)
		for (size_t i = 0; i < x->n; i++)
			free(x->t[i].match);
	free(x->t);
	*x = (struct trigger_entry){
	    .tenant_id = tenant_id, .channel_id = channel_id, .rev = rev, .valid = true, .n = *n, .t = keep};
	pthread_mutex_unlock(&trigger_lock);
	return KEFU_OK;
}

/* The channel's enabled triggers whose conditions hold on this page: due after their delay. */
static kefu_err schedule(struct kefu_db *db, kefu_arena *a, const struct visitor_row *v, int64_t triggers_rev,
                         const struct pageview_in *in, int64_t pageview_id)
{
	struct kept_trigger *t;
	size_t n;
	kefu_err e = triggers_of(db, a, v->tenant_id, v->channel_id, triggers_rev, &t, &n);
	if (e != KEFU_OK || n == 0)
		return e;
	struct live_row x;
	if ((e = db_live_get(db, a, v->tenant_id, v->id, &x)) != KEFU_OK)
		return e;
	struct cond_facts f;
	trigger_facts(v, &x, in, &f);
	for (size_t i = 0; i < n && e == KEFU_OK; i++) {
		json_object *m = json_tokener_parse(t[i].match);
		if (cond_match(m, &f))
			e = db_trigger_due_add(db, v->tenant_id, t[i].id, v->id, pageview_id, t[i].after_seconds);
		json_object_put(m);
	}
	json_object_put(f.visitor);
	json_object_put(f.page);
	return e;
}

/* A page view's row and facts: what its User-Agent and address tell (country and city looked up at each view, so
 * a visitor who moves, or a database the operator updated, is current). */
struct view_input {
	struct pageview_in_row row;
	struct visitor_facts facts;
	struct useragent ua;
	char country[GEOIP_COUNTRY_LEN], city[GEOIP_CITY_LEN];
};

static void view_input(const struct pageview_in *in, struct view_input *x)
{
	/* The limit counts the visitor's own recent views (a rate_limits window per visitor and minute would add a
	 * row a minute for every visitor browsing, far more than its trim removes); the INSERT checks it. */
	x->row = (struct pageview_in_row){.url = in->url,
	                                  .title = in->title,
	                                  .referrer = in->referrer,
	                                  .gap_s = INSIGHT_SESSION_GAP_S,
	                                  .window_s = 60,
	                                  .max = INSIGHT_PAGEVIEWS_PER_MIN,
	                                  .live_s = INSIGHT_LIVE_S};
	x->facts = (struct visitor_facts){0};
	useragent_parse(in->user_agent, &x->ua);
	if (in->user_agent != NULL)
		x->facts = (struct visitor_facts){.browser = x->ua.browser,
		                                  .browser_version = x->ua.version[0] ? x->ua.version : NULL,
		                                  .os = x->ua.os,
		                                  .device = useragent_device_name(x->ua.device)};
	x->facts.address = in->address;
	if (geoip_enabled() && in->address != NULL) {
		geoip_lookup(in->address, x->country, x->city);
		x->facts.geo = true;
		x->facts.country = x->country[0] ? x->country : NULL;
		x->facts.city = x->city[0] ? x->city : NULL;
	}
}

/* Over the limit: how long until a view may be recorded again. */
static int limited_for(struct kefu_db *db, kefu_arena *a, const struct visitor_row *v)
{
	int64_t recent;
	int age = 0;
	if (db_pageviews_recent(db, a, v->tenant_id, v->id, 60, INSIGHT_PAGEVIEWS_PER_MIN, &recent, &age) != KEFU_OK)
		age = 0;
	return age < 60 ? 60 - age : 1;
}

/* A view recorded: the agents hear of it (the flusher's notice), and the channel's triggers are scheduled. */
static void viewed(struct kefu_db *db, kefu_arena *a, const struct visitor_row *v, int64_t triggers_rev,
                   const struct pageview_in *in, int64_t id)
{
	if (!enqueue(db, (struct queued){v->tenant_id, v->channel_id, v->id, 0}))
		insight_visitor_changed(db, a, v->tenant_id, v->id);
	kefu_err e = schedule(db, a, v, triggers_rev, in, id);
	if (e != KEFU_OK)
		log_warn("insight", "triggers for visitor %lld: %s", (long long)v->id, kefu_err_code(e));
}

kefu_err insight_pageview(struct kefu_db *db, kefu_arena *a, const struct visitor_row *v, bool tracking,
                          int64_t triggers_rev, const struct pageview_in *in, int64_t *id, int *retry_after)
{
	if (!tracking)
		return KEFU_E_FORBIDDEN;
	struct view_input x;
	view_input(in, &x);
	struct view_tx t = {.a = a, .v = v, .in = x.row, .facts = x.facts};
	kefu_err e = db_tx_self(db, view_fn, &t);
	if (e == KEFU_E_RATE_LIMITED) {
		*retry_after = limited_for(db, a, v);
		return e;
	}
	if (e != KEFU_OK)
		return e;
	*id = t.id;
	viewed(db, a, v, triggers_rev, in, t.id);
	return KEFU_OK;
}

struct token_view_tx {
	kefu_arena *a;
	const char *token_hash, *origin;
	const struct view_input *x;
	struct visitor_auth *va;
	bool found;
	enum pageview_by_token_status status;
	int64_t id;
};

static kefu_err token_view_fn(struct kefu_db *db, void *p)
{
	struct token_view_tx *t = p;
	return db_pageview_by_token(db, t->a, t->token_hash, t->origin, &t->x->row, &t->x->facts, t->va, &t->found,
	                            &t->status, &t->id);
}

/* What a view's write answered (status, id), as insight_pageview_token answers it, with its consequences: the rate
 * limit's wait, or the agents' notice and the channel's triggers. */
static void view_written(struct kefu_db *db, kefu_arena *a, const struct pageview_in *in, const struct visitor_auth *va,
                         enum pageview_by_token_status status, int64_t id, struct insight_view *out)
{
	*out = (struct insight_view){0};
	out->recorded = status != PAGEVIEW_NOT_RECORDED;
	if (status == PAGEVIEW_LIMITED) {
		out->limited = true;
		out->retry_after = limited_for(db, a, &va->v);
	} else if (status == PAGEVIEW_RECORDED) {
		out->id = id;
		viewed(db, a, &va->v, va->triggers_rev, in, id);
	}
}

kefu_err insight_pageview_token(struct kefu_db *db, kefu_arena *a, const char *token_hash, const char *origin,
                                const struct pageview_in *in, struct visitor_auth *va, bool *found,
                                struct insight_view *out)
{
	struct view_input x;
	view_input(in, &x);
	struct token_view_tx t = {.a = a, .token_hash = token_hash, .origin = origin, .x = &x, .va = va};
	kefu_err e = db_tx_self(db, token_view_fn, &t);
	*found = t.found;
	*out = (struct insight_view){0};
	if (e != KEFU_OK || !t.found)
		return e;
	view_written(db, a, in, va, t.status, t.id, out);
	return KEFU_OK;
}

/*
 * Parked page views (insight_pageview_token_park): each view was a request
 * thread asleep through its call's round trip and woken for it. They are
 * written by the batcher's own thread instead, all the views parked within
 * VIEW_GATHER_MS of the previous batch (a view arriving while it is idle
 * goes at once) in one round trip (pageviews_by_token, schema/0041): each
 * view comes from another visitor, who views a page every half minute or
 * so, and a batch lingering only for the views it just answered to come
 * back (the text posts') was one or two views. Each view is still its own
 * short transaction: no batch holds a
 * view's row locks while it writes another (the first pass's batches did,
 * one transaction a batch, and stalled the registration ramp behind them;
 * README, "Visitor insight at scale"), and every view answered is committed.
 * Its statements are transactions of their own, so its connection keeps
 * autocommit (not BATCHER_INIT_THREAD's implicit transactions).
 */
#define VIEW_BATCH     64
#define VIEW_GATHER_MS 20

struct parked_view {
	struct batch_job job; /* first: the batcher hands back &job */
	struct pageview_in in;
	struct view_input x;
	const char *token_hash, *origin;
	struct visitor_auth va;
	bool found;
	struct insight_view out;
	struct kefu_db *db; /* the batcher's, for done */
	insight_viewed_fn done;
	void *ctx;
	char strings[];
};

static void views_run(struct kefu_db *db, kefu_arena *a, struct batch_job **jobs, size_t n)
{
	struct pageview_by_token *v = arena_calloc(a, n, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		struct parked_view *x = (struct parked_view *)jobs[i];
		v[i] = (struct pageview_by_token){
		    .token_hash = x->token_hash, .origin = x->origin, .in = &x->x.row, .f = &x->x.facts, .va = &x->va};
	}
	kefu_err e = db_pageviews_by_token(db, a, v, n);
	for (size_t i = 0; i < n; i++) {
		struct parked_view *x = (struct parked_view *)jobs[i];
		x->db = db;
		x->job.err = e;
		if (e != KEFU_OK)
			continue;
		if (v[i].status == PAGEVIEW_FAILED) { /* rolled back: alone, with db_tx_self's retries */
			x->job.err =
			    insight_pageview_token(db, a, x->token_hash, x->origin, &x->in, &x->va, &x->found, &x->out);
			continue;
		}
		x->found = v[i].found;
		if (x->found)
			view_written(db, a, &x->in, &x->va, v[i].status, v[i].id, &x->out);
	}
}

static struct batcher page_views = {.mu = PTHREAD_MUTEX_INITIALIZER,
                                    .max = VIEW_BATCH,
                                    .run = views_run,
                                    .threaded = true,
                                    .work = PTHREAD_COND_INITIALIZER,
                                    .gather_ns = VIEW_GATHER_MS * 1000000L,
                                    .gather_env = "KEFU_PAGEVIEW_GATHER_US"};

static void parked_view_finish(struct batch_job *job)
{
	struct parked_view *x = (struct parked_view *)job;
	x->done(x->ctx, x->db, job->arena, job->err, &x->in, &x->va, x->found, &x->out);
	free(x);
}

bool insight_pageview_token_park(struct kefu_db *db, const char *token_hash, const char *origin,
                                 const struct pageview_in *in, insight_viewed_fn done, void *ctx)
{
	const char *s[] = {token_hash, origin, in->url, in->title, in->referrer, in->user_agent, in->address};
	struct parked_view *x = calloc(1, sizeof *x + text_sizes(s, sizeof s / sizeof *s));
	if (x == NULL)
		abort();
	char *at = x->strings;
	x->token_hash = text_copy_into(&at, token_hash);
	x->origin = text_copy_into(&at, origin);
	x->in = (struct pageview_in){.url = text_copy_into(&at, in->url),
	                             .title = text_copy_into(&at, in->title),
	                             .referrer = text_copy_into(&at, in->referrer),
	                             .user_agent = text_copy_into(&at, in->user_agent),
	                             .address = text_copy_into(&at, in->address)};
	view_input(&x->in, &x->x); /* the User-Agent's parse and the address's GeoIP here, not on the batch's thread */
	x->done = done;
	x->ctx = ctx;
	x->job = (struct batch_job){.finish = parked_view_finish};
	if (batcher_park(&page_views, db, &x->job))
		return true;
	free(x);
	return false;
}

void insight_pageview_intake(const struct kefu_conf *conf, insight_intake_fn intake, void *arg)
{
	batcher_intake(&page_views, conf, intake, arg);
}

kefu_err insight_poll(struct kefu_db *db, kefu_arena *a, const struct visitor_row *v, bool tracking, int64_t live_ms,
                      int wait_s)
{
	if (!tracking)
		return KEFU_E_FORBIDDEN;
	/* Live past the poll's end plus INSIGHT_LIVE_S already (as the authentication read it): nothing to write. A
	 * poll every 25 s with POLL_SLACK_S of slack finds that every other time. */
	int64_t need_ms = (int64_t)(wait_s + INSIGHT_LIVE_S) * 1000;
	if (live_ms >= need_ms)
		return KEFU_OK;
	/* Live for a while yet: the flusher writes it with the other polls'. */
	if (live_ms > KEEP_LATER_MS &&
	    enqueue(db, (struct queued){v->tenant_id, v->channel_id, v->id, wait_s + INSIGHT_LIVE_S + POLL_SLACK_S}))
		return KEFU_OK;
	/* Not live (or about to go): live again now, and the agents hear of it now. */
	bool appeared = false;
	kefu_err e =
	    db_live_poll(db, a, v->tenant_id, v->channel_id, v->id, wait_s, INSIGHT_LIVE_S, POLL_SLACK_S, &appeared);
	if (e == KEFU_OK && appeared)
		insight_visitor_changed(db, a, v->tenant_id, v->id);
	return e;
}

kefu_err insight_leave(struct kefu_db *db, const struct visitor_row *v)
{
	return db_live_leave(db, v->tenant_id, v->id, INSIGHT_LEAVE_GRACE_S);
}

kefu_err insight_visitor_events(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id, int64_t after,
                                int limit, json_object **events, int64_t *next)
{
	struct stream_entry *x;
	size_t n;
	kefu_err e = db_visitor_events_after(db, a, tenant_id, visitor_id, after, limit, &x, &n);
	if (e != KEFU_OK)
		return e;
	*events = json_object_new_array();
	*next = after;
	for (size_t i = 0; i < n; i++) {
		json_object *o = x[i].body ? json_tokener_parse(x[i].body) : NULL;
		if (o == NULL || !json_object_is_type(o, json_type_object)) {
			json_object_put(o);
			o = json_object_new_object();
		}
		json_object_object_add(o, "seq", json_object_new_int64(x[i].seq));
		json_object_array_add(*events, o);
		*next = x[i].cursor;
	}
	return KEFU_OK;
}

/* ---- the live list and the profile ---- */

/* A cursor is the last item's appeared_at as 17 digits (YYYYMMDDhhmmssmmm), "-", its visitor id: the list's order
 * (store-insight.h), fixed while a visitor stays live, so a walk of the pages sees each live visitor once. */
static const char *cursor_of(kefu_arena *a, const struct live_row *x)
{
	char digits[18];
	size_t k = 0;
	for (const char *p = x->appeared_at; p && *p && k < 17; p++)
		if (*p >= '0' && *p <= '9')
			digits[k++] = *p;
	while (k < 17)
		digits[k++] = '0';
	digits[17] = '\0';
	return arena_printf(a, "%s-%lld", digits, (long long)x->visitor_id);
}

static bool cursor_parse(kefu_arena *a, const char *c, const char **at, int64_t *id)
{
	if (strlen(c) < 19 || c[17] != '-' || strspn(c, "0123456789") != 17)
		return false;
	char *end;
	long long v = strtoll(c + 18, &end, 10);
	if (*end != '\0' || v <= 0 || c[18] == '+' || c[18] == '-')
		return false;
	*id = v;
	*at = arena_printf(a, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s.%.3s", c, c + 4, c + 6, c + 8, c + 10, c + 12, c + 14);
	return true;
}

kefu_err insight_live(struct kefu_db *db, kefu_arena *a, const struct actor *who, const char *cursor, int limit,
                      struct live_row **rows, size_t *n, const char **next_cursor)
{
	const char *at = NULL;
	int64_t before = 0;
	if (cursor != NULL && !cursor_parse(a, cursor, &at, &before))
		return KEFU_E_INVALID_FIELD;
	int64_t *mine = NULL;
	size_t nmine = 0;
	if (!who->admin) {
		struct channel_row *ch;
		size_t nch;
		kefu_err e = db_channel_list(db, a, who->tenant_id, &ch, &nch);
		if (e != KEFU_OK)
			return e;
		mine = arena_calloc(a, nch + 1, sizeof *mine);
		for (size_t i = 0; i < nch; i++) {
			bool yes;
			if ((e = serves(db, a, who, ch[i].id, &yes)) != KEFU_OK)
				return e;
			if (yes)
				mine[nmine++] = ch[i].id;
		}
	}
	/* one more than the page says whether another follows */
	kefu_err e = db_live_list(db, a, who->tenant_id, who->admin, mine, nmine, at, before, limit + 1, rows, n);
	if (e != KEFU_OK)
		return e;
	*next_cursor = NULL;
	if (*n > (size_t)limit) {
		*n = (size_t)limit;
		*next_cursor = cursor_of(a, &(*rows)[limit - 1]);
	}
	return KEFU_OK;
}

/* The visitor if who may see them: an admin, an agent serving their channel, or one who has their conversation (a
 * transfer may bring an agent a visitor of a channel they do not serve; the header links to the profile). */
static kefu_err visible(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t visitor_id,
                        struct live_row *x)
{
	kefu_err e = db_live_get(db, a, who->tenant_id, visitor_id, x);
	bool yes = false;
	if (e == KEFU_OK)
		e = serves(db, a, who, x->channel_id, &yes);
	if (e == KEFU_OK && !yes)
		e = db_visitor_agent_had(db, a, who->tenant_id, visitor_id, who->user_id, &yes);
	return e != KEFU_OK ? e : yes ? KEFU_OK : KEFU_E_NOT_FOUND;
}

kefu_err insight_visitor(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t visitor_id,
                         struct live_row *item, struct pageview_row **views, size_t *nviews)
{
	kefu_err e = visible(db, a, who, visitor_id, item);
	return e != KEFU_OK ? e : db_pageviews_list(db, a, who->tenant_id, visitor_id, 50, views, nviews);
}

/* ---- invitations ---- */

struct invite_tx {
	int64_t tenant_id, channel_id, visitor_id, user_id, trigger_id;
	const char *text, *agent_name;
	int64_t id;
};

static kefu_err invite_fn(struct kefu_db *db, void *p)
{
	struct invite_tx *t = p;
	kefu_err e = db_invitation_create(db, t->tenant_id, t->channel_id, t->visitor_id, t->user_id, t->trigger_id,
	                                  t->text, &t->id);
	if (e != KEFU_OK)
		return e;
	json_object *inv = json_object_new_object();
	json_object_object_add(inv, "id", json_object_new_int64(t->id));
	json_object_object_add(inv, "text", json_object_new_string(t->text));
	json_object *agent = NULL;
	if (t->user_id != 0) {
		agent = json_object_new_object();
		json_object_object_add(agent, "id", json_object_new_int64(t->user_id));
		json_object_object_add(agent, "name", t->agent_name ? json_object_new_string(t->agent_name) : NULL);
	}
	json_object_object_add(inv, "agent", agent);
	if (t->trigger_id != 0)
		json_object_object_add(inv, "trigger_id", json_object_new_int64(t->trigger_id));
	json_object *ev = json_object_new_object();
	json_object_object_add(ev, "type", json_object_new_string("invitation"));
	json_object_object_add(ev, "invitation", inv);
	e = db_visitor_event_append(db, t->tenant_id, t->visitor_id, ev, NULL);
	json_object_put(ev);
	return e;
}

kefu_err insight_invite(struct kefu_db *db, kefu_arena *a, const struct actor *who, int64_t visitor_id,
                        const char *text, int64_t *id)
{
	if (who->user_id == 0)
		return KEFU_E_FORBIDDEN; /* an invitation comes from a person */
	struct live_row x;
	kefu_err e = visible(db, a, who, visitor_id, &x);
	if (e != KEFU_OK)
		return e;
	if (!x.live || x.conversation_id != 0)
		return KEFU_E_CONFLICT;
	/* Capacity as for taking a conversation: the channel rule's maximum. */
	struct rule r;
	int64_t live = 0;
	if ((e = assign_channel_rule(db, a, who->tenant_id, x.channel_id, &r)) != KEFU_OK ||
	    (e = db_agent_live(db, a, who->tenant_id, r.id, who->user_id, &live)) != KEFU_OK)
		return e;
	if (r.max_concurrent > 0 && live >= r.max_concurrent)
		return KEFU_E_CAPACITY;
	struct user_row u;
	if ((e = db_user_get(db, a, who->tenant_id, who->user_id, &u)) != KEFU_OK)
		return e;
	struct invite_tx t = {.tenant_id = who->tenant_id,
	                      .channel_id = x.channel_id,
	                      .visitor_id = visitor_id,
	                      .user_id = who->user_id,
	                      .text = text,
	                      .agent_name = u.name};
	if ((e = db_tx(db, invite_fn, &t)) != KEFU_OK)
		return e;
	*id = t.id;
	insight_visitor_changed(db, a, who->tenant_id, visitor_id);
	return KEFU_OK;
}

kefu_err insight_dismiss(struct kefu_db *db, kefu_arena *a, const struct visitor_row *v, int64_t id,
                         struct invitation_row *out)
{
	kefu_err e = db_invitation_get(db, a, v->tenant_id, id, false, out);
	if (e == KEFU_OK && out->visitor_id != v->id)
		e = KEFU_E_NOT_FOUND;
	bool changed = false;
	if (e == KEFU_OK)
		e = db_invitation_set_status(db, v->tenant_id, id, "dismissed", 0, &changed);
	if (e != KEFU_OK)
		return e;
	if (changed) {
		out->status = "dismissed";
		insight_visitor_changed(db, a, v->tenant_id, v->id);
	}
	return KEFU_OK;
}

/* ---- the sweep: leaving visitors, due triggers ---- */

/* Whether an agent who serves the channel is online (as the widget's "online": within the rule's groups and hours). */
static bool channel_online(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id)
{
	json_object *o = json_object_new_object(), *v = NULL;
	bool online = assign_channel_view(db, a, tenant_id, channel_id, o) == KEFU_OK &&
	              json_object_object_get_ex(o, "online", &v) && json_object_get_boolean(v);
	json_object_put(o);
	return online;
}

static void fire(struct kefu_db *db, kefu_arena *a, const struct trigger_due *d)
{
	struct trigger_row t;
	struct live_row x;
	bool recent = true;
	if (db_trigger_get(db, a, d->tenant_id, d->trigger_id, &t) != KEFU_OK || !t.enabled)
		return;
	/* Still on that page, not chatting, not invited by it lately, and someone to answer. */
	if (db_live_get(db, a, d->tenant_id, d->visitor_id, &x) != KEFU_OK || !x.live ||
	    x.pageview_id != d->pageview_id || x.conversation_id != 0)
		return;
	if (db_invitation_recent(db, a, d->tenant_id, t.id, d->visitor_id, t.once_per_hours, &recent) != KEFU_OK ||
	    recent)
		return;
	if (!channel_online(db, a, d->tenant_id, x.channel_id))
		return;
	struct invite_tx it = {.tenant_id = d->tenant_id,
	                       .channel_id = x.channel_id,
	                       .visitor_id = d->visitor_id,
	                       .trigger_id = t.id,
	                       .text = t.text};
	kefu_err e = db_tx(db, invite_fn, &it);
	if (e != KEFU_OK) {
		log_warn("insight", "trigger %lld for visitor %lld: %s", (long long)t.id, (long long)d->visitor_id,
		         kefu_err_code(e));
		return;
	}
	insight_visitor_changed(db, a, d->tenant_id, d->visitor_id);
}

void insight_sweep(struct kefu_db *db)
{
	static int runs;
	kefu_arena *a = arena_new();
	struct live_gone *g;
	size_t n = 0;
	if (db_live_expired(db, a, 200, &g, &n) == KEFU_OK)
		for (size_t i = 0; i < n; i++) {
			bool removed = false;
			if (db_live_remove(db, g[i].tenant_id, g[i].visitor_id, &removed) != KEFU_OK || !removed)
				continue;
			json_object *ev = json_object_new_object();
			json_object_object_add(ev, "type", json_object_new_string("visitor_left"));
			json_object_object_add(ev, "visitor_id", json_object_new_int64(g[i].visitor_id));
			json_object_object_add(ev, "channel_id", json_object_new_int64(g[i].channel_id));
			notify(db, a, g[i].tenant_id, g[i].channel_id, ev);
		}
	struct trigger_due *d;
	if (db_trigger_due_list(db, a, 200, &d, &n) == KEFU_OK)
		for (size_t i = 0; i < n; i++) {
			bool claimed = false;
			if (db_trigger_due_claim(db, d[i].tenant_id, d[i].id, &claimed) == KEFU_OK && claimed)
				fire(db, a, &d[i]);
		}
	/* the visitor streams keep a day (trimmed every minute or so), the agents' notices 10 minutes (every 5 s: a
	 * busy site makes thousands a second) */
	if (runs % 60 == 0 && db_visitor_events_trim(db, 24, 5000) != KEFU_OK)
		log_warn("insight", "visitor_events trim failed");
	if (runs % 5 == 0 && db_user_notices_trim(db, INSIGHT_NOTICE_MINUTES, 50000) != KEFU_OK)
		log_warn("insight", "agents' notices trim failed");
	runs++;
	arena_free(a);
}

/* ---- /admin/channels/{channel_id}/triggers ---- */

static kefu_err trig_get(const struct crud_ctx *c, int64_t id, void *row)
{
	return db_trigger_get(c->db, c->a, c->who->tenant_id, id, row);
}

static kefu_err trig_list(const struct crud_ctx *c, void **rows, size_t *n)
{
	struct channel_row ch;
	kefu_err e = db_channel_get(c->db, c->a, c->who->tenant_id, c->parent_id, &ch);
	return e != KEFU_OK ? e
	                    : db_trigger_list(c->db, c->a, c->who->tenant_id, c->parent_id, false,
	                                      (struct trigger_row **)rows, n);
}

static bool trig_visible(const struct crud_ctx *c, const void *row)
{
	return ((const struct trigger_row *)row)->channel_id == c->parent_id;
}

static kefu_err trig_write(struct kefu_db *db, int64_t tenant_id, char action, void *row)
{
	struct trigger_row *t = row;
	return action == 'c'   ? db_trigger_create(db, tenant_id, t, &t->id)
	       : action == 'u' ? db_trigger_update(db, tenant_id, t)
	                       : db_trigger_delete(db, tenant_id, t->id);
}

static kefu_err trig_check(const struct crud_ctx *c, json_object *in, const void *base, void *out)
{
	struct trigger_row *t = out;
	struct channel_row ch;
	kefu_err e = db_channel_get(c->db, c->a, c->who->tenant_id, c->parent_id, &ch);
	if (e != KEFU_OK)
		return e;
	if (base != NULL)
		*t = *(const struct trigger_row *)base;
	else
		*t = (struct trigger_row){
		    .channel_id = c->parent_id, .enabled = true, .match = "\"all\"", .once_per_hours = 24};
	if (in != NULL && !json_object_is_type(in, json_type_object))
		return KEFU_E_INVALID_JSON;
	const char *bad = NULL, *s = NULL;
	if ((e = jb_string(in, "name", base == NULL, 1, 200, &s, &bad)) != KEFU_OK)
		return fault_set(c->fault, e, bad, NULL);
	if (s != NULL)
		t->name = s;
	s = NULL;
	if ((e = jb_string(in, "text", base == NULL, 1, 2000, &s, &bad)) != KEFU_OK)
		return fault_set(c->fault, e, bad, NULL);
	if (s != NULL)
		t->text = s;
	if ((e = jb_bool(in, "enabled", false, &t->enabled, NULL, &bad)) != KEFU_OK ||
	    (e = jb_int64(in, "after_seconds", false, 0, 3600, &t->after_seconds, NULL, &bad)) != KEFU_OK ||
	    (e = jb_int64(in, "once_per_hours", false, 1, 8760, &t->once_per_hours, NULL, &bad)) != KEFU_OK)
		return fault_set(c->fault, e, bad, NULL);
	json_object *match = NULL;
	if (in != NULL && json_object_object_get_ex(in, "match", &match) && match != NULL) {
		const char *sub = NULL;
		if (cond_check_match_page(c->a, match, &sub) != KEFU_OK)
			return fault_set(c->fault, KEFU_E_INVALID_FIELD,
			                 sub && *sub ? arena_printf(c->a, "match.%s", sub) : "match", NULL);
		t->match = arena_strdup(c->a, json_object_to_json_string_ext(
		                                  match, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	return KEFU_OK;
}

static json_object *trig_view(const void *row, bool created)
{
	return insight_trigger_json(row);
}

static json_object *trig_audit(const void *row)
{
	const struct trigger_row *t = row;
	json_object *o = json_object_new_object(), *after = insight_trigger_json(t);
	json_object_object_add(o, "after", after);
	return o;
}

static const struct crud_rows trigger_rows = {
    .size = sizeof(struct trigger_row),
    .get = trig_get,
    .list = trig_list,
    .check = trig_check,
    .write = trig_write,
    .view = trig_view,
    .audit = trig_audit,
    .visible = trig_visible,
};

const struct crud_ops trigger_ops = {.audit_type = "visitor_trigger", .rows = &trigger_rows};
