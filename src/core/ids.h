/* ids: id lists as arrays of int64_t (members, departments, groups), where the first of each id counts. */
#ifndef KEFU_CORE_IDS_H
#define KEFU_CORE_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Keep the first of each id, in order (member order matters for round
 * robin); returns the new count. Lists are short: quadratic is fine. */
static inline size_t ids_dedupe(int64_t *ids, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = ids[j] == ids[i];
		if (!seen)
			ids[k++] = ids[i];
	}
	return k;
}

/* Whether an id stands twice in ids[0..n) (a list the caller refuses so). */
static inline bool ids_have_dup(const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (ids[j] == ids[i])
				return true;
	return false;
}

#endif
