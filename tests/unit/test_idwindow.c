/* test_idwindow: the tailer's seen-id window: order, duplicates, holes waited on and given up, many ids, Galera's id
 * step. */
#include <check.h>
#include <stdlib.h>

#include "check-main.h"
#include "core/idwindow.h"

START_TEST(in_order_and_out_of_order)
{
	struct idwindow w;
	idwin_init(&w, 10);
	ck_assert(!idwin_take(&w, 9));
	ck_assert(!idwin_take(&w, 10));
	ck_assert(idwin_take(&w, 13));
	ck_assert(idwin_take(&w, 11));
	ck_assert(!idwin_take(&w, 13));
	ck_assert(idwin_take(&w, 12));
	ck_assert(!idwin_take(&w, 11));
	ck_assert(idwin_seen(&w, 12) && !idwin_seen(&w, 14));
	idwin_advance(&w, 1000, 3000);
	ck_assert_int_eq(w.mark, 13);
	ck_assert_uint_eq(idwin_pending(&w), 0);
	idwin_free(&w);
}
END_TEST

START_TEST(a_hole_is_waited_on_then_given_up)
{
	struct idwindow w;
	idwin_init(&w, 0);
	for (int64_t id = 2; id <= 1001; id++)
		ck_assert(idwin_take(&w, id));
	idwin_advance(&w, 1000, 3000);
	ck_assert_int_eq(w.mark, 0);
	ck_assert_uint_eq(idwin_pending(&w), 1000);
	idwin_advance(&w, 3999, 3000);
	ck_assert_int_eq(w.mark, 0);
	/* Read again each tick meanwhile: nothing is new. */
	int taken_again = 0;
	for (int64_t id = 2; id <= 1001; id++)
		taken_again += idwin_take(&w, id);
	ck_assert_int_eq(taken_again, 0);
	idwin_advance(&w, 4000, 3000);
	ck_assert_int_eq(w.mark, 1001);
	ck_assert_uint_eq(idwin_pending(&w), 0);
	ck_assert(!idwin_take(&w, 1)); /* a late commit after the give-up wakes nobody */
	idwin_free(&w);
}
END_TEST

START_TEST(a_late_commit_fills_the_hole)
{
	struct idwindow w;
	idwin_init(&w, 0);
	ck_assert(idwin_take(&w, 2));
	idwin_advance(&w, 100, 3000);
	ck_assert_int_eq(w.mark, 0);
	ck_assert(idwin_take(&w, 1));
	idwin_advance(&w, 200, 3000);
	ck_assert_int_eq(w.mark, 2);
	/* A new hole gets a wait of its own, from when it is noticed. */
	ck_assert(idwin_take(&w, 4));
	idwin_advance(&w, 2900, 3000);
	idwin_advance(&w, 5000, 3000);
	ck_assert_int_eq(w.mark, 2);
	idwin_advance(&w, 5900, 3000);
	ck_assert_int_eq(w.mark, 4);
	idwin_free(&w);
}
END_TEST

START_TEST(holes_below_the_waited_top_go_together)
{
	struct idwindow w;
	idwin_init(&w, 0);
	ck_assert(idwin_take(&w, 2));
	ck_assert(idwin_take(&w, 4));
	idwin_advance(&w, 100, 3000); /* holes 1 and 3, both older than id 4 */
	ck_assert(idwin_take(&w, 6)); /* hole 5 opened later */
	idwin_advance(&w, 1100, 3000);
	idwin_advance(&w, 3100, 3000);
	ck_assert_int_eq(w.mark, 4);
	ck_assert_uint_eq(idwin_pending(&w), 1);
	idwin_advance(&w, 6099, 3000);
	ck_assert_int_eq(w.mark, 4);
	idwin_advance(&w, 6100, 3000);
	ck_assert_int_eq(w.mark, 6);
	idwin_free(&w);
}
END_TEST

/* Against a plain array: ids arrive shuffled in bursts, some never (rolled
 * back), and are read again each round; every id is new exactly once.
 * The loops count their mismatches and assert once: each ck_assert that
 * passes costs check a write() to its message file, and hundreds of
 * thousands of them took seconds on a loaded machine (past the runner's
 * time limit) for microseconds of idwindow work. */
