/* longpoll: parked FastCGI requests, a per-process tailer that watches the event tables and wakes them. */
#include "http/longpoll.h"

#include <fcgiapp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/idwindow.h"
#include "core/json-doc.h"
#include "core/log.h"
#include "core/text.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/metrics.h"
#include "http/response.h"
#include "http/server.h"
#include "store/db.h"
#include "store/store-events.h"

#define BUCKETS        65536 /* power of two; also the heads (struct head) */
#define TOUCH_LIMIT    5000  /* rows read per tick and table */
#define GAP_GIVE_UP_MS 3000
#define STEP_EVERY_MS  1000
#define HEAD_DOUBT_MS  120000

/*
 * Why gaps matter: auto-increment ids become visible at COMMIT, not in
 * order, so the tailer keeps per table an idwindow (core/idwindow.h): a
 * watermark below which every id has been seen, and the ids seen above it.
 * It reads from the watermark each tick, so a late commit is still noticed;
 * a hole that stays open for GAP_GIVE_UP_MS is a rolled back insert (or a
 * deadlock retry) and is skipped. Missing a wake-up would only delay an
 * answer to the poll's deadline; delivery itself always reads the dense
 * per-stream sequence, so nothing can be lost either way. While a hole is
 * waited on, the rows above it are read again each tick (up to TOUCH_LIMIT):
 * each costs one O(log n) lookup. Waiters still time out at their deadlines
 * meanwhile, and while the database is away. On Galera ids step by the
 * cluster size (auto_increment_increment): the window is told the step, or
 * every insert would look like a hole and hold it open for GAP_GIVE_UP_MS.
 *
 * A parked waiter is in its key's bucket (woken by a row of its stream) and
 * in a heap ordered by deadline, so a tick costs what it wakes and what
 * expires, not a walk over every waiter (20,000 visitors' polls parked, at
 * 20 ticks a second, made that walk a twentieth of a worker's time). A
 * fresh waiter is in neither: the tailer checks it at its next tick, after
 * that tick's read of the tables, and parks it then.
 */
struct waiter {
	struct waiter *next, **pprev; /* in its bucket, while parked */
	struct waiter *work;          /* on the fresh list or a tailer's work list */
	size_t slot;                  /* in the deadline heap, while parked */
	FCGX_Request *fcgi;
	struct poll_args args;
	poll_fetch fetch;
	const struct route *route;
	long long deadline_ms;
	struct timespec started;
	char *lang, *cors_origin;
	bool from_head; /* expired at a known head: answered by args.empty, without a read */
};

/*
 * Most polls find nothing new, and a poll that parks used to ask the
 * database twice before waiting (its first try on the accept thread, then
 * the tailer's check of every fresh waiter). Each bucket therefore also
 * remembers one stream's head: the seq a poll of that stream found nothing
 * after, raised by every row of it the tailer takes. A poll whose cursor is
 * at or past it parks at once, without a query, and one that expires there
 * is answered without one when its handler can say so (poll_args.empty):
 * a browsing visitor's poll then costs the database nothing beyond its
 * authentication. Only the tailer's rows move it, so an entry is written
 * from a poll's empty answer only when no row of the bucket was taken since
 * just before that poll's query (gen): otherwise a row between the query
 * and the entry would be forgotten. A row the tailer never takes (a hole it
 * gave up, whose insert commits later) can make an entry stale, so a
 * give-up forgets the heads of that table's streams and none is learnt for
 * HEAD_DOUBT_MS: every poll reads, at its start and at its deadline, until
 * the row has surely committed (a row later than that would be one whose
 * transaction stayed open two minutes past its insert).
 */
struct head {
	bool set;
	enum poll_stream stream;
	int64_t id, seq;
};

/*
 * A visitor's poll whose caller is not known yet (longpoll_defer): the
 * tailer resolves the tokens of all those deferred since its last tick in
 * one read, then resumes each. Browsing visitors poll about every 29 s and
 * nearly every poll parks: its token was its one round trip to the
 * database, and each was a thread's wait and wake-up of its own.
 */
