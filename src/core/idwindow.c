/* idwindow: which ids of an auto-increment column were seen, as a watermark and a sorted set above it. */
#include "core/idwindow.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"

void idwin_init(struct idwindow *w, int64_t mark)
{
	*w = (struct idwindow){.mark = mark, .step = 1};
}

void idwin_set_step(struct idwindow *w, int64_t step)
{
	w->step = step > 1 ? step : 1;
}

void idwin_free(struct idwindow *w)
{
	free(w->ids);
	*w = (struct idwindow){0};
}

/* The index (from head) of the first id >= id. */
static size_t lower_bound(const struct idwindow *w, int64_t id)
{
	const int64_t *v = w->ids + w->head;
	size_t lo = 0, hi = w->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool idwin_seen(const struct idwindow *w, int64_t id)
{
	if (id <= w->mark)
		return true;
	size_t i = lower_bound(w, id);
	return i < w->n && w->ids[w->head + i] == id;
}

bool idwin_take(struct idwindow *w, int64_t id)
{
	if (id <= w->mark)
		return false;
	size_t i = w->n && w->ids[w->head + w->n - 1] < id ? w->n : lower_bound(w, id); /* in order: no search */
	if (i < w->n && w->ids[w->head + i] == id)
		return false;
	if (w->head + w->n == w->cap) {
		if (w->head > 0 && w->head >= w->n) { /* half or more is free in front: slide down */
			memmove(w->ids, w->ids + w->head, w->n * sizeof *w->ids);
			w->head = 0;
		} else {
			w->ids = xgrow(w->ids, &w->cap, w->head + w->n, sizeof *w->ids, 256);
		}
	}
	int64_t *v = w->ids + w->head;
	memmove(v + i + 1, v + i, (w->n - i) * sizeof *v);
	v[i] = id;
	w->n++;
	return true;
}

/* Drop the ids at the front up to and including `upto`, and raise the mark. */
static void drop_through(struct idwindow *w, int64_t upto)
{
	size_t k = lower_bound(w, upto + 1);
	w->head += k;
	w->n -= k;
	if (w->n == 0)
		w->head = 0;
	if (upto > w->mark)
		w->mark = upto;
}

void idwin_advance(struct idwindow *w, long long now_ms, long long give_up_ms)
{
	for (;;) {
		int64_t step = w->step > 1 ? w->step : 1;
		while (w->n > 0 && w->ids[w->head] <= w->mark + step)
			drop_through(w, w->ids[w->head]);
		if (w->n == 0) {
			w->waiting = false;
			return;
		}
		if (!w->waiting || w->gap_top <= w->mark) {
			/* A hole newly noticed (or the ones waited on are filled). */
			w->waiting = true;
			w->gap_since = now_ms;
			w->gap_top = w->ids[w->head + w->n - 1];
		}
		if (now_ms - w->gap_since < give_up_ms)
			return;
		drop_through(w, w->gap_top);
		w->waiting = false;
	}
}
