/* batcher: a leader/follower queue; the leader runs a batch while the others wait, each on its own condition variable.
 */
#include "store/batcher.h"

#include <stdatomic.h>
#include <time.h>

/* Requests begun and not yet at a batcher or ended; the thread's own flag
 * says whether its request is still counted. */
static atomic_int on_the_way;
static _Thread_local bool counted;
/* A leader lingering now (the last to begin, if several batchers linger):
 * the last request on its way that ends without a batch wakes it. */
static _Atomic(struct batcher *) lingerer;

void batcher_request_begin(void)
{
	if (!counted) {
		counted = true;
		atomic_fetch_add(&on_the_way, 1);
	}
}

/* The thread's request has arrived at a batcher: no longer on its way. */
static void arrived(void)
{
	if (counted) {
		counted = false;
		atomic_fetch_sub(&on_the_way, 1);
	}
}

void batcher_request_end(void)
{
	if (!counted)
		return;
	counted = false;
	struct batcher *b;
	if (atomic_fetch_sub(&on_the_way, 1) == 1 && (b = atomic_load(&lingerer)) != NULL) {
		pthread_mutex_lock(&b->mu);
		if (b->lingering)
			pthread_cond_signal(&b->fill);
		pthread_mutex_unlock(&b->mu);
	}
}

/* Wait (b->mu held) while requests are on their way and the queue has
 * room, until linger_us from now. Arrivals wake the leader when the last
 * one on its way has come or the queue is full, and so does the last one
 * on its way ending without a batch. */
static void linger(struct batcher *b)
{
	size_t room = b->max < BATCHER_MAX ? b->max : BATCHER_MAX;
	if (b->queued >= room || atomic_load(&on_the_way) <= 0)
		return;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)b->linger_us * 1000;
	until.tv_sec += until.tv_nsec / 1000000000;
	until.tv_nsec %= 1000000000;
	b->lingering = true;
	atomic_store(&lingerer, b);
	while (b->queued < room && atomic_load(&on_the_way) > 0)
		if (pthread_cond_timedwait(&b->fill, &b->mu, &until) != 0)
			break;
	b->lingering = false;
}

/* Lead: take up to max jobs off the queue, run them unlocked, hand them back.
 * Called and returns with b->mu held. */
static void lead(struct batcher *b, struct kefu_db *db, kefu_arena *a)
{
	b->leading = true;
	if (b->linger_us > 0)
		linger(b);
	struct batch_job *batch[BATCHER_MAX];
	size_t n = 0;
	while (b->head != NULL && n < b->max && n < BATCHER_MAX) {
		batch[n++] = b->head;
		b->head = b->head->next;
	}
	if (b->head == NULL)
		b->tail = NULL;
	b->queued -= n;
	if (b->db == NULL) {
		b->db = db_new(db_conf(db));
		if (b->tx_only)
			db_set_implicit_tx(b->db);
	}
	pthread_mutex_unlock(&b->mu);
	b->run(b->db, a, batch, n);
	pthread_mutex_lock(&b->mu);
	for (size_t i = 0; i < n; i++) {
		batch[i]->done = true;
		pthread_cond_signal(&batch[i]->cv);
	}
	b->leading = false;
	/* Wake only the next in line to lead: waking every waiter would cost a
	 * context switch each for nothing. */
	if (b->head != NULL)
		pthread_cond_signal(&b->head->cv);
}

void batcher_run(struct batcher *b, struct kefu_db *db, kefu_arena *a, struct batch_job *job)
{
	job->done = false;
	job->next = NULL;
	pthread_cond_init(&job->cv, NULL);
	arrived();
	pthread_mutex_lock(&b->mu);
	if (b->tail != NULL)
		b->tail->next = job;
	else
		b->head = job;
	b->tail = job;
	b->queued++;
	if (b->lingering && (b->queued >= b->max || atomic_load(&on_the_way) <= 0))
		pthread_cond_signal(&b->fill);
	while (!job->done) {
		if (!b->leading)
			lead(b, db, a);
		else
			pthread_cond_wait(&job->cv, &b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	pthread_cond_destroy(&job->cv);
}
