/* parked: a request answered on another thread than the one that accepted it (http/parked.h). */
#include "http/parked.h"

#include <fcgiapp.h>
#include <stdlib.h>

#include "core/text.h"
#include "http/server.h"

/* What a parked request's answer needs of it: its accept thread has left it and reset its arena since. */
struct parked {
	FCGX_Request *fcgi;
	const struct kefu_app *app;
	const struct route *route;
	struct timespec started;
	char *method, *path, *origin, *lang;
};

static void parked_free(struct parked *p)
{
	free(p->method);
	free(p->path);
	free(p->origin);
	free(p->lang);
	free(p);
}

struct parked *parked_take(struct kefu_req *r)
{
	struct parked *p = malloc(sizeof *p);
	if (p == NULL)
		abort();
	*p = (struct parked){.fcgi = r->fcgi,
	                     .app = r->app,
	                     .route = r->route,
	                     .started = r->started,
	                     .method = xstrdup(r->method),
	                     .path = xstrdup(r->path),
	                     .origin = xstrdup(r->origin),
	                     .lang = xstrdup(r->lang)};
	r->fcgi = NULL; /* the parked request's now: the accept thread takes a new FastCGI request */
	return p;
}

void parked_undo(struct kefu_req *r, struct parked *p)
{
	r->fcgi = p->fcgi;
	parked_free(p);
}

struct kefu_req parked_req(const struct parked *p, kefu_arena *a)
{
	struct kefu_req r = {.arena = a, .fcgi = p->fcgi, .app = p->app, .started = p->started, .route = p->route};
	/* what the answer's headers and its access log line read */
	r.method = p->method;
	r.path = p->path;
	r.origin = p->origin;
	r.lang = p->lang;
	return r;
}

void parked_answer(struct parked *p, struct kefu_req *r, kefu_err e)
{
	server_complete(r, e);
	server_finish(p->fcgi);
	free(p->fcgi);
	parked_free(p);
}
