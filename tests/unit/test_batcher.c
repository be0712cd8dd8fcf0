/* test_batcher: the leader/follower batcher under many threads (every batch on its one connection), lingering, and
 * db_sql_list. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "store/batcher.h"
#include "store/db.h"
#include "check-main.h"

#define THREADS   16
#define JOBS_EACH 200

static atomic_int runs_of[THREADS * JOBS_EACH];
static atomic_int batches, running, overlapped, wrong; /* counted in threads, asserted in the test */
static atomic_int largest;
static struct kefu_conf conf;            /* the connections below never connect: run does no SQL */
static _Atomic(struct kefu_db *) ran_on; /* the connection the first batch ran on */

/* Runs a batch as a database would: slowly, so the others queue meanwhile. */
static void run(struct kefu_db *db, kefu_arena *a, struct batch_job **jobs, size_t n)
{
	struct kefu_db *first = NULL;
	if (!atomic_compare_exchange_strong(&ran_on, &first, db) && first != db)
		atomic_fetch_add(&wrong, 1); /* every batch on the batcher's one connection */
	if (atomic_fetch_add(&running, 1) != 0)
		atomic_fetch_add(&overlapped, 1); /* two leaders at once */
	if (n > 8)
		atomic_fetch_add(&wrong, 1);
	atomic_fetch_add(&batches, 1);
	int seen = atomic_load(&largest);
	while ((int)n > seen && !atomic_compare_exchange_weak(&largest, &seen, (int)n))
		;
	char *scratch = arena_alloc(a, 64); /* the leader's arena is usable */
	memset(scratch, 0, 64);
	for (size_t i = 0; i < n; i++) {
		int id = *(int *)jobs[i]->arg;
		atomic_fetch_add(&runs_of[id], 1);
		/* a result in the owner's arena */
		int *echo = arena_alloc(jobs[i]->arena, sizeof *echo);
		*echo = id;
		jobs[i]->arg = echo;
		jobs[i]->err = id % 7 == 0 ? KEFU_E_CONFLICT : KEFU_OK;
	}
	struct timespec ts = {0, 200000};
	nanosleep(&ts, NULL);
	atomic_fetch_sub(&running, 1);
}

static struct batcher batcher = BATCHER_INIT(run, 8);

static void *submitter(void *arg)
{
	int t = (int)(intptr_t)arg;
	kefu_arena *a = arena_new();
	struct kefu_db *db = db_new(&conf); /* the thread's own, which batches must not use */
	for (int k = 0; k < JOBS_EACH; k++) {
		int id = t * JOBS_EACH + k;
		struct batch_job job = {.arg = &id, .arena = a};
		batcher_run(&batcher, db, a, &job);
		if (job.arg == (void *)&id || *(int *)job.arg != id ||
		    job.err != (id % 7 == 0 ? KEFU_E_CONFLICT : KEFU_OK) || atomic_load(&ran_on) == db)
			atomic_fetch_add(&wrong, 1);
		arena_reset(a);
	}
	db_free(db);
	arena_free(a);
	return NULL;
}

START_TEST(every_job_runs_once_in_batches)
{
	pthread_t th[THREADS];
	for (int t = 0; t < THREADS; t++)
		pthread_create(&th[t], NULL, submitter, (void *)(intptr_t)t);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	for (int i = 0; i < THREADS * JOBS_EACH; i++)
		ck_assert_int_eq(atomic_load(&runs_of[i]), 1);
	ck_assert_int_eq(atomic_load(&overlapped), 0);
	ck_assert_int_eq(atomic_load(&wrong), 0);
	/* with 16 threads and slow batches, jobs must have shared batches */
	ck_assert_int_lt(atomic_load(&batches), THREADS * JOBS_EACH / 2);
	ck_assert_int_eq(atomic_load(&largest), 8);
}
END_TEST

START_TEST(a_lone_job_runs_at_once)
{
	kefu_arena *a = arena_new();
	int id = 0;
	atomic_store(&runs_of[0], 0);
	struct kefu_db *db = db_new(&conf);
	struct batch_job job = {.arg = &id, .arena = a};
	batcher_run(&batcher, db, a, &job);
	ck_assert_int_eq(atomic_load(&runs_of[0]), 1);
	ck_assert_int_eq(job.err, KEFU_E_CONFLICT);
	ck_assert_ptr_nonnull(atomic_load(&ran_on));
	ck_assert_ptr_ne(atomic_load(&ran_on), db);
	db_free(db);
	arena_free(a);
}
END_TEST

/* ---- lingering: a leader waits for requests on their way ---- */

