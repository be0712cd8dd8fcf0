/* parked: a request whose answer is written on another thread (a batch's), after its accept thread has moved on. */
#ifndef KEFU_PARKED_H
#define KEFU_PARKED_H

#include "http/request.h"

/*
 * A handler that hands its write to a threaded batcher (store/batcher.h,
 * batcher_park) parks its request: parked_take keeps what the answer needs
 * (the FastCGI request, the route, when it started, the path, origin and
 * language the headers and the access log line read) and takes r's FastCGI
 * request, so that r's thread goes on to accept the next one. On the batch's
 * thread parked_req makes the request again in that batch's arena and
 * parked_answer answers it as the accept thread would have (server_complete:
 * the answer, its headers, the access log line and the metrics), closes it
 * and frees p. When the batcher had no room, parked_undo gives r its FastCGI
 * request back and frees p.
 */
struct parked;
struct parked *parked_take(struct kefu_req *r);
void parked_undo(struct kefu_req *r, struct parked *p);
struct kefu_req parked_req(const struct parked *p, kefu_arena *a);
void parked_answer(struct parked *p, struct kefu_req *r, kefu_err e);

#endif
