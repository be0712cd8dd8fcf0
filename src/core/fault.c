/* fault: the list of every field a check found at fault (core/actor.h). */
#include <string.h>

#include "core/actor.h"

void fault_add(struct fault *f, kefu_arena *a, const char *field, const char *message)
{
	if (f == NULL)
		return;
	if (f->nall == 0) {
		f->field = field;
		f->message = message;
	}
	if (f->nall == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct fault_item *v = arena_calloc(a, cap, sizeof *v);
		if (f->nall)
			memcpy(v, f->all, f->nall * sizeof *v);
		f->all = v;
		f->cap = cap;
	}
	f->all[f->nall++] = (struct fault_item){field, message};
}
