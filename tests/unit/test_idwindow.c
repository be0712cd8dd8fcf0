/* test_idwindow: the tailer's seen-id window: order, duplicates, holes waited on and given up, many ids, Galera's id
 * step. */
#include <check.h>
#include <stdlib.h>

#include "check-main.h"
#include "core/idwindow.h"

/* The short scenarios as scripts: each step takes an id (NEW: it must be new,
 * OLD: it must not be), moves the clock (AT: idwin_advance to now with a
 * give-up of 3000 ms, then the mark it must reach, -1 for unchecked), checks
 * the pending count or an id's state, or sets the Galera step. */
enum op { OP_END, OP_NEW, OP_OLD, OP_AT, OP_PENDING, OP_SEEN, OP_UNSEEN, OP_STEP };

struct step {
	enum op op;
	int64_t arg, mark;
};
#define STEP_OF(op, arg, mark)                                                                                         \
	{                                                                                                              \
		(op), (arg), (mark)                                                                                    \
	}
#define NEW(id)       STEP_OF(OP_NEW, id, 0)
#define OLD(id)       STEP_OF(OP_OLD, id, 0)
#define AT(now, mark) STEP_OF(OP_AT, now, mark)
#define PENDING(n)    STEP_OF(OP_PENDING, n, 0)
#define SEEN(id)      STEP_OF(OP_SEEN, id, 0)
#define UNSEEN(id)    STEP_OF(OP_UNSEEN, id, 0)
#define STEP(n)       STEP_OF(OP_STEP, n, 0)

static const struct scenario {
	const char *name;
	int64_t start; /* idwin_init's mark */
	struct step steps[16];
} scenarios[] = {
    {"in order and out of order",
     10,
     {OLD(9), OLD(10), NEW(13), NEW(11), OLD(13), NEW(12), OLD(11), SEEN(12), UNSEEN(14), AT(1000, 13), PENDING(0)}},
    /* A new hole gets a wait of its own, from when it is noticed. */
    {"a late commit fills the hole",
     0,
     {NEW(2), AT(100, 0), NEW(1), AT(200, 2), NEW(4), AT(2900, -1), AT(5000, 2), AT(5900, 4)}},
    /* Holes 1 and 3 are both older than id 4; hole 5 opened later. */
    {"holes below the waited top go together",
     0,
     {NEW(2), NEW(4), AT(100, -1), NEW(6), AT(1100, -1), AT(3100, 4), PENDING(1), AT(6099, 4), AT(6100, 6)}},
    /* Ids committed out of order on the writer: 110 before 107. 107 is a
     * real hole until it commits (or the wait gives up), as with step 1;
     * 113 rolled back: 116 waits, then the hole is given up. */
    {"galera out-of-order commits still wait",
     101,
     {STEP(3), NEW(104), NEW(110), AT(0, 104), PENDING(1), NEW(107), AT(10, 110), NEW(116), AT(20, 110),
      AT(3020, 116)}},
    /* A writer switch after a node left: cluster size 2, the new writer's
     * offset 1: ids 111, 113. The step read from the server follows; a step
     * of 0 or less (unknown) counts as 1. */
    {"galera writer switch changes the step",
     110,
     {STEP(3), STEP(2), NEW(113), NEW(111), AT(0, 113), STEP(0), NEW(115), AT(10, 113)}},
};

START_TEST(scenario)
{
	const struct scenario *sc = &scenarios[_i];
	struct idwindow w;
	idwin_init(&w, sc->start);
	for (const struct step *s = sc->steps; s->op != OP_END; s++) {
		int at = (int)(s - sc->steps);
		bool ok = true;
		switch (s->op) {
		case OP_NEW: ok = idwin_take(&w, s->arg); break;
		case OP_OLD: ok = !idwin_take(&w, s->arg); break;
		case OP_AT:
			idwin_advance(&w, s->arg, 3000);
			ok = s->mark < 0 || w.mark == s->mark;
			break;
		case OP_PENDING: ok = idwin_pending(&w) == (size_t)s->arg; break;
		case OP_SEEN: ok = idwin_seen(&w, s->arg); break;
		case OP_UNSEEN: ok = !idwin_seen(&w, s->arg); break;
		case OP_STEP: idwin_set_step(&w, s->arg); break;
		case OP_END: break;
		}
		ck_assert_msg(ok, "%s: step %d (mark %lld, %zu pending)", sc->name, at, (long long)w.mark,
		              idwin_pending(&w));
	}
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

int main(void)
{
	Suite *s = check_suite("idwindow", "idwindow",
	                       CHECK_TESTS(a_hole_is_waited_on_then_given_up, random_against_a_model,
	                                   many_ids_above_a_hole, galera_step_ids_are_no_holes));
	TCase *tc = tcase_create("scenarios");
	tcase_add_loop_test(tc, scenario, 0, sizeof scenarios / sizeof scenarios[0]);
	suite_add_tcase(s, tc);
	return check_run(s);
}