static atomic_int sizes[4], nsizes;

static void run_sizes(struct kefu_db *db, kefu_arena *a, struct batch_job **jobs, size_t n)
{
	(void)db, (void)a;
	int i = atomic_fetch_add(&nsizes, 1);
	if (i < 4)
		atomic_store(&sizes[i], (int)n);
	for (size_t k = 0; k < n; k++)
		jobs[k]->err = KEFU_OK;
}

static struct batcher lingering = {
    PTHREAD_MUTEX_INITIALIZER, NULL, NULL, false, 8, run_sizes, NULL, false, 2000000 /* 2 s */, 0, false,
    PTHREAD_COND_INITIALIZER};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {0, ms * 1000000L};
	nanosleep(&ts, NULL);
}

/* A request that begins at once and reaches the batcher after delay_ms,
 * or (batch false) ends without one. */
struct late {
	int delay_ms;
	bool batch;
	atomic_bool begun;
};

static void *late_request(void *arg)
{
	struct late *l = arg;
	batcher_request_begin();
	atomic_store(&l->begun, true);
	sleep_ms(l->delay_ms);
	if (l->batch) {
		kefu_arena *a = arena_new();
		struct kefu_db *db = db_new(&conf);
		struct batch_job job = {.arena = a};
		batcher_run(&lingering, db, a, &job);
		db_free(db);
		arena_free(a);
	}
	batcher_request_end();
	return NULL;
}

/* One request of our own through the lingering batcher: seconds taken. */
static double own_request(void)
{
	kefu_arena *a = arena_new();
	struct kefu_db *db = db_new(&conf);
	struct batch_job job = {.arena = a};
	double t0 = now_s();
	batcher_request_begin();
	batcher_run(&lingering, db, a, &job);
	batcher_request_end();
	double took = now_s() - t0;
	db_free(db);
	arena_free(a);
	return took;
}

static double with_late(int delay_ms, bool batch)
{
	atomic_store(&nsizes, 0);
	struct late l = {.delay_ms = delay_ms, .batch = batch};
	pthread_t th;
	pthread_create(&th, NULL, late_request, &l);
	while (!atomic_load(&l.begun))
		sleep_ms(1);
	double took = own_request();
	pthread_join(th, NULL);
	return took;
}

START_TEST(a_leader_waits_for_a_request_on_its_way)
{
	/* The other request reaches the batcher 50 ms after ours: one batch of both. */
	double took = with_late(50, true);
	ck_assert_int_eq(atomic_load(&nsizes), 1);
	ck_assert_int_eq(atomic_load(&sizes[0]), 2);
	ck_assert(took >= 0.04 && took < 1.5);
}
END_TEST

START_TEST(a_lone_request_does_not_linger)
{
	atomic_store(&nsizes, 0);
	double took = own_request();
	ck_assert_int_eq(atomic_load(&nsizes), 1);
	ck_assert(took < 0.5);
}
END_TEST

START_TEST(a_request_that_ends_without_a_batch_bounds_the_wait)
{
	/* The other request ends without a batch after 20 ms: it wakes the
	 * leader, which goes alone long before its deadline (2 s). */
	double took = with_late(20, false);
	ck_assert_int_eq(atomic_load(&nsizes), 1);
	ck_assert_int_eq(atomic_load(&sizes[0]), 1);
	ck_assert(took >= 0.01 && took < 1.0);
}
END_TEST

START_TEST(sql_lists)
{
	kefu_arena *a = arena_new();
	ck_assert_str_eq(db_sql_list(a, "INSERT INTO t VALUES ", "(?, ?)", ", ", 3, " RETURNING id"),
	                 "INSERT INTO t VALUES (?, ?), (?, ?), (?, ?) RETURNING id");
	ck_assert_str_eq(db_sql_list(a, "CASE id ", "WHEN ? THEN ?", " ", 2, " END"),
	                 "CASE id WHEN ? THEN ? WHEN ? THEN ? END");
	ck_assert_str_eq(db_sql_list(a, "IN (", "?", ", ", 1, ")"), "IN (?)");
	arena_free(a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("batcher");
	TCase *tc = tcase_create("batcher");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_job_runs_once_in_batches);
	tcase_add_test(tc, a_lone_job_runs_at_once);
	tcase_add_test(tc, a_leader_waits_for_a_request_on_its_way);
	tcase_add_test(tc, a_lone_request_does_not_linger);
	tcase_add_test(tc, a_request_that_ends_without_a_batch_bounds_the_wait);
	tcase_add_test(tc, sql_lists);
	suite_add_tcase(s, tc);
	return check_run(s);
}
