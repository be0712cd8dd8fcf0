/* longpoll: park waiting requests without a thread each; one tailer per process wakes them. */
#ifndef KEFU_LONGPOLL_H
#define KEFU_LONGPOLL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "http/request.h"

enum poll_stream {
	POLL_CONVERSATION, /* woken by events of conversation `id` */
	POLL_USER,         /* woken by events of user `id`'s stream */
	POLL_VISITOR,      /* woken by events of visitor `id`'s own stream */
};

/* What a waiting request asks for; copied when the request is parked. */
struct poll_args {
	enum poll_stream stream;
	int64_t tenant_id;
	int64_t id;        /* conversation, user or visitor */
	int64_t after;     /* the client's cursor */
	int wait_s;        /* 0 answers at once; at most 30 */
	int trim_ms;       /* taken off the end of the wait (0 to 999; a spread finer than a second) */
	int64_t caller_id; /* visitor or user asking (for read receipts etc.) */
	/* The fetch shows every row of the stream after `after`, so its empty
	 * answer means the stream has none: later polls at that cursor may park
	 * without asking the database (longpoll.c, struct head). Leave it false
	 * for a fetch that filters what it shows. */
	bool whole_stream;
	/* Optional, with whole_stream: writes the final answer of a stream known
	 * to have nothing after `after` without reading (longpoll.c, struct
	 * head); NULL reads at every deadline. r->db is NULL in it. */
	kefu_err (*empty)(struct kefu_req *r, const struct poll_args *args);
};

/*
 * Produce the answer for args on r (r->db and r->arena are valid; r->caller
 * is NOT: everything needed must be in args). With final false, a fetch that
 * finds nothing new sets *answered = false and writes no response; with final
 * true it must answer (an empty list). Runs on an accept thread for the first
 * try and on the tailer thread afterwards.
 */
typedef kefu_err (*poll_fetch)(struct kefu_req *r, const struct poll_args *args, bool final, bool *answered);

/*
 * Answer now if fetch has something (or wait_s is 0), else park r: the
 * request's FastCGI handle moves to the tailer (r->fcgi becomes NULL) and the
 * thread goes back to accept. The tailer re-runs fetch when the stream is
 * appended to (latency: one tick, conf.poll_tick_ms) and with final = true
 * at the deadline (or args->empty, at a known head). More than
 * conf.poll_max_parked waiting → 503.
 */
kefu_err longpoll_serve(struct kefu_req *r, const struct poll_args *args, poll_fetch fetch);

/*
 * For a poll on AUTH_VISITOR_TOKEN's terms whose caller is not resolved yet:
 * the request moves to the tailer (r->fcgi becomes NULL, as when parked),
 * which resolves the callers of every request deferred since its last tick
 * in one read (auth_visitors) and then runs resume with r->caller set, on
 * its own connection and arena, r parsed again. resume answers or parks, as
 * a handler does; a request whose token fails is answered its error. False
 * (nothing done) when the tailer is not running: resolve on this thread.
 */
typedef kefu_err (*poll_resume)(struct kefu_req *r);
bool longpoll_defer(struct kefu_req *r, poll_resume resume);

/* Start the tailer thread (main does, before server_run), and stop it answering every
 * parked request (final fetch) at shutdown. */
int longpoll_start(const struct kefu_app *app);
void longpoll_stop(void);

/* From now on the tailer takes, at each tick, the connections queued on
 * the non-blocking listening socket fd and serves them on its own thread
 * (server_serve_waiting): the socket the web server sends the visitors'
 * polls to (conf.poll_listen), which it defers or parks without an accept
 * thread's wake-up. Anything else sent there is served too, on the tailer. */
void longpoll_accept_from(int fd);

/* Requests parked now (for /metrics). */
int64_t longpoll_parked(void);

#endif
