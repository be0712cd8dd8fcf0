/* server: libfcgi accept threads, per-request parsing, dispatch, security headers and the access log. */
#include "http/server.h"

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/json-doc.h"
#include "core/log.h"
#include "core/netaddr.h"
#include "core/text.h"
#include "core/utf8.h"
#include "http/auth.h"
#include "http/metrics.h"
#include "http/parse.h"
#include "http/response.h"
#include "http/router.h"
#include "http/routes.h"
#include "store/db.h"
#include "view/i18n.h"

static atomic_bool stopping;
static int listen_fd;

/* Read the body up to limit bytes; KEFU_E_TOO_LARGE as soon as it is known
 * to be longer, without reading the rest into memory. */
static kefu_err read_body(struct kefu_req *r, size_t limit)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", r->fcgi->envp);
	size_t declared = 0;
	if (cl != NULL && *cl) {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(cl, &end, 10);
		if (errno || *end || cl[0] == '-')
			return req_fail(r, KEFU_E_BAD_REQUEST, NULL, "Bad Content-Length.");
		if (v > limit)
			return KEFU_E_TOO_LARGE;
		declared = (size_t)v;
	}
	size_t cap = declared ? declared : 4096, n = 0;
	r->body = arena_alloc(r->arena, cap + 1);
	for (;;) {
		if (n == cap) {
			if (declared || cap > limit)
				break;
			size_t bigger = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
			unsigned char *nb = arena_alloc(r->arena, bigger + 1);
			memcpy(nb, r->body, n);
			r->body = nb;
			cap = bigger;
		}
		int got = FCGX_GetStr((char *)r->body + n, (int)(cap - n), r->fcgi->in);
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	if (n > limit)
		return KEFU_E_TOO_LARGE;
	r->body[n] = '\0';
	r->body_len = n;
	return KEFU_OK;
}

