/* batcher: a leader/follower queue; a leader runs a batch while the others wait, each on its own condition variable.
 */
#include "store/batcher.h"

/* Lead: take up to max jobs off the queue, run them unlocked on a free
 * connection of the batcher's, hand them back. Called and returns with
 * b->mu held. */
static void lead(struct batcher *b, struct kefu_db *db, kefu_arena *a)
{
	b->nleading++;
	struct batch_job *batch[BATCHER_MAX];
	size_t n = 0;
	while (b->head != NULL && n < b->max && n < BATCHER_MAX) {
		batch[n++] = b->head;
		b->head = b->head->next;
	}
	if (b->head == NULL)
		b->tail = NULL;
	unsigned slot = 0;
	while (b->busy[slot]) /* nleading <= leaders: one is free */
		slot++;
	b->busy[slot] = true;
	if (b->db[slot] == NULL) {
		b->db[slot] = db_new(db_conf(db));
		if (b->tx_only)
			db_set_implicit_tx(b->db[slot]);
	}
	pthread_mutex_unlock(&b->mu);
	b->run(b->db[slot], a, batch, n);
	pthread_mutex_lock(&b->mu);
	for (size_t i = 0; i < n; i++) {
		batch[i]->done = true;
		pthread_cond_signal(&batch[i]->cv);
	}
	b->busy[slot] = false;
	b->nleading--;
	/* Wake only the next in line to lead: waking every waiter would cost a
	 * context switch each for nothing. */
	if (b->head != NULL)
		pthread_cond_signal(&b->head->cv);
}

static unsigned leaders(const struct batcher *b)
{
	return b->leaders == 0 ? 1 : b->leaders < BATCHER_LEADERS_MAX ? b->leaders : BATCHER_LEADERS_MAX;
}

void batcher_run(struct batcher *b, struct kefu_db *db, kefu_arena *a, struct batch_job *job)
{
	job->done = false;
	job->next = NULL;
	pthread_cond_init(&job->cv, NULL);
	pthread_mutex_lock(&b->mu);
	if (b->tail != NULL)
		b->tail->next = job;
	else
		b->head = job;
	b->tail = job;
	while (!job->done) {
		/* A job still queued leads when a leader's place is free; one
		 * taken into a batch waits for it. */
		if (b->nleading < leaders(b) && b->head != NULL)
			lead(b, db, a);
		else
			pthread_cond_wait(&job->cv, &b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	pthread_cond_destroy(&job->cv);
}