START_TEST(random_against_a_model)
{
	enum { N = 20000 };
	static unsigned char model[N + 1];
	static int64_t order[N];
	srand(7);
	for (int i = 0; i < N; i++)
		order[i] = i + 1;
	for (int i = 0; i < N; i++) { /* shuffle within windows of 64: commits out of order, nearby */
		int j = i + rand() % (N - i < 64 ? N - i : 64);
		int64_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	struct idwindow w;
	idwin_init(&w, 0);
	long long now = 1;
	int pos = 0, wrong_fresh = 0, taken_twice = 0, unsorted = 0;
	while (pos < N) {
		int burst = 1 + rand() % 500;
		for (int k = 0; k < burst && pos < N; k++, pos++) {
			int64_t id = order[pos];
			if (rand() % 100 == 0)
				continue; /* rolled back: never visible */
			bool fresh = idwin_take(&w, id);
			wrong_fresh += fresh != (id > w.mark && !model[id]);
			if (fresh)
				model[id] = 1;
			taken_twice += idwin_take(&w, id);
		}
		now += 50;
		idwin_advance(&w, now, 3000);
		for (size_t i = 1; i < idwin_pending(&w); i++)
			unsorted += w.ids[w.head + i - 1] >= w.ids[w.head + i];
	}
	ck_assert_int_eq(wrong_fresh, 0);
	ck_assert_int_eq(taken_twice, 0);
	ck_assert_int_eq(unsorted, 0);
	idwin_advance(&w, now + 3000, 3000);
	idwin_advance(&w, now + 6000, 3000);
	ck_assert_uint_eq(idwin_pending(&w), 0);
	ck_assert_int_ge(w.mark, N - 64);
	idwin_free(&w);
}
END_TEST

/* 200,000 ids above a hole (read in id order, as the tailer reads them),
 * each read again: O(log n) each, well inside the runner's time limit (a
 * linear search would take minutes). */
START_TEST(many_ids_above_a_hole)
{
	struct idwindow w;
	idwin_init(&w, 0);
	long refused = 0, taken_again = 0; /* counted, asserted once: see random_against_a_model */
	for (int64_t id = 2; id <= 200001; id++)
		refused += !idwin_take(&w, id);
	for (int round = 0; round < 5; round++)
		for (int64_t id = 2; id <= 200001; id++)
			taken_again += idwin_take(&w, id);
	ck_assert_int_eq(refused, 0);
	ck_assert_int_eq(taken_again, 0);
	ck_assert_uint_eq(idwin_pending(&w), 200000);
	ck_assert(idwin_take(&w, 1));
	idwin_advance(&w, 10, 3000);
	ck_assert_int_eq(w.mark, 200001);
	idwin_free(&w);
}
END_TEST

/* On Galera (wsrep_auto_increment_control) the writer hands out every
 * step-th id (step = cluster size): 104, 107, 110. The ids between are no
 * holes; waiting on them would hold the window open for give_up_ms after
 * every insert, re-reading every row of the last seconds each tick. */
START_TEST(galera_step_ids_are_no_holes)
{
	struct idwindow w;
	idwin_init(&w, 101);
	idwin_set_step(&w, 3);
	ck_assert(idwin_take(&w, 104));
	ck_assert(idwin_take(&w, 107));
	ck_assert(idwin_take(&w, 110));
	idwin_advance(&w, 0, 3000);
	ck_assert_int_eq(w.mark, 110);
	ck_assert_uint_eq(idwin_pending(&w), 0);
	/* Thousands in a row pass at once too. */
	int refused = 0;
	for (int64_t id = 113; id < 113 + 3 * 10000; id += 3)
		refused += !idwin_take(&w, id);
	ck_assert_int_eq(refused, 0);
	idwin_advance(&w, 1, 3000);
	ck_assert_int_eq(w.mark, 113 + 3 * 9999);
	ck_assert_uint_eq(idwin_pending(&w), 0);
	idwin_free(&w);
}
END_TEST

/* Ids committed out of order on the writer: 110 before 107. 107 is a real
 * hole until it commits (or the wait gives up), as with step 1. */
START_TEST(galera_out_of_order_commits_still_wait)
{
	struct idwindow w;
	idwin_init(&w, 101);
	idwin_set_step(&w, 3);
	ck_assert(idwin_take(&w, 104));
	ck_assert(idwin_take(&w, 110));
	idwin_advance(&w, 0, 3000);
	ck_assert_int_eq(w.mark, 104);
	ck_assert_uint_eq(idwin_pending(&w), 1);
	ck_assert(idwin_take(&w, 107));
	idwin_advance(&w, 10, 3000);
	ck_assert_int_eq(w.mark, 110);
	/* 113 rolled back: 116 waits, then the hole is given up. */
	ck_assert(idwin_take(&w, 116));
	idwin_advance(&w, 20, 3000);
	ck_assert_int_eq(w.mark, 110);
	idwin_advance(&w, 3020, 3000);
	ck_assert_int_eq(w.mark, 116);
	idwin_free(&w);
}
END_TEST

/* A writer switch after a node left: cluster size 2, the new writer's
 * offset 1: ids 111, 113. The step read from the server follows. */
START_TEST(galera_writer_switch_changes_the_step)
{
	struct idwindow w;
	idwin_init(&w, 110);
	idwin_set_step(&w, 3);
	idwin_set_step(&w, 2);
	ck_assert(idwin_take(&w, 113));
	ck_assert(idwin_take(&w, 111));
	idwin_advance(&w, 0, 3000);
	ck_assert_int_eq(w.mark, 113);
	/* A step of 0 or less (unknown) counts as 1. */
	idwin_set_step(&w, 0);
	ck_assert(idwin_take(&w, 115));
	idwin_advance(&w, 10, 3000);
	ck_assert_int_eq(w.mark, 113);
	idwin_free(&w);
}
END_TEST

int main(void)
{
	return check_run(
	    check_suite("idwindow", "idwindow",
	                CHECK_TESTS(in_order_and_out_of_order, a_hole_is_waited_on_then_given_up,
	                            a_late_commit_fills_the_hole, holes_below_the_waited_top_go_together,
	                            random_against_a_model, many_ids_above_a_hole, galera_step_ids_are_no_holes,
	                            galera_out_of_order_commits_still_wait, galera_writer_switch_changes_the_step)));
}