struct deferred {
	struct deferred *next;
	FCGX_Request *fcgi;
	const struct route *route;
	struct timespec started;
	poll_resume resume;
};
#define ACCEPT_BATCH 4096 /* connections taken from the poll socket a tick; the rest wait for the next */
#define DEFER_BATCH  32   /* tokens a read; as many statements as sizes up to it are kept prepared */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct waiter *buckets[BUCKETS];
static struct head heads[BUCKETS];
static uint64_t gens[BUCKETS]; /* rows taken per bucket */
static struct waiter **heap;   /* parked waiters, a binary min-heap by deadline */
static size_t nheap, heap_cap;
static struct waiter *fresh_list; /* parked but not checked by the tailer yet (work) */
static struct deferred *deferred_list, **deferred_tail = &deferred_list; /* to resolve at the next tick (lock) */
static bool tailing;             /* the tailer reads rows: heads may be used (lock) */
static long long doubt_until[3]; /* per stream kind: heads not trusted before (lock) */
static atomic_int_fast64_t parked;
static atomic_bool stop_flag;
static pthread_t tailer;
static atomic_bool running;     /* read by the accept threads, which start first */
static atomic_int poll_fd = -1; /* the visitors' poll socket, taken at each tick (longpoll_accept_from) */
static const struct kefu_app *the_app;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t bucket_of(enum poll_stream s, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull ^ (uint64_t)s;
	return (size_t)(h >> 40) & (BUCKETS - 1);
}

int64_t longpoll_parked(void)
{
	return atomic_load(&parked);
}

/* ---- the deadline heap (caller holds lock) ---- */

static void heap_set(size_t i, struct waiter *w)
{
	heap[i] = w;
	w->slot = i;
}

static void sift_up(size_t i)
{
	struct waiter *w = heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (heap[parent]->deadline_ms <= w->deadline_ms)
			break;
		heap_set(i, heap[parent]);
		i = parent;
	}
	heap_set(i, w);
}

static void sift_down(size_t i)
{
	struct waiter *w = heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= nheap)
			break;
		if (c + 1 < nheap && heap[c + 1]->deadline_ms < heap[c]->deadline_ms)
			c++;
		if (w->deadline_ms <= heap[c]->deadline_ms)
			break;
		heap_set(i, heap[c]);
		i = c;
	}
	heap_set(i, w);
}

static void heap_push(struct waiter *w)
{
	heap = xgrow(heap, &heap_cap, nheap, sizeof *heap, 1024);
	heap_set(nheap++, w);
	sift_up(nheap - 1);
}

static void heap_remove(struct waiter *w)
{
	size_t i = w->slot;
	struct waiter *last = heap[--nheap];
	if (i == nheap)
		return;
	heap_set(i, last);
	sift_down(i);
	sift_up(last->slot);
}

/* ---- parked waiters: bucket and heap (caller holds lock) ---- */

static void park_locked(struct waiter *w)
{
	struct waiter **b = &buckets[bucket_of(w->args.stream, w->args.id)];
	w->next = *b;
	if (*b != NULL)
		(*b)->pprev = &w->next;
	w->pprev = b;
	*b = w;
	heap_push(w);
}

static void unpark_locked(struct waiter *w)
{
	*w->pprev = w->next;
	if (w->next != NULL)
		w->next->pprev = w->pprev;
	heap_remove(w);
}

static void put_back(struct waiter *w)
{
	pthread_mutex_lock(&lock);
	park_locked(w);
	pthread_mutex_unlock(&lock);
}

/* Nothing after `after` in the stream, as far as the tailer has read. Caller holds lock. */
static bool known_empty(const struct poll_args *args, long long now)
{
	const struct head *h = &heads[bucket_of(args->stream, args->id)];
	return tailing && args->whole_stream && now >= doubt_until[args->stream] && h->set &&
	       h->stream == args->stream && h->id == args->id && h->seq <= args->after;
}

