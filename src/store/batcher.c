/* batcher: a leader/follower queue (or a thread of its own leading); the leader runs a batch while the others wait. */
#include "store/batcher.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "core/json-doc.h"
#include "core/log.h"

static pthread_mutex_t open_mu = PTHREAD_MUTEX_INITIALIZER;
static struct batcher *open_list;      /* batchers with a connection, for batchers_close */
static struct batcher *with_thread[8]; /* threaded batchers whose thread runs (open_mu guards both) */
static size_t nthreads;

/* The batches' connection, made on first use. Called with b->mu held. */
static void open_db(struct batcher *b, const struct kefu_conf *conf)
{
	if (b->db != NULL)
		return;
	b->db = db_new(conf);
	if (b->tx_only)
		db_set_implicit_tx(b->db);
	pthread_mutex_lock(&open_mu);
	b->next_open = open_list;
	open_list = b;
	pthread_mutex_unlock(&open_mu);
}

/* Lead: take up to max jobs off the queue, run them unlocked, hand them back:
 * a parked job to its finish (on this thread, outside the lock, after the
 * waiting owners are woken), any other to its waiting owner. Called and
 * returns with b->mu held. */
static size_t lead(struct batcher *b, const struct kefu_conf *conf, kefu_arena *a)
{
	b->leading = true;
	struct batch_job *batch[BATCHER_MAX];
	size_t n = 0;
	while (b->head != NULL && n < b->max && n < BATCHER_MAX) {
		batch[n++] = b->head;
		b->head = b->head->next;
	}
	if (b->head == NULL)
		b->tail = NULL;
	b->queued -= n;
	open_db(b, conf);
	pthread_mutex_unlock(&b->mu);
	for (size_t i = 0; i < n; i++)
		if (batch[i]->finish != NULL)
			batch[i]->arena = a;
	b->run(b->db, a, batch, n);
	pthread_mutex_lock(&b->mu);
	size_t nparked = 0;
	for (size_t i = 0; i < n; i++) {
		if (batch[i]->finish != NULL) {
			batch[nparked++] = batch[i];
			continue;
		}
		batch[i]->done = true;
		pthread_cond_signal(&batch[i]->cv);
	}
	b->parked -= nparked;
	b->leading = false;
	/* Wake only the next in line to lead: waking every waiter would cost a
	 * context switch each for nothing. A threaded batcher's own thread leads. */
	if (b->head != NULL && !b->threaded)
		pthread_cond_signal(&b->head->cv);
	if (nparked > 0) {
		pthread_mutex_unlock(&b->mu);
		/* The answers' access log lines go with the worker's gathered
		 * lines (log_defer), a write(2) for many. */
		for (size_t i = 0; i < nparked; i++)
			batch[i]->finish(batch[i]); /* the job is finish's now */
		pthread_mutex_lock(&b->mu);
	}
	return nparked;
}

/* How long a threaded batcher's thread waits, at most, for the posts it has
 * just answered to come back before it writes the next batch; the
 * environment's KEFU_BATCH_LINGER_US, read once per process, sets another
 * (tests stretch it so that what they count does not hang on the machine's
 * speed). */
#define LINGER_NS 1000000

static pthread_once_t linger_once = PTHREAD_ONCE_INIT;
static long linger_for = LINGER_NS;

/* The environment's name as microseconds (0 to 10 s) in ns, or dflt when unset or not one. */
static long env_us(const char *name, long dflt)
{
	const char *us = getenv(name);
	if (us != NULL && *us != '\0') {
		char *end;
		long v = strtol(us, &end, 10);
		if (*end == '\0' && v >= 0 && v <= 10000000) /* up to 10 s */
			return v * 1000;
	}
	return dflt;
}

static void linger_read(void)
{
	linger_for = env_us("KEFU_BATCH_LINGER_US", LINGER_NS);
}

static long linger_ns(void)
{
	pthread_once(&linger_once, linger_read);
	return linger_for;
}

/*
 * Under load, the posts a batch has just answered are on their way back
 * (their clients' next posts) while the next batch is whatever came during
 * this one: two groups that take turns, each half of what is in flight, and
 * each paying a batch's statements and commit. So once a batch's answers are
 * out, the thread waits until it holds as many more posts as it has answered
 * (or a full batch), up to LINGER_NS, and the two groups become one. That
 * holds when the queue is empty too: a batch that took everything in flight
 * would otherwise be followed by a batch of the first post to come back,
 * then one of the rest (at 16 connections in bench/run 0.19 COMMITs a
 * message against 0.13 with the wait). A post that follows a batch of
 * one goes at once, and so does whatever comes once the wait is over.
 * Called with b->mu held.
 */
static void linger(struct batcher *b, size_t answered)
{
	if (answered == 0 || b->stopping)
		return;
	size_t target = b->gather_ns > 0 ? b->max : b->queued + answered;
	if (target > b->max)
		target = b->max;
	if (b->queued >= target)
		return;
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until); /* the condition variable's clock (enqueue) */
	long ns = until.tv_nsec + (b->gather_ns > 0 ? b->gather_ns : linger_ns());
	until.tv_sec += ns / 1000000000L;
	until.tv_nsec = ns % 1000000000L;
	b->want = target;
	while (b->queued < target && !b->stopping)
		if (pthread_cond_timedwait(&b->work, &b->mu, &until) == ETIMEDOUT)
			break;
}

/* How long a batcher's thread with an intake waits in it while no job is
 * queued: a gather, so that a job parked by another thread (not through the
 * intake) waits no longer than one taken by it would. */
#define INTAKE_WAIT_MS(b) ((b)->gather_ns > 0 ? (int)((b)->gather_ns / 1000000L) + 1 : 20)

/* A threaded batcher's thread: leads every batch, back to back while jobs
 * are queued, and ends once stopping with none left. */
