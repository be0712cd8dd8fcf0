/* server: the FastCGI accept threads and the request pipeline (parse → route → auth → handler → send). */
#ifndef KEFU_SERVER_H
#define KEFU_SERVER_H

#include "core/err.h"
#include "http/app.h"

struct kefu_req;

/* Block SIGTERM, SIGINT and SIGHUP in the calling thread and so in every
 * thread it starts afterwards (and ignore SIGPIPE): call it first in main,
 * before any thread exists. server_run then takes them with sigwait, and a
 * second SIGTERM or a SIGHUP during the stop cannot kill the process. */
void server_block_signals(void);

/* Open the socket named by conf.listen (or use fd 0), start conf.threads
 * accept threads and serve until SIGTERM or SIGINT (SIGHUP is ignored);
 * then stop accepting,
 * let in-flight requests finish, and return 0. -1 if the socket cannot open. */
int server_run(struct kefu_app *app);

/* Parse r's FastCGI request (its parameters and query) into r: the
 * server's first step, and a deferred request's again on the thread that
 * takes it over (longpoll_defer), the first parse's arena being reset. */
kefu_err server_parse(struct kefu_req *r);

/* The end of a request's handling, e its handler's outcome: the error
 * answered, the response sent, counted and logged; nothing when it was
 * parked (r->fcgi NULL). The caller then finishes the FastCGI request. */
void server_complete(struct kefu_req *r, kefu_err e);

/* Send the response fields of r over its FastCGI request (used by the
 * server and by whoever completes a parked long-poll). */
void server_send(struct kefu_req *r);

/* End a FastCGI request whose response has been sent, and close its
 * connection (FCGX_Finish_r without libfcgi's wait for the web server to
 * hang up, when that wait is not needed). */
struct FCGX_Request;
void server_finish(struct FCGX_Request *fcgi);

/* Open the visitors' poll socket, conf.poll_listen, non-blocking, for the
 * long-poll tailer to take from (longpoll_accept_from). Before server_run,
 * so that it is there once the main socket is (what a supervisor waits
 * for). -1 when none is configured, -2 when it cannot open (logged). */
int server_poll_socket(const struct kefu_app *app);

/* The same for the visitors' page views' socket, conf.pageview_listen, which
 * their batcher's thread takes from (api_pageviews_take_from). */
int server_pageview_socket(const struct kefu_app *app);

/* Connections taken from a poll socket (listen_fd, non-blocking) whose
 * request has not arrived yet: they wait here between calls. */
struct pollfd;
struct conn_intake {
	int listen_fd;
	bool pageviews; /* the page views' socket (conf.pageview_listen), else the polls' */
	struct pollfd *waiting;
	long long *since_ms; /* when each was taken */
	size_t n, cap;
};

/* Take up to max connections queued on in->listen_fd without waiting for
 * more, and serve, on the calling thread, db and arena, the request of each
 * taken connection (now or at an earlier call) that has begun to arrive:
 * the tailer's take of the visitors' poll socket (conf.poll_listen) at its
 * tick. How many connections were taken. One thread per intake. */
struct kefu_db;
int server_serve_waiting(struct conn_intake *in, const struct kefu_app *app, struct kefu_db *db, kefu_arena *arena,
                         int max);

/* Close the connections still waiting in in, and free it. */
void server_intake_free(struct conn_intake *in);

#endif