kefu_err longpoll_serve(struct kefu_req *r, const struct poll_args *args, poll_fetch fetch)
{
	bool final = args->wait_s <= 0 || !atomic_load(&running) || atomic_load(&stop_flag);
	size_t b = bucket_of(args->stream, args->id);
	/* A poll at the known head parks without a query (see struct head);
	 * one that must answer now (wait 0) always reads, so a client sees
	 * its own writes at once. gen tells whether the tailer took a row of
	 * the bucket before w is parked, which w would have missed. */
	pthread_mutex_lock(&lock);
	bool known = !final && known_empty(args, now_ms()) && atomic_load(&parked) < r->app->conf.poll_max_parked;
	bool was_tailing = tailing;
	uint64_t gen = gens[b];
	pthread_mutex_unlock(&lock);
	if (!known) {
		bool answered = false;
		kefu_err e = fetch(r, args, final, &answered);
		if (e != KEFU_OK || answered)
			return e;
		if (atomic_load(&parked) >= r->app->conf.poll_max_parked) {
			r->retry_after = 1;
			return req_fail(r, KEFU_E_UNAVAILABLE, NULL, "Too many waiting requests; poll again.");
		}
	}
	struct waiter *w = calloc(1, sizeof *w);
	if (w == NULL)
		abort();
	w->fcgi = r->fcgi;
	w->args = *args;
	w->fetch = fetch;
	w->route = r->route;
	w->started = r->started;
	w->deadline_ms = now_ms() + (long long)args->wait_s * 1000 - args->trim_ms;
	w->lang = xstrdup(r->lang);
	w->cors_origin = xstrdup(r->cors_origin);
	atomic_fetch_add(&parked, 1);
	pthread_mutex_lock(&lock);
	/* No row of the bucket taken since before the check: whatever the check
	 * missed is still to come and will wake w, so the tailer need not check
	 * it again; and an empty answer tells the stream's head. */
	bool quiet = was_tailing && gens[b] == gen;
	if (quiet && !known && args->whole_stream && now_ms() >= doubt_until[args->stream])
		heads[b] = (struct head){.set = true, .stream = args->stream, .id = args->id, .seq = args->after};
	if (quiet)
		park_locked(w);
	else {
		w->work = fresh_list;
		fresh_list = w;
	}
	pthread_mutex_unlock(&lock);
	r->fcgi = NULL; /* the accept thread takes a new FastCGI request */
	return KEFU_OK;
}

bool longpoll_defer(struct kefu_req *r, poll_resume resume)
{
	if (!atomic_load(&running) || atomic_load(&stop_flag))
		return false;
	struct deferred *d = calloc(1, sizeof *d);
	if (d == NULL)
		abort();
	*d = (struct deferred){.fcgi = r->fcgi, .route = r->route, .started = r->started, .resume = resume};
	atomic_fetch_add(&parked, 1); /* it holds its descriptor as a parked poll does */
	pthread_mutex_lock(&lock);
	*deferred_tail = d;
	deferred_tail = &d->next;
	pthread_mutex_unlock(&lock);
	r->fcgi = NULL; /* the accept thread takes a new FastCGI request */
	return true;
}

/* Resolve the deferred requests' callers, DEFER_BATCH tokens a read, and
 * resume each on the tailer's connection: it answers (an unknown token
 * 401, as on its accept thread) or parks. */
static void serve_deferred(struct deferred *list, struct kefu_db *db, kefu_arena *a)
{
	while (list != NULL) {
		struct deferred *ds[DEFER_BATCH];
		struct kefu_req *rs[DEFER_BATCH], *ok[DEFER_BATCH];
		kefu_err errs[DEFER_BATCH], okerr[DEFER_BATCH];
		size_t n = 0, m = 0;
		for (; list != NULL && n < DEFER_BATCH; list = list->next, n++) {
			ds[n] = list;
			rs[n] = arena_calloc(a, 1, sizeof *rs[n]);
			*rs[n] = (struct kefu_req){
			    .arena = a, .fcgi = list->fcgi, .app = the_app, .db = db, .started = list->started};
			/* Parsed again: the accept thread's parse was in its arena, reset since. */
			errs[n] = server_parse(rs[n]);
			rs[n]->route = list->route;
			if (errs[n] == KEFU_OK)
				errs[n] = auth_resolve(rs[n]);
			if (errs[n] == KEFU_OK)
				ok[m++] = rs[n];
		}
		auth_visitors(ok, m, okerr);
		for (size_t i = 0, j = 0; i < n; i++) {
			struct kefu_req *r = rs[i];
			atomic_fetch_sub(&parked, 1); /* before it may park again, where it would count itself */
			if (errs[i] == KEFU_OK && (errs[i] = okerr[j++]) == KEFU_OK)
				errs[i] = ds[i]->resume(r);
			server_complete(r, errs[i]);
			if (r->fcgi != NULL) { /* answered, not parked again */
				server_finish(r->fcgi);
				free(r->fcgi);
			}
			free(ds[i]);
		}
		arena_reset(a);
	}
}