static void *batch_thread(void *arg)
{
	/* Not its starter's name: profiles and tests tell threads apart by it. */
	pthread_setname_np(pthread_self(), "kefu-batcher");
	json_thread_init();
	struct batcher *b = arg;
	kefu_arena *a = arena_new(), *taking = NULL;
	pthread_mutex_lock(&b->mu);
	for (;;) {
		b->want = 1;
		if (b->intake != NULL) {
			/* What has come on its socket: at once after a batch (whose
			 * gather was the wait), else waiting up to a gather for it. */
			int wait_ms = b->head == NULL && !b->stopping ? INTAKE_WAIT_MS(b) : 0;
			open_db(b, b->conf);
			struct kefu_db *db = b->db;
			pthread_mutex_unlock(&b->mu);
			if (taking == NULL)
				taking = arena_new();
			b->intake(b->intake_arg, db, taking, wait_ms);
			arena_reset(taking);
			pthread_mutex_lock(&b->mu);
			if (b->head == NULL && !b->stopping)
				continue;
		}
		while (b->head == NULL && !b->stopping)
			pthread_cond_wait(&b->work, &b->mu);
		if (b->head == NULL)
			break;
		b->want = SIZE_MAX; /* busy: it looks at the queue when the batch is done */
		size_t answered = lead(b, b->conf, a);
		arena_reset(a);
		linger(b, answered);
	}
	pthread_mutex_unlock(&b->mu);
	arena_free(a);
	if (taking != NULL)
		arena_free(taking);
	return NULL;
}

/* Start a threaded batcher's thread. Called with b->mu held. */
static void start_thread(struct batcher *b, const struct kefu_conf *conf)
{
	b->conf = conf;
	if (b->gather_env != NULL)
		b->gather_ns = env_us(b->gather_env, b->gather_ns);
	b->stopping = false;
	/* Its waits are timed on the monotonic clock: a step of the
	 * wall clock must not stretch one. No one waits on it yet. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_destroy(&b->work);
	pthread_cond_init(&b->work, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&b->thread, NULL, batch_thread, b) != 0)
		abort();
	b->started = true;
	pthread_mutex_lock(&open_mu);
	if (nthreads == sizeof with_thread / sizeof *with_thread)
		abort(); /* more threaded batchers than the list holds: make it longer */
	with_thread[nthreads++] = b;
	pthread_mutex_unlock(&open_mu);
}

/* Queue job; a threaded batcher's thread is started on first use and told
 * of the job. Called with b->mu held. */
static void enqueue(struct batcher *b, struct kefu_db *db, struct batch_job *job)
{
	job->next = NULL;
	if (b->tail != NULL)
		b->tail->next = job;
	else
		b->head = job;
	b->tail = job;
	b->queued++;
	if (!b->threaded)
		return;
	if (!b->started)
		start_thread(b, db_conf(db));
	/* Not while the thread is busy or lingering for more: it finds the job when its batch is done. */
	if (b->queued >= b->want)
		pthread_cond_signal(&b->work);
}

void batcher_intake(struct batcher *b, const struct kefu_conf *conf, batch_intake_fn intake, void *arg)
{
	pthread_mutex_lock(&b->mu);
	b->intake = intake;
	b->intake_arg = arg;
	if (!b->started)
		start_thread(b, conf);
	pthread_mutex_unlock(&b->mu);
}

void batcher_run(struct batcher *b, struct kefu_db *db, kefu_arena *a, struct batch_job *job)
{
	job->done = false;
	job->finish = NULL;
	pthread_cond_init(&job->cv, NULL);
	pthread_mutex_lock(&b->mu);
	enqueue(b, db, job);
	while (!job->done) {
		if (!b->leading && !b->threaded)
			(void)lead(b, db_conf(db), a);
		else
			pthread_cond_wait(&job->cv, &b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	pthread_cond_destroy(&job->cv);
}

bool batcher_park(struct batcher *b, struct kefu_db *db, struct batch_job *job)
{
	if (!b->threaded || job->finish == NULL)
		abort(); /* no one would ever lead it, or tell its owner */
	job->done = false;
	pthread_mutex_lock(&b->mu);
	bool room = b->parked < BATCHER_PARKED_MAX;
	if (room) {
		b->parked++;
		enqueue(b, db, job);
	}
	pthread_mutex_unlock(&b->mu);
	return room;
}

void batchers_close(void)
{
	/* Threaded batchers first: their threads write what is still queued
	 * (on their connections, closed below) and end. */
	pthread_mutex_lock(&open_mu);
	size_t nt = nthreads;
	struct batcher *ts[sizeof with_thread / sizeof *with_thread];
	for (size_t i = 0; i < nt; i++)
		ts[i] = with_thread[i];
	nthreads = 0;
	pthread_mutex_unlock(&open_mu);
	for (size_t i = 0; i < nt; i++) {
		struct batcher *b = ts[i];
		pthread_mutex_lock(&b->mu);
		b->stopping = true;
		pthread_cond_signal(&b->work);
		pthread_mutex_unlock(&b->mu);
		pthread_join(b->thread, NULL);
		pthread_mutex_lock(&b->mu);
		b->started = false;
		pthread_mutex_unlock(&b->mu);
	}
	/* Detach the list first: lead takes open_mu while holding b->mu, so
	 * taking b->mu under open_mu here would be the other lock order. */
	pthread_mutex_lock(&open_mu);
	struct batcher *list = open_list;
	open_list = NULL;
	pthread_mutex_unlock(&open_mu);
	for (struct batcher *b = list; b != NULL; b = b->next_open) {
		pthread_mutex_lock(&b->mu);
		db_free(b->db);
		b->db = NULL;
		pthread_mutex_unlock(&b->mu);
	}
}