static bool is_blank(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

static kefu_err parse_body(struct kefu_req *r)
{
	const struct route *rt = r->route;
	if (rt->body == BODY_NONE)
		return KEFU_OK;
	const struct kefu_conf *c = &r->app->conf;
	kefu_err e = read_body(r, rt->body == BODY_MULTIPART ? c->upload_limit : c->json_limit);
	if (e != KEFU_OK)
		return e;
	const char *type = r->content_type ? media_type(r->arena, r->content_type) : NULL;
	switch (rt->body) {
	case BODY_JSON:
		if (is_blank(r->body, r->body_len))
			return KEFU_OK; /* action endpoints take an empty body */
		if (type != NULL && strcmp(type, "application/json") != 0)
			return req_fail(r, KEFU_E_UNSUPPORTED_TYPE, NULL, "Send application/json.");
		return json_body_parse(r->arena, (const char *)r->body, r->body_len, &r->json);
	case BODY_FORM:
		if (type != NULL && strcmp(type, "application/x-www-form-urlencoded") != 0)
			return req_fail(r, KEFU_E_UNSUPPORTED_TYPE, NULL, "Send a form.");
		return parse_urlencoded(r->arena, (const char *)r->body, r->body_len, &r->form);
	case BODY_MULTIPART:
		if (type == NULL || strcmp(type, "multipart/form-data") != 0)
			return req_fail(r, KEFU_E_UNSUPPORTED_TYPE, NULL, "Send multipart/form-data.");
		return parse_multipart(r->arena, r->content_type, r->body, r->body_len, &r->parts);
	case BODY_NONE: break;
	}
	return KEFU_OK;
}

/* The parameters a request is parsed from (param_names, in this order). */
enum {
	P_METHOD,
	P_URI,
	P_CONTENT_TYPE,
	P_REMOTE_ADDR,
	P_FORWARDED_FOR,
	P_ORIGIN,
	P_USER_AGENT,
	P_ACCEPT_LANGUAGE,
	P_AUTHORIZATION,
	P_CSRF,
	P_VISITOR_TOKEN,
	P_SEC_FETCH_SITE,
	P_IF_NONE_MATCH,
	P_HTTPS,
	P_COOKIE,
	P_COUNT
};

#define PARAM_NAME(s)                                                                                                  \
	{                                                                                                              \
		s, sizeof s - 1                                                                                        \
	}
static const struct {
	const char *name;
	size_t len;
} param_names[P_COUNT] = {
    PARAM_NAME("REQUEST_METHOD"),       PARAM_NAME("REQUEST_URI"),
    PARAM_NAME("CONTENT_TYPE"),         PARAM_NAME("REMOTE_ADDR"),
    PARAM_NAME("HTTP_X_FORWARDED_FOR"), PARAM_NAME("HTTP_ORIGIN"),
    PARAM_NAME("HTTP_USER_AGENT"),      PARAM_NAME("HTTP_ACCEPT_LANGUAGE"),
    PARAM_NAME("HTTP_AUTHORIZATION"),   PARAM_NAME("HTTP_X_CSRF_TOKEN"),
    PARAM_NAME("HTTP_X_VISITOR_TOKEN"), PARAM_NAME("HTTP_SEC_FETCH_SITE"),
    PARAM_NAME("HTTP_IF_NONE_MATCH"),   PARAM_NAME("HTTPS"),
    PARAM_NAME("HTTP_COOKIE"),
};

/*
 * The values of the parameters above, in one pass over libfcgi's list:
 * FCGX_GetParam compares its name with every entry of the list, and the
 * fifteen names a request is parsed from made that a fiftieth of a worker's
 * time with thousands of visitors' polls and page views (`perf`). As
 * FCGX_GetParam, the first entry of a name counts.
 */
static void params_of(FCGX_Request *f, const char *v[P_COUNT])
{
	for (int k = 0; k < P_COUNT; k++)
		v[k] = NULL;
	for (char **p = f->envp; p != NULL && *p != NULL; p++) {
		const char *eq = strchr(*p, '=');
		if (eq == NULL)
			continue;
		size_t len = (size_t)(eq - *p);
		for (int k = 0; k < P_COUNT; k++)
			if (param_names[k].len == len && v[k] == NULL && memcmp(*p, param_names[k].name, len) == 0) {
				v[k] = eq + 1;
				break;
			}
	}
}

kefu_err server_parse(struct kefu_req *r)
{
	const char *v[P_COUNT];
	params_of(r->fcgi, v);
	kefu_arena *a = r->arena;
	r->method = arena_strdup(a, v[P_METHOD]);
	const char *uri = v[P_URI];
	if (r->method == NULL || uri == NULL)
		return req_fail(r, KEFU_E_BAD_REQUEST, NULL, "No request line.");
	const char *q = strchr(uri, '?');
	r->path = q ? arena_strndup(a, uri, (size_t)(q - uri)) : arena_strdup(a, uri);
	r->query_string = q ? arena_strdup(a, q + 1) : "";
	r->content_type = arena_strdup(a, v[P_CONTENT_TYPE]);
	r->peer_addr = arena_strdup(a, v[P_REMOTE_ADDR]);
	const struct conf_nets *trusted = &r->app->conf.trusted_proxies;
	r->remote_addr = netaddr_client(a, r->peer_addr, v[P_FORWARDED_FOR], trusted->v, trusted->n);
	r->origin = arena_strdup(a, v[P_ORIGIN]);
	r->user_agent = arena_strdup(a, v[P_USER_AGENT]);
	r->accept_language = arena_strdup(a, v[P_ACCEPT_LANGUAGE]);
	r->authorization = arena_strdup(a, v[P_AUTHORIZATION]);
	r->csrf_header = arena_strdup(a, v[P_CSRF]);
	r->visitor_token = arena_strdup(a, v[P_VISITOR_TOKEN]);
	r->sec_fetch_site = arena_strdup(a, v[P_SEC_FETCH_SITE]);
	r->if_none_match = arena_strdup(a, v[P_IF_NONE_MATCH]);
	const char *https = v[P_HTTPS];
	r->https = https != NULL && (strcmp(https, "on") == 0 || strcmp(https, "1") == 0);
	parse_cookies(a, v[P_COOKIE], &r->cookies);
	return parse_urlencoded(a, r->query_string, strlen(r->query_string), &r->query);
}

static bool is_widget_path(const char *path)
{
	return strncmp(path, "/api/v1/widget/", 15) == 0;
}

static kefu_err preflight(struct kefu_req *r)
{
	const struct route *rt;
	const char *allow;
	kefu_err e = router_match(r, &rt, &allow);
	if (e == KEFU_E_NOT_FOUND)
		return e;
	r->allow = allow ? allow : arena_printf(r->arena, "%s, OPTIONS", rt->method);
	if (r->origin != NULL && is_widget_path(r->path)) {
		/* The real request checks the channel's origins; a preflight cannot
		 * know the channel for every route, and answering it reveals nothing. */
		r->cors_origin = r->origin;
		resp_header(r, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
		resp_header(r, "Access-Control-Allow-Headers", "Content-Type, X-Visitor-Token");
		resp_header(r, "Access-Control-Max-Age", "600");
	}
	return resp_empty(r, 204);
}

/* True at most once a minute for each *said (the second it was last true), whichever thread asks: for warnings
 * that would otherwise fill the log at the rate of requests. */
static bool once_a_minute(atomic_llong *said)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long last = atomic_load(said);
	return now.tv_sec - last >= 60 && atomic_compare_exchange_strong(said, &last, (long long)now.tv_sec);
}

/*
 * A request the web server sent to the poll socket that is not a visitor's
 * waiting poll (or to the page views' socket that is not a page view): a
 * configuration error (deploy/README.md routes those alone there). Refused as
 * a route this socket does not have, and said in the log once a minute at
 * most, rather than run on the tailer's (or the page views' batcher's)
 * thread, which must not wait on a route's reads and writes.
 */
static kefu_err misrouted(struct kefu_req *r)
{
	static atomic_llong said;
	bool views = r->from_pageview_socket;
	if (once_a_minute(&said))
		log_warn("server",
		         "%s %s came on the %s socket, which serves %s only: check the web server's routing (%s in "
		         "kefu.conf(5))",
		         r->method, r->route->pattern, views ? "page views'" : "poll",
		         views ? "visitors' page views" : "waiting visitor polls",
		         views ? "pageview_listen" : "poll_listen");
	return req_fail(r, KEFU_E_NOT_FOUND, NULL,
	                views ? "This socket serves page views only."
	                      : "This socket serves waiting visitor polls only.");
}

static kefu_err dispatch(struct kefu_req *r)
{
	kefu_err e = server_parse(r);
	if (e != KEFU_OK)
		return e;
	if (strcmp(r->method, "OPTIONS") == 0)
		return preflight(r);
	const char *allow;
	e = router_match(r, &r->route, &allow);
	if (e == KEFU_E_METHOD)
		r->allow = allow;
	if (e != KEFU_OK)
		return e;
	if ((r->from_poll_socket && r->route->handler != api_visitor_events) ||
	    (r->from_pageview_socket && r->route->handler != api_visitor_pageview))
		return misrouted(r);
	e = auth_resolve(r);
	if (e != KEFU_OK || r->status != 0)
		return e; /* an error, or a page's redirect to /login */
	e = parse_body(r);
	if (e != KEFU_OK && r->route->auth == AUTH_VISITOR_TOKEN) {
		kefu_err who = auth_visitor(r); /* as on any widget route, a bad token answers before a bad body */
		return who != KEFU_OK ? who : e;
	}
	if (e != KEFU_OK)
		return e;
	if (r->caller.kind == CALLER_USER && (e = auth_check_csrf(r)) != KEFU_OK)
		return e;
	return r->route->handler(r);
}

static void add_security_headers(struct kefu_req *r)
{
	resp_header(r, "X-Content-Type-Options", "nosniff");
	resp_header(r, "Referrer-Policy", "same-origin");
	bool has_csp = false;
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, "Content-Security-Policy") == 0)
			has_csp = true;
	if (r->html_page && !has_csp) {
		resp_header(r, "X-Frame-Options", "DENY");
		resp_header(r, "Content-Security-Policy",
		            "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
		            "script-src 'self'; frame-src 'self'; connect-src 'self'; "
		            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	}
	if (r->html_page || (r->resp_type && strncmp(r->resp_type, "application/json", 16) == 0))
		resp_header(r, "Cache-Control", "no-store");
	if (r->allow != NULL)
		resp_header(r, "Allow", r->allow);
	if (r->cors_origin != NULL) {
		resp_header(r, "Access-Control-Allow-Origin", r->cors_origin);
		resp_header(r, "Vary", "Origin");
	}
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "OK";
	}
}

