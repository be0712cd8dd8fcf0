/* strategy: the in-group choice as pure functions over a candidate list, so every tie rule is unit-tested. */
#include "domain/strategy.h"

const char *const strategy_names[STRAT__MAX + 1] = {"load",          "round_robin",   "idle",
                                                    "account_owner", "contact_owner", NULL};

bool candidate_available(const struct candidate *c)
{
	return c->online && c->live < c->max;
}

/* Longest since last assignment (never assigned first), then lowest user id. */
static bool tie_before(const struct candidate *a, const struct candidate *b)
{
	if (a->last_assigned_ms != b->last_assigned_ms)
		return a->last_assigned_ms < b->last_assigned_ms;
	return a->user_id < b->user_id;
}

static int pick_by(const struct candidate *m, size_t n, bool idle)
{
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		if (!candidate_available(&m[i]))
			continue;
		if (best < 0) {
			best = (int)i;
			continue;
		}
		const struct candidate *a = &m[i], *b = &m[best];
		int64_t ka = idle ? a->assigned_today : a->live, kb = idle ? b->assigned_today : b->live;
		if (ka < kb || (ka == kb && tie_before(a, b)))
			best = (int)i;
	}
	return best;
}

static int pick_rr(const struct candidate *m, size_t n, int64_t rr_last)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (rr_last != 0 && m[i].user_id == rr_last) {
			start = i + 1;
			break;
		}
	for (size_t k = 0; k < n; k++) {
		size_t i = (start + k) % n;
		if (candidate_available(&m[i]))
			return (int)i;
	}
	return -1;
}

int strategy_pick(enum strategy s, const struct candidate *m, size_t n, int64_t rr_last, int64_t owner,
                  bool owner_queue, bool *wait_owner)
{
	*wait_owner = false;
	switch (s) {
	case STRAT_ROUND_ROBIN: return pick_rr(m, n, rr_last);
	case STRAT_IDLE: return pick_by(m, n, true);
	case STRAT_ACCOUNT_OWNER:
	case STRAT_CONTACT_OWNER:
		for (size_t i = 0; owner != 0 && i < n; i++) {
			if (m[i].user_id != owner)
				continue;
			if (candidate_available(&m[i]))
				return (int)i;
			if (owner_queue) {
				*wait_owner = true;
				return -1;
			}
			break;
		}
		/* No owner, an owner outside the group, or fallback load. */
		return pick_by(m, n, false);
	default: return pick_by(m, n, false);
	}
}

enum verdict strategy_verdict(bool open, enum strategy s, const struct candidate *m, size_t n, int64_t rr_last,
                              int64_t owner, bool owner_queue, int *pick, bool *wait_owner)
{
	*pick = -1;
	*wait_owner = false;
	if (!open)
		return VERDICT_OUT_OF_HOURS;
	bool anyone = false;
	for (size_t i = 0; i < n; i++)
		anyone = anyone || m[i].online;
	if (!anyone)
		return VERDICT_OFFLINE;
	*pick = strategy_pick(s, m, n, rr_last, owner, owner_queue, wait_owner);
	return *pick >= 0 ? VERDICT_ASSIGN : VERDICT_QUEUE;
}
