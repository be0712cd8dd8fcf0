/* batcher: a leader/follower queue; the leader runs a batch while the others wait, each on its own condition variable.
 */
#include "store/batcher.h"

/* Lead: take up to max jobs off the queue, run them unlocked, hand them back.
 * Called and returns with b->mu held. */
static void lead(struct batcher *b, struct kefu_db *db, kefu_arena *a)
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
	pthread_mutex_lock(&b->mu);
	if (b->tail != NULL)
		b->tail->next = job;
	else
		b->head = job;
	b->tail = job;
	while (!job->done) {
		if (!b->leading)
			lead(b, db, a);
		else
			pthread_cond_wait(&job->cv, &b->mu);
	}
	pthread_mutex_unlock(&b->mu);
	pthread_cond_destroy(&job->cv);
}