/* Text put together by hand, for what every request writes (the answer's
 * head, its access log line): a call, a length and a copy for each piece,
 * no printf parsing a format; what does not fit in cap is left out. */
struct textbuf {
	char *p;
	size_t n, cap;
};

static void tb_put(struct textbuf *b, const char *s, size_t len)
{
	if (len > b->cap - b->n)
		len = b->cap - b->n;
	memcpy(b->p + b->n, s, len);
	b->n += len;
}

#define TB_LIT(b, s) tb_put(b, s, sizeof s - 1)

static void tb_str(struct textbuf *b, const char *s)
{
	tb_put(b, s, strlen(s));
}

/* The decimal digits of v. */
static void tb_num(struct textbuf *b, unsigned long long v)
{
	char d[24];
	size_t n = sizeof d;
	do
		d[--n] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	tb_put(b, d + n, sizeof d - n);
}

void server_send(struct kefu_req *r)
{
	FCGX_Stream *out = r->fcgi->out;
	add_security_headers(r);
	/* The head is built in one buffer (cap is what it needs) and given to
	 * libfcgi at once, not piece by piece nor through FCGX_FPrintF. */
	const char *why = reason(r->status);
	size_t cap = 64 + strlen(why) + 24 + 2;
	for (size_t i = 0; i < r->nheaders; i++)
		cap += strlen(r->headers[i].name) + strlen(r->headers[i].value) + 4;
	if (r->resp_type != NULL)
		cap += 16 + strlen(r->resp_type);
	struct textbuf h = {.p = arena_alloc(r->arena, cap), .cap = cap};
	TB_LIT(&h, "Status: ");
	tb_num(&h, r->status > 0 ? (unsigned long long)r->status : 0);
	TB_LIT(&h, " ");
	tb_str(&h, why);
	TB_LIT(&h, "\r\n");
	for (size_t i = 0; i < r->nheaders; i++) {
		tb_str(&h, r->headers[i].name);
		TB_LIT(&h, ": ");
		tb_str(&h, r->headers[i].value);
		TB_LIT(&h, "\r\n");
	}
	if (r->resp_type != NULL) {
		TB_LIT(&h, "Content-Type: ");
		tb_str(&h, r->resp_type);
		TB_LIT(&h, "\r\n");
	}
	if (r->status != 204 && r->status != 304) {
		TB_LIT(&h, "Content-Length: ");
		tb_num(&h, r->resp_len);
		TB_LIT(&h, "\r\n");
	}
	TB_LIT(&h, "\r\n");
	FCGX_PutStr(h.p, (int)h.n, out);
	if (r->resp_len > 0 && strcmp(r->method ? r->method : "", "HEAD") != 0)
		FCGX_PutStr(r->resp_body, (int)r->resp_len, out);
}

