/* batcher: many request threads' small database jobs of one kind, done together by whichever of them is free. */
#ifndef KEFU_BATCHER_H
#define KEFU_BATCHER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/*
 * Every statement costs a round trip and every transaction a commit, so a
 * process doing many small jobs of the same kind (writing chat messages,
 * looking up visitor tokens) is cheaper doing them together: one statement
 * for many rows. A thread with a job queues it; if no thread is leading, it
 * leads: it takes the queue (up to max jobs, oldest first), runs them through
 * run with its own arena on the batcher's connection, and wakes the waiters.
 * There is no timer: while one batch runs the next one gathers, so a lone job
 * goes at once and under load a batch is whatever arrived during the previous
 * one.
 *
 * The batches run on the batcher's one connection, not the leading thread's:
 * every batch then meets the same busy MariaDB session instead of waking one
 * that has slept since its thread last led. On bench/run that is a third
 * more messages per second, with fewer context switches on both sides; and
 * the statements of every batch size are prepared once per process, not
 * once per thread.
 *
 * A threaded batcher (the visitors' text posts) leads on a thread of its
 * own instead, and its jobs may be parked: the owner's thread does not wait
 * at all (batcher_park). Its thread has the one timer: after a batch of
 * more than one it waits up to a millisecond for as many jobs as it has just
 * answered to come back, so that those in flight make one batch rather than
 * two taking turns (linger in batcher.c); a lone job still goes at once.
 *
 * run must set every job's err (and whatever result the job carries) and
 * must leave no pointers into the leader's arena in them: the job's owner
 * reads them after the leader has moved on. It may allocate in the arena the
 * job names, whose owner is blocked until the job is done.
 */
#define BATCHER_MAX 64 /* the most jobs one batch may take */
/* The most parked jobs a batcher holds (queued or being written): a parked
 * post holds its connection but no thread, so while a batch is stuck (a row
 * lock, a slow disk) nothing else would bound them; past this the owner
 * waits on its thread as batcher_run's do, and the threads bound the rest. */
#define BATCHER_PARKED_MAX 1024

struct batch_job {
	void *arg;         /* the owner's description of the job and place for its result */
	kefu_arena *arena; /* the owner's arena, for results (a parked job's: the batch's, set by the batcher) */
	kefu_err err;
	/* A parked job's (batcher_park): called on the batcher's thread once the
	 * job's batch is written, with the batch's arena (job->arena, reset once
	 * it returns). It owns the job from then on. NULL for batcher_run's. */
	void (*finish)(struct batch_job *job);
	/* the batcher's */
	bool done;
	pthread_cond_t cv;
	struct batch_job *next;
};

typedef void (*batch_run_fn)(struct kefu_db *db, kefu_arena *a, struct batch_job **jobs, size_t n);

/* A threaded batcher's intake (batcher_intake): takes, on its thread, the jobs
 * that came from outside its owners' threads since its last turn (parking them
 * with batcher_park), waiting up to wait_ms for the first when that is not 0. */
typedef void (*batch_intake_fn)(void *arg, struct kefu_db *db, kefu_arena *a, int wait_ms);

struct batcher {
	pthread_mutex_t mu;
	struct batch_job *head, *tail; /* the queue */
	bool leading;
	size_t max; /* at most BATCHER_MAX */
	batch_run_fn run;
	struct kefu_db *db;        /* the leaders' connection, made by the first */
	bool tx_only;              /* run does all its work in db_tx: the connection runs with autocommit off */
	struct batcher *next_open; /* the list batchers_close walks: those whose db is open */
	/* A threaded batcher (BATCHER_INIT_THREAD) has a thread of its own that
	 * leads every batch; its jobs' owners never lead. */
	bool threaded;
	bool started, stopping;       /* its thread's */
	pthread_t thread;             /* valid once started */
	pthread_cond_t work;          /* the thread waits on it for a job */
	const struct kefu_conf *conf; /* its connection's settings, from the first caller's */
	size_t parked;                /* parked jobs queued or being written */
	size_t queued;                /* jobs in the queue */
	size_t want;                  /* the thread is told of a job once the queue holds this many */
	/* A threaded batcher whose jobs come from many clients each asking
	 * seldom (page views), not from a few asking again at once: after a
	 * batch its thread waits this long, or until a full batch is queued,
	 * rather than lingering for the answered to come back. 0: linger. */
	long gather_ns;
	/* An environment variable whose microseconds, read as the thread starts,
	 * set another gather_ns (tests stretch it so that what they count does
	 * not hang on the machine's speed); NULL: none. */
	const char *gather_env;
	/* Its intake (batcher_intake), called by its thread before each batch
	 * and, while no job is queued, to wait; NULL: none. */
	batch_intake_fn intake;
	void *intake_arg;
};

#define BATCHER_INIT(run_fn, max_jobs)                                                                                 \
	{                                                                                                              \
		.mu = PTHREAD_MUTEX_INITIALIZER, .max = (max_jobs), .run = (run_fn), .work = PTHREAD_COND_INITIALIZER  \
	}
/* A batcher whose run does everything inside db_tx: its transactions need
 * no START TRANSACTION round trip (db_set_implicit_tx). */
#define BATCHER_INIT_TX(run_fn, max_jobs)                                                                              \
	{                                                                                                              \
		.mu = PTHREAD_MUTEX_INITIALIZER, .max = (max_jobs), .run = (run_fn), .tx_only = true,                  \
		.work = PTHREAD_COND_INITIALIZER                                                                       \
	}
/* As BATCHER_INIT_TX, with a thread of its own that leads every batch, so
 * that jobs can be parked (batcher_park): see batcher_park. */
#define BATCHER_INIT_THREAD(run_fn, max_jobs)                                                                          \
	{                                                                                                              \
		.mu = PTHREAD_MUTEX_INITIALIZER, .max = (max_jobs), .run = (run_fn), .tx_only = true,                  \
		.threaded = true, .work = PTHREAD_COND_INITIALIZER                                                     \
	}

/* Queue job and return once it is done (job->err set), having led batches
 * with a if no one else was (never on a threaded batcher, whose thread
 * leads). db is the caller's connection, whose settings the batcher's own is
 * made with. */
void batcher_run(struct batcher *b, struct kefu_db *db, kefu_arena *a, struct batch_job *job);

/*
 * Queue job on a threaded batcher and return at once: the batcher's thread
 * writes it with the next batch and then calls job->finish, which answers
 * whoever asked. A request's thread that parks its job goes back to accept
 * the next request instead of sleeping until the batch is written and being
 * woken for it: one wake-up less a job, and no leader to hand over to (the
 * thread leads every batch, back to back under load). job and everything it
 * points to must live until finish is called. db is the caller's connection,
 * whose settings the batcher's own is made with. false, and nothing queued,
 * when BATCHER_PARKED_MAX jobs are parked already.
 */
bool batcher_park(struct batcher *b, struct kefu_db *db, struct batch_job *job);

/*
 * Give a threaded batcher an intake and start its thread: the page views'
 * socket (kefu.conf pageview_listen), whose connections its thread takes
 * itself, as the long-poll tailer takes the polls' socket: no request thread
 * is woken from accept() for a job only to park it. The thread then waits in
 * intake (up to the batcher's gather_ns, or 20 ms) instead of on its
 * condition variable, so a job parked by another thread meanwhile is taken
 * at the end of that wait at the latest. conf: its connection's settings.
 */
void batcher_intake(struct batcher *b, const struct kefu_conf *conf, batch_intake_fn intake, void *arg);

/* Close every batcher's connection, at a worker's orderly stop once no
 * request runs: the server would otherwise count each as an aborted client.
 * A threaded batcher's thread writes and finishes the jobs still queued
 * first, then ends. A batcher used afterwards opens a new one. */
void batchers_close(void);

#endif
