/* test_batcher: the leader/follower batcher under many threads (every batch on its one connection), and db_sql_list. */
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
	TCase *tc =
	    check_case(s, "batcher", CHECK_TESTS(every_job_runs_once_in_batches, a_lone_job_runs_at_once, sql_lists));
	tcase_set_timeout(tc, 60);
	return check_run(s);
}