/* "POST /api/v1/... /api/v1/widget/conversations/{id}/messages 201 3.2ms
 * tenant=7" (the time rounded to a tenth, half up). */
static void log_access(const struct kefu_req *r, double ms)
{
	char text[2048];
	struct textbuf b = {.p = text, .cap = sizeof text};
	tb_str(&b, r->method ? r->method : "-");
	TB_LIT(&b, " ");
	tb_str(&b, r->path ? r->path : "-");
	TB_LIT(&b, " ");
	tb_str(&b, r->route ? r->route->pattern : "-");
	TB_LIT(&b, " ");
	tb_num(&b, r->status > 0 ? (unsigned long long)r->status : 0);
	TB_LIT(&b, " ");
	unsigned long long tenths = ms > 0 ? (unsigned long long)(ms * 10 + 0.5) : 0;
	tb_num(&b, tenths / 10);
	TB_LIT(&b, ".");
	tb_num(&b, tenths % 10);
	TB_LIT(&b, "ms tenant=");
	long long t = (long long)r->caller.tenant_id;
	if (t < 0)
		TB_LIT(&b, "-");
	tb_num(&b, t < 0 ? 0ULL - (unsigned long long)t : (unsigned long long)t);
	log_text(LOG_INFO, "access", text, b.n);
}

