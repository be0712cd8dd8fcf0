/* actor: who a domain or store call acts for, and why it refused its input; what they need of a request, no more. */
#ifndef KEFU_CORE_ACTOR_H
#define KEFU_CORE_ACTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

/*
 * The caller as the domain and the store see it: a tenant and a user or an
 * API key with their rights. The HTTP layer builds it from the request
 * (http/auth.h, actor_of); kefuctl and housekeeping build their own. Every
 * tenant-data call takes the tenant from here, never from its input.
 */
struct actor {
	int64_t tenant_id;
	int64_t user_id;    /* a console or workbench user, or 0 */
	int64_t api_key_id; /* an API key, or 0 */
	bool admin;         /* the admin role, or a key with scope admin */
	bool crm;           /* a key with scope crm */
};

/*
 * Why a call refused its input: the field at fault (NULL: none in
 * particular) and a message for a person (NULL: the error's default). The
 * strings are static or live in the call's arena. A handler turns it into
 * the documented error body; kefuctl prints it.
 */
struct fault_item {
	const char *field;
	const char *message;
};

/*
 * A check that reports every field at fault (a form marks them all) also
 * fills all[0..nall) with fault_add; field and message are the first of
 * them, so a caller that shows one fault needs nothing else.
 */
struct fault {
	const char *field;
	const char *message;
	struct fault_item *all;
	size_t nall, cap;
};

/* Add a fault (field, message: static or in a) to f's list, in arena a; the first also becomes f->field and
 * f->message. Does nothing when f is NULL. */
void fault_add(struct fault *f, kefu_arena *a, const char *field, const char *message);

/* Fill f (may be NULL) and return e, for `return fault_set(f, KEFU_E_..., "name", "...")`. */
#define fault_set(f, e, fld, msg) ((f) ? ((f)->field = (fld), (f)->message = (msg), (e)) : (e))

#endif
