/* batcher: a leader/follower queue; the leader runs a batch while the others wait, each on its own condition variable.
 */
#include "store/batcher.h"

static pthread_mutex_t open_mu = PTHREAD_MUTEX_INITIALIZER;
static struct batcher *open_list; /* batchers with a connection, for batchers_close */

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
		pthread_mutex_lock(&open_mu);
		b->next_open = open_list;
		open_list = b;
		pthread_mutex_unlock(&open_mu);
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

void batchers_close(void)
{
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