static double elapsed_ms(const struct timespec *from)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - from->tv_sec) * 1e3 + (double)(now.tv_nsec - from->tv_nsec) / 1e6;
}

static void handle(struct kefu_req *r)
{
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	metrics_inflight(1);
	kefu_err e = dispatch(r);
	metrics_inflight(-1);
	server_complete(r, e);
}

void server_complete(struct kefu_req *r, kefu_err e)
{
	if (e == KEFU_E_INTERNAL)
		log_error("http", "%s %s: internal error", r->method ? r->method : "-", r->path ? r->path : "-");
	if (e != KEFU_OK)
		resp_error(r, e);
	if (e == KEFU_E_UNAVAILABLE || e == KEFU_E_RETRY)
		metrics_db_error();
	if (r->fcgi == NULL)
		return; /* parked: the long-poll completer answers later */
	if (r->lang == NULL)
		r->lang = "en";
	server_send(r);
	double ms = elapsed_ms(&r->started);
	metrics_request(r->route, r->status, ms);
	log_access(r, ms);
}

void server_finish(FCGX_Request *fcgi)
{
	/* libfcgi closes by half-closing the socket and then waiting (up to two
	 * seconds) for the web server to hang up, so that unread input cannot
	 * turn the close into a reset: a blocked wait and a wake-up per request,
	 * on the request's thread or on the tailer for each poll it answers.
	 * Once stdin has been read to its end the web server has nothing more to
	 * send, and a plain close (libfcgi's for a "detached" request) is as
	 * clean. What is left of stdin is read first, up to a bound; a body left
	 * unread beyond it (one refused as too large) gets libfcgi's close. */
	char rest[4096];
	for (int i = 0; i < 16 && FCGX_GetStr(rest, (int)sizeof rest, fcgi->in) > 0; i++)
		;
	if (FCGX_HasSeenEOF(fcgi->in) == EOF && FCGX_GetError(fcgi->in) == 0)
		FCGX_Detach(fcgi);
	FCGX_Finish_r(fcgi);
}

struct worker {
	pthread_t thread;
	struct kefu_app *app;
};

/*
 * accept() failed (libfcgi gives -errno). Out of descriptors (every parked
 * long-poll holds one), trying again at once would spin a core while the
 * connections wait in the socket's queue; a short pause lets parked polls
 * end and free theirs. Said once a minute at most.
 */
static void accept_failed(int err)
{
	static atomic_llong said;
	if (once_a_minute(&said))
		log_warn("server", "accept failed: %s", strerror(err));
	if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM)
		nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
}

/* Handle the accepted request fcgi and finish it, unless a parked long-poll
 * took it over: true then (the caller must not reuse or free fcgi). */
static bool serve_request(FCGX_Request *fcgi, const struct kefu_app *app, struct kefu_db *db, kefu_arena *arena,
                          const struct conn_intake *from)
{
	struct kefu_req r = {.arena = arena,
	                     .fcgi = fcgi,
	                     .app = app,
	                     .db = db,
	                     .from_poll_socket = from != NULL && !from->pageviews,
	                     .from_pageview_socket = from != NULL && from->pageviews};
	handle(&r);
	bool parked = r.fcgi == NULL;
	if (!parked)
		server_finish(fcgi);
	arena_reset(arena);
	return parked;
}

