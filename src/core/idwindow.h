/* idwindow: which ids of an auto-increment column were seen, as a watermark and a sorted set above it. */
#ifndef KEFU_IDWINDOW_H
#define KEFU_IDWINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Auto-increment ids are handed out at INSERT but become visible at COMMIT,
 * so id 11 can be read before id 10 commits, and a rolled-back insert never
 * shows its id at all. A reader that must notice every row once keeps the
 * watermark (every id <= mark was seen or given up) and the ids seen above
 * it, sorted: a lookup or an insert costs O(log n) comparisons (plus a move
 * of the ids above it, none for ids arriving in order), so re-reading the
 * same rows above a hole each tick stays cheap however many pile up there.
 *
 * A hole (mark + 1 not seen) is waited on for give_up_ms from when it was
 * first noticed; then every hole below the highest id seen at that moment
 * is given up at once (their inserts began before that id was handed out,
 * so they have been open at least as long). Holes above it start a wait of
 * their own.
 *
 * On a Galera cluster (wsrep_auto_increment_control) a node hands out only
 * every step-th id, step = the cluster size: with all writes on one node
 * the ids go 104, 107, 110. The ids between are never handed out, so an id
 * at most step above the watermark follows it with no hole in between.
 * (Writes on several nodes at once would break this: another node's id in
 * between could be skipped. kefu's rule is one writer: docs/scaling.md.)
 */
struct idwindow {
	int64_t mark;
	int64_t *ids; /* ids[head .. head + n), ascending, all > mark */
	size_t head, n, cap;
	bool waiting;        /* on a hole at mark + 1 */
	long long gap_since; /* ms when it was noticed */
	int64_t gap_top;     /* the highest id seen then */
	int64_t step;        /* auto_increment_increment; 1 on a single server */
};

/* Start at mark (every id up to it counts as seen). */
void idwin_init(struct idwindow *w, int64_t mark);
void idwin_free(struct idwindow *w);

/* Record id; true when it was not seen before (id > mark and not in the set). */
bool idwin_take(struct idwindow *w, int64_t id);
bool idwin_seen(const struct idwindow *w, int64_t id);

/* The server's auto_increment_increment (its current value: it follows the
 * cluster size); below 1 counts as 1. */
void idwin_set_step(struct idwindow *w, int64_t step);

/* Move the watermark over the ids seen in a row, and past holes waited on
 * for give_up_ms (now_ms: a monotonic clock). */
void idwin_advance(struct idwindow *w, long long now_ms, long long give_up_ms);

/* Ids held above the watermark. */
static inline size_t idwin_pending(const struct idwindow *w)
{
	return w->n;
}

#endif