/* Answer w on the tailer's connection; false when fetch had nothing yet. */
static bool answer(struct waiter *w, struct kefu_db *db, kefu_arena *a, bool final)
{
	struct kefu_req r = {
	    .arena = a,
	    .fcgi = w->fcgi,
	    .app = the_app,
	    .db = w->from_head ? NULL : db,
	    .started = w->started,
	    .method = "GET",
	    .path = "(long-poll)",
	    .route = w->route,
	    .lang = w->lang,
	    .cors_origin = w->cors_origin,
	};
	r.caller.tenant_id = w->args.tenant_id;
	bool answered = false;
	kefu_err e;
	if (w->from_head) {
		e = w->args.empty(&r, &w->args);
		answered = true;
	} else
		e = w->fetch(&r, &w->args, final, &answered);
	if (e == KEFU_OK && !answered && !final) {
		arena_reset(a);
		return false;
	}
	if (e != KEFU_OK)
		resp_error(&r, e);
	else if (!answered)
		resp_json(&r, 200, json_object_new_object()); /* a fetch that broke its contract */
	server_send(&r);
	server_finish(w->fcgi);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double ms = (double)(now.tv_sec - w->started.tv_sec) * 1e3 + (double)(now.tv_nsec - w->started.tv_nsec) / 1e6;
	metrics_request(w->route, r.status, ms);
	arena_reset(a);
	free(w->fcgi);
	free(w->lang);
	free(w->cors_origin);
	free(w);
	atomic_fetch_sub(&parked, 1);
	return true;
}

/* The tailer took a row (seq) of stream (s, id): its waiters onto list, and
 * the bucket's head and generation moved on. Caller holds lock. */
static void took(enum poll_stream s, int64_t id, int64_t seq, struct waiter **list)
{
	size_t b = bucket_of(s, id);
	gens[b]++;
	struct head *h = &heads[b];
	if (h->set && h->stream == s && h->id == id && h->seq < seq)
		h->seq = seq;
	struct waiter *w = buckets[b];
	while (w != NULL) {
		struct waiter *next = w->next;
		if (w->args.stream == s && w->args.id == id) {
			unpark_locked(w);
			w->work = *list;
			*list = w;
		}
		w = next;
	}
}

/* The waiters at their deadline onto list, each marked whether its stream's
 * head answers it. Caller holds lock. */
static void take_expired(long long now, struct waiter **list)
{
	while (nheap > 0 && heap[0]->deadline_ms <= now) {
		struct waiter *w = heap[0];
		unpark_locked(w);
		w->from_head = w->args.empty != NULL && known_empty(&w->args, now);
		w->work = *list;
		*list = w;
	}
}

/* Every waiter onto list (shutting down). Caller holds lock. */
static void take_all(struct waiter **list)
{
	while (fresh_list != NULL) {
		struct waiter *w = fresh_list;
		fresh_list = w->work;
		w->work = *list;
		*list = w;
	}
	while (nheap > 0) {
		struct waiter *w = heap[0];
		unpark_locked(w);
		w->work = *list;
		*list = w;
	}
}

/* final < 0: final for the waiters at their deadline by now. */
static void serve_list(struct waiter *list, struct kefu_db *db, kefu_arena *a, int final)
{
	while (list != NULL) {
		struct waiter *w = list;
		list = w->work;
		if (!answer(w, db, a, final > 0 || (final < 0 && now_ms() >= w->deadline_ms)))
			put_back(w);
	}
}

/* A hole of w may be given up at this tick's advance: no head of its streams
 * is trusted for a while (struct head). Conservative: a hole filled at the
 * same tick counts too. */
static void doubt_if_giving_up(const struct idwindow *w, enum poll_stream s, long long now)
{
	if (w->waiting && w->n > 0 && now - w->gap_since >= GAP_GIVE_UP_MS) {
		pthread_mutex_lock(&lock);
		doubt_until[s] = now + HEAD_DOUBT_MS;
		for (size_t b = 0; b < BUCKETS; b++)
			if (heads[b].set && heads[b].stream == s)
				heads[b].set = false;
		pthread_mutex_unlock(&lock);
	}
}