static void *serve(void *arg)
{
	/* Named, so that /proc/PID/task/TID/comm tells a request thread from the
	 * tailer (tests/integration/visitor-poll-socket.test.mjs counts their
	 * wake-ups) and profiles can say whose time is whose. */
	pthread_setname_np(pthread_self(), "kefu-request");
	json_thread_init();
	struct worker *w = arg;
	struct kefu_db *db = db_new(&w->app->conf);
	kefu_arena *arena = arena_new();
	FCGX_Request *fcgi = calloc(1, sizeof *fcgi);
	if (fcgi == NULL)
		abort();
	FCGX_InitRequest(fcgi, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	for (;;) {
		/* No lock around accept: Linux wakes one blocked accept() per
		 * connection, and a lock would cost a second wake-up for each (the
		 * next thread in line taking it over). */
		int rc = atomic_load(&stopping) ? -1 : FCGX_Accept_r(fcgi);
		if (rc < 0) {
			if (atomic_load(&stopping))
				break;
			accept_failed(-rc);
			continue;
		}
		if (serve_request(fcgi, w->app, db, arena, NULL)) {
			/* A parked long-poll owns the old request now; take a new one. */
			fcgi = calloc(1, sizeof *fcgi);
			if (fcgi == NULL)
				abort();
			FCGX_InitRequest(fcgi, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
		}
	}
	FCGX_Free(fcgi, 1);
	free(fcgi);
	arena_free(arena);
	db_free(db);
	return NULL;
}

/* Serve the request that has come on connection c (accepted from the
 * intake's socket) on the caller's thread. */
static void serve_taken(const struct conn_intake *in, int c, const struct kefu_app *app, struct kefu_db *db,
                        kefu_arena *arena)
{
	/* Its request has begun to arrive (the web server writes it whole, as
	 * it connects); a peer that stops halfway holds the thread this long at
	 * most. */
	struct timeval tv = {.tv_sec = 1};
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	FCGX_Request *fcgi = calloc(1, sizeof *fcgi);
	if (fcgi == NULL)
		abort();
	/* No listening socket of libfcgi's own: a connection it cannot read is
	 * closed and the call fails, rather than accepting another. Kept "open"
	 * so that FCGX_Accept_r reads the connection given rather than closing
	 * it first; the request's BEGIN record then says whether the web server
	 * keeps it. */
	FCGX_InitRequest(fcgi, -1, 0);
	fcgi->ipcFd = c;
	fcgi->keepConnection = 1;
	if (FCGX_Accept_r(fcgi) < 0) {
		free(fcgi);
		return;
	}
	if (!serve_request(fcgi, app, db, arena, in))
		free(fcgi);
}

#define INTAKE_SILENT_MS 10000 /* a connection that has sent nothing for this long is closed */

int server_serve_waiting(struct conn_intake *in, const struct kefu_app *app, struct kefu_db *db, kefu_arena *arena,
                         int max)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	long long now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	int taken = 0;
	while (taken < max) {
		int c = accept4(in->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				accept_failed(errno);
			break;
		}
		taken++;
		if (in->n == in->cap) {
			size_t cap = in->cap;
			in->waiting = xgrow(in->waiting, &cap, in->n, sizeof *in->waiting, 64);
			in->since_ms = xgrow(in->since_ms, &in->cap, in->n, sizeof *in->since_ms, 64);
		}
		in->waiting[in->n] = (struct pollfd){.fd = c, .events = POLLIN};
		in->since_ms[in->n++] = now;
	}
	/* Only a connection whose request has begun to arrive is read: the web
	 * server connects, then writes, and the caller's thread must not wait
	 * in between (lighttpd, busy, may be a while). The others wait here
	 * for the next call. */
	if (in->n == 0 || poll(in->waiting, in->n, 0) <= 0)
		return taken;
	size_t kept = 0;
	for (size_t i = 0; i < in->n; i++) {
		struct pollfd p = in->waiting[i];
		if (p.revents != 0)
			serve_taken(in, p.fd, app, db, arena);
		else if (now - in->since_ms[i] >= INTAKE_SILENT_MS)
			close(p.fd);
		else {
			in->waiting[kept] = (struct pollfd){.fd = p.fd, .events = POLLIN};
			in->since_ms[kept++] = in->since_ms[i];
		}
	}
	in->n = kept;
	return taken;
}

void server_intake_free(struct conn_intake *in)
{
	for (size_t i = 0; i < in->n; i++)
		close(in->waiting[i].fd);
	free(in->waiting);
	free(in->since_ms);
	*in = (struct conn_intake){.listen_fd = -1};
}

/*
 * The socket's queue holds the connections no thread has accepted yet. A
 * wave of long-polls ending together (each answered poll is asked again at
 * once, on a new connection) or a worker stalled for a moment fills a short
 * one, and lighttpd 1.4 then cannot connect: it takes the EAGAIN of a full
 * unix socket queue for a connection in progress, its write fails with
 * ENOTCONN, it logs "connection was dropped after accept()" and answers 500
 * (deploy/README.md). The kernel caps backlog at net.core.somaxconn.
 */
static int open_socket(const char *path, int backlog)
{
	if (path == NULL || path[0] == '\0') {
		/* spawned: the socket is our stdin; listen() again only raises its queue */
		if (backlog > 0)
			listen(0, backlog);
		return 0;
	}
	if (path[0] == '/')
		unlink(path);
	mode_t old = umask(0);
	int fd = FCGX_OpenSocket(path, backlog > 0 ? backlog : 1024);
	umask(old);
	return fd;
}

/* A socket of one kind of request's own (path), non-blocking, taken from by a thread at its ticks. */
static int side_socket(const struct kefu_app *app, const char *path, const char *what)
{
	if (path[0] == '\0')
		return -1;
	int fd = FCGX_Init() == 0 ? open_socket(path, app->conf.listen_backlog) : -1;
	if (fd < 0 || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) {
		log_error("server", "cannot listen on %s", path);
		return -2;
	}
	log_info("server", "%s on %s", what, path);
	return fd;
}

int server_poll_socket(const struct kefu_app *app)
{
	return side_socket(app, app->conf.poll_listen, "visitor polls");
}

int server_pageview_socket(const struct kefu_app *app)
{
	return side_socket(app, app->conf.pageview_listen, "page views");
}

/* Every parked long-poll holds a descriptor: take all the hard limit allows, and say when it is below what
 * poll_max_parked needs. */
static void raise_fd_limit(const struct kefu_conf *c)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	rlim_t need = (rlim_t)c->poll_max_parked + (rlim_t)c->threads * 4 + 256;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
		log_warn("server",
		         "%llu descriptors allowed, %llu wanted for poll_max_parked = %d: raise the hard limit "
		         "(LimitNOFILE=, ulimit -Hn) or lower poll_max_parked",
		         (unsigned long long)rl.rlim_cur, (unsigned long long)need, c->poll_max_parked);
}

static sigset_t stop_signals;

void server_block_signals(void)
{
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int server_run(struct kefu_app *app)
{
	if (FCGX_Init() != 0) {
		log_error("server", "FCGX_Init failed");
		return -1;
	}
	raise_fd_limit(&app->conf);
	listen_fd = open_socket(app->conf.listen, app->conf.listen_backlog);
	if (listen_fd < 0) {
		log_error("server", "cannot listen on %s", app->conf.listen);
		return -1;
	}
	/* Signals go to this thread alone (sigwait below): main blocked them
	 * before any thread started, so no thread can take one by default. */
	server_block_signals();
	sigset_t set = stop_signals;

	int n = app->conf.threads > 0 ? app->conf.threads : 1;
	struct worker *workers = calloc((size_t)n, sizeof *workers);
	if (workers == NULL)
		abort();
	for (int i = 0; i < n; i++) {
		workers[i].app = app;
		if (pthread_create(&workers[i].thread, NULL, serve, &workers[i]) != 0) {
			log_error("server", "cannot start thread %d", i);
			abort();
		}
	}
	log_info("server", "serving on %s with %d threads", app->conf.listen[0] ? app->conf.listen : "fd 0", n);
	int sig = 0;
	do
		sigwait(&set, &sig);
	while (sig == SIGHUP);
	log_info("server", "signal %d: finishing in-flight requests", sig);
	atomic_store(&stopping, true);
	FCGX_ShutdownPending();
	/* Wakes every thread blocked in accept(); in-flight requests carry on. */
	shutdown(listen_fd, SHUT_RDWR);
	for (int i = 0; i < n; i++)
		pthread_join(workers[i].thread, NULL);
	free(workers);
	if (app->conf.listen[0] == '/')
		unlink(app->conf.listen);
	/* The poll socket stays open: the tailer takes what is queued there
	 * until longpoll_stop, which answers every poll. */
	if (app->conf.poll_listen[0] == '/')
		unlink(app->conf.poll_listen);
	if (app->conf.pageview_listen[0] == '/') /* its batcher takes what is queued there until batchers_close */
		unlink(app->conf.pageview_listen);
	log_info("server", "stopped");
	return 0;
}