static void *tail(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "kefu-tailer");
	json_thread_init();
	struct kefu_db *db = db_new(&the_app->conf);
	kefu_arena *a = arena_new();
	struct idwindow ce = {0}, cm = {0}, cu = {0}, cv = {0}; /* events, messages, user_events, visitor_events */
	bool started = false;
	long long step_read = 0;
	struct conn_intake intake = {.listen_fd = -1};
	int tick = the_app->conf.poll_tick_ms > 0 ? the_app->conf.poll_tick_ms : 50;
	while (!atomic_load(&stop_flag)) {
		struct timespec ts = {tick / 1000, (long)(tick % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		/* The polls queued on their own socket since the last tick, at once:
		 * none wakes a thread from accept() to be handed here (a visitor's
		 * poll is deferred, its token then read with the others below). */
		if ((intake.listen_fd = atomic_load(&poll_fd)) >= 0)
			server_serve_waiting(&intake, the_app, db, a, ACCEPT_BATCH);
		long long now = now_ms();
		struct stream_heads h;
		if (!started && db_stream_heads(db, a, &h) == KEFU_OK) {
			idwin_init(&ce, h.event);
			idwin_init(&cm, h.message);
			idwin_init(&cu, h.user_event);
			idwin_init(&cv, h.visitor_event);
			started = true;
			step_read = now - STEP_EVERY_MS;
		}
		/* On Galera the ids step by the cluster size, which changes as nodes
		 * leave and join: read it again every STEP_EVERY_MS. */
		int64_t step;
		if (started && now - step_read >= STEP_EVERY_MS && db_id_step(db, a, &step) == KEFU_OK) {
			idwin_set_step(&ce, step);
			idwin_set_step(&cm, step);
			idwin_set_step(&cu, step);
			idwin_set_step(&cv, step);
			step_read = now;
		}
		/* Without the heads (the database away) nothing is read, but the
		 * waiters are still taken below: fresh ones and those at their deadline. */
		struct stream_touch *touch = NULL;
		size_t n = 0;
		if (started) {
			struct stream_heads after = {
			    .event = ce.mark, .message = cm.mark, .user_event = cu.mark, .visitor_event = cv.mark};
			if (db_stream_touches(db, a, &after, TOUCH_LIMIT, &touch, &n) != KEFU_OK)
				n = 0;
		}
		struct waiter *woken = NULL, *fresh = NULL, *expired = NULL;
		pthread_mutex_lock(&lock);
		tailing = started;
		for (size_t i = 0; i < n; i++) {
			char k = touch[i].kind;
			if (!idwin_take(k == 'c' ? &ce : k == 'm' ? &cm : k == 'u' ? &cu : &cv, touch[i].row_id))
				continue;
			took(k == 'u'   ? POLL_USER
			     : k == 'v' ? POLL_VISITOR
			                : POLL_CONVERSATION,
			     touch[i].stream_id, touch[i].seq, &woken);
			if (touch[i].user_id > 0) /* a message is its own entry in its agent's stream too */
				took(POLL_USER, touch[i].user_id, touch[i].user_seq, &woken);
		}
		fresh = fresh_list;
		fresh_list = NULL;
		struct deferred *deferred = deferred_list;
		deferred_list = NULL;
		deferred_tail = &deferred_list;
		take_expired(now, &expired);
		pthread_mutex_unlock(&lock);
		if (started) {
			doubt_if_giving_up(&ce, POLL_CONVERSATION, now);
			doubt_if_giving_up(&cm, POLL_CONVERSATION, now);
			doubt_if_giving_up(&cm, POLL_USER, now); /* a message may be its agent's stream's entry too */
			doubt_if_giving_up(&cu, POLL_USER, now);
			doubt_if_giving_up(&cv, POLL_VISITOR, now);
			idwin_advance(&ce, now, GAP_GIVE_UP_MS);
			idwin_advance(&cm, now, GAP_GIVE_UP_MS);
			idwin_advance(&cu, now, GAP_GIVE_UP_MS);
			idwin_advance(&cv, now, GAP_GIVE_UP_MS);
		}
		arena_reset(a);
		/* The woken first: they carry what a client waits for (an invitation, a message). */
		serve_list(woken, db, a, 0);
		serve_deferred(deferred, db, a); /* each answered, or parked as a poll of this tick */
		serve_list(fresh, db, a, -1);
		serve_list(expired, db, a, 1);
	}
	/* Shutting down: every waiter gets its final answer now (a deferred
	 * one, resolved, answers at once: stop_flag makes its poll final). */
	struct waiter *all = NULL;
	pthread_mutex_lock(&lock);
	struct deferred *deferred = deferred_list;
	deferred_list = NULL;
	deferred_tail = &deferred_list;
	take_all(&all);
	pthread_mutex_unlock(&lock);
	serve_deferred(deferred, db, a);
	serve_list(all, db, a, 1);
	server_intake_free(&intake);
	if (started) {
		idwin_free(&ce);
		idwin_free(&cm);
		idwin_free(&cu);
		idwin_free(&cv);
	}
	arena_free(a);
	db_free(db);
	return NULL;
}

int longpoll_start(const struct kefu_app *app)
{
	the_app = app;
	atomic_store(&stop_flag, false);
	atomic_store(&running, true);
	if (pthread_create(&tailer, NULL, tail, NULL) != 0) {
		atomic_store(&running, false);
		return -1;
	}
	return 0;
}

void longpoll_accept_from(int fd)
{
	atomic_store(&poll_fd, fd);
}

void longpoll_stop(void)
{
	if (!atomic_load(&running))
		return;
	atomic_store(&stop_flag, true);
	pthread_join(tailer, NULL);
	atomic_store(&running, false);
}
