/* kefu-webhookd: the webhook sender: claims due outbox rows, POSTs them signed, retries with backoff, records every
 * attempt. */
/*
 * Why a separate process: a request that changes something only writes an
 * outbox row in its own transaction (domain/webhooks.h); delivering it can
 * take seconds (a slow or dead CRM), which must never hold a FastCGI thread.
 * Any number of senders may run (one per host is plenty): rows are claimed
 * with SELECT ... FOR UPDATE SKIP LOCKED and leased, so no two send the same
 * row at once and none waits on another. Delivery is at least once; the
 * X-Kefu-Delivery id is the receiver's key to drop a repeat (possible only
 * when a sender dies between the receiver's answer and recording it).
 *
 * Why no libcurl: the stack is fixed (libfcgi, MariaDB Connector/C, libxml2,
 * json-c, OpenSSL); one POST with a timeout is a few dozen lines over a
 * socket, and OpenSSL already gives us TLS for https:// URLs (with
 * certificate and host name verification against the system's CAs).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <mysql.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/egress.h"
#include "domain/webhooks.h"
#include "store/db.h"
#include "store/store-webhooks.h"

struct opts {
	int64_t base_ms, cap_ms;
	int max_attempts;
	int poll_ms;
	int connect_ms, timeout_ms;
	int batch;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What one POST came to: an HTTP status (0: none) or an error text;
 * refused: the address rule said no and nothing was connected. */
struct post_result {
	int status;
	bool refused;
	char error[200];
};

static SSL_CTX *tls_ctx;
/* conf.webhook_allow_hosts, parsed once at start-up. */
static struct egress_allow *allow;

/*
 * May the sender open a connection to sa for u? The same rule the worker
 * applied when the URL was saved (core/egress.h), asked again at every
 * connect because a name may change its answer. Takes the resolved address
 * so that an HTTP library can ask it from its socket-open hook (libcurl:
 * CURLOPT_OPENSOCKETFUNCTION, with the name pinned to the checked addresses
 * by CURLOPT_RESOLVE and CURLOPT_FOLLOWLOCATION left off).
 */
static bool may_connect(const struct webhook_url *u, const struct sockaddr *sa)
{
	return egress_allowed(allow, u->host, sa);
}

/* A connected socket to host:port within timeout_ms, or -1 with res->error. */
static int connect_to(const struct webhook_url *u, int timeout_ms, struct post_result *res)
{
	struct addrinfo *ai, *p;
	/* Resolved once, every address checked, and then only those addresses
	 * are connected to: no second lookup a rebinding name could answer
	 * differently. */
	enum egress_result rc = egress_resolve(allow, u->host, u->port, &ai, res->error, sizeof res->error);
	if (rc != EGRESS_OK) {
		res->refused = rc == EGRESS_REFUSED;
		return -1;
	}
	int fd = -1;
	int64_t deadline = now_ms() + timeout_ms;
	snprintf(res->error, sizeof res->error, "connect: no address");
	for (p = ai; p != NULL && fd < 0; p = p->ai_next) {
		if (!may_connect(u, p->ai_addr)) {
			res->refused = true;
			snprintf(res->error, sizeof res->error, "address not allowed");
			break;
		}
		fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, p->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, p->ai_addr, p->ai_addrlen) != 0 && errno != EINPROGRESS) {
			snprintf(res->error, sizeof res->error, "connect: %s", strerror(errno));
			close(fd);
			fd = -1;
			continue;
		}
		struct pollfd pfd = {.fd = fd, .events = POLLOUT};
		int left = (int)(deadline - now_ms());
		int soerr = 0;
		socklen_t len = sizeof soerr;
		if (left <= 0 || poll(&pfd, 1, left) != 1) {
			snprintf(res->error, sizeof res->error, "connect: timed out after %d ms", timeout_ms);
		} else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr != 0) {
			snprintf(res->error, sizeof res->error, "connect: %s", strerror(soerr ? soerr : errno));
		} else {
			break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd >= 0) {
		int flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
		res->error[0] = '\0';
	}
	return fd;
}

/* Bound every blocking read and write (plain or under TLS) by ms. */
static void set_io_timeout(int fd, int ms)
{
	if (ms < 1)
		ms = 1;
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

struct conn {
	int fd;
	SSL *ssl;
};

static int conn_write(struct conn *c, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w;
		if (c->ssl) {
			int k = SSL_write(c->ssl, p, n > 65536 ? 65536 : (int)n);
			w = k > 0 ? k : -1;
		} else {
			w = send(c->fd, p, n, MSG_NOSIGNAL);
		}
		if (w < 0 && errno == EINTR && !c->ssl)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static ssize_t conn_read(struct conn *c, char *p, size_t n)
{
	if (c->ssl) {
		int k = SSL_read(c->ssl, p, (int)n);
		return k > 0 ? k : (SSL_get_error(c->ssl, k) == SSL_ERROR_ZERO_RETURN ? 0 : -1);
	}
	ssize_t k;
	do
		k = recv(c->fd, p, n, 0);
	while (k < 0 && errno == EINTR);
	return k;
}

/* One HTTP/1.1 POST; only the status line of the answer matters. A
 * redirect is an answer like any other non-2xx one: its Location is never
 * requested (it could point anywhere, the address rule included). */
static void http_post(kefu_arena *a, const struct webhook_url *u, const char *headers, const char *body, size_t n,
                      const struct opts *o, struct post_result *res)
{
	res->status = 0;
	res->refused = false;
	res->error[0] = '\0';
	struct conn c = {.fd = connect_to(u, o->connect_ms, res)};
	if (c.fd < 0)
		return;
	int64_t deadline = now_ms() + o->timeout_ms;
	set_io_timeout(c.fd, o->timeout_ms);
	if (u->tls) {
		c.ssl = tls_ctx ? SSL_new(tls_ctx) : NULL;
		if (c.ssl == NULL || SSL_set_fd(c.ssl, c.fd) != 1 || SSL_set_tlsext_host_name(c.ssl, u->host) != 1 ||
		    SSL_set1_host(c.ssl, u->host) != 1 || SSL_connect(c.ssl) != 1) {
			unsigned long err = ERR_get_error();
			snprintf(res->error, sizeof res->error, "tls: %s",
			         err ? ERR_reason_error_string(err) ? ERR_reason_error_string(err) : "handshake failed"
			             : "handshake failed");
			ERR_clear_error();
			goto out;
		}
	}
	bool default_port = strcmp(u->port, u->tls ? "443" : "80") == 0;
	bool v6 = strchr(u->host, ':') != NULL;
	const char *host = arena_printf(a, "%s%s%s%s%s", v6 ? "[" : "", u->host, v6 ? "]" : "", default_port ? "" : ":",
	                                default_port ? "" : u->port);
	const char *head = arena_printf(a,
	                                "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: kefu-webhookd/1\r\n"
	                                "Content-Type: application/json; charset=utf-8\r\nContent-Length: %zu\r\n"
	                                "%sConnection: close\r\n\r\n",
	                                u->path, host, n, headers);
	if (conn_write(&c, head, strlen(head)) != 0 || conn_write(&c, body, n) != 0) {
		snprintf(res->error, sizeof res->error, "send: %s", errno ? strerror(errno) : "failed");
		goto out;
	}
	char buf[4096];
	size_t have = 0;
	while (have < sizeof buf - 1) {
		int left = (int)(deadline - now_ms());
		if (left <= 0) {
			snprintf(res->error, sizeof res->error, "read: timed out after %d ms", o->timeout_ms);
			goto out;
		}
		set_io_timeout(c.fd, left);
		ssize_t k = conn_read(&c, buf + have, sizeof buf - 1 - have);
		if (k < 0) {
			snprintf(res->error, sizeof res->error, "read: %s",
			         errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		have += (size_t)k;
		buf[have] = '\0';
		if (strstr(buf, "\r\n"))
			break;
	}
	buf[have] = '\0';
	int code = 0;
	if (sscanf(buf, "HTTP/1.%*1[01] %3d", &code) == 1 && code >= 100 && code <= 599)
		res->status = code;
	else
		snprintf(res->error, sizeof res->error, "no HTTP status line in the answer");
out:
	if (c.ssl) {
		SSL_shutdown(c.ssl);
		SSL_free(c.ssl);
	}
	close(c.fd);
}

/* Send one claimed row and record the attempt. */
static void deliver(struct kefu_db *db, kefu_arena *a, const struct webhook_delivery *d, const struct opts *o)
{
	int attempt = (int)d->attempts + 1;
	const char *url, *secret;
	kefu_err e = db_webhook_target(db, a, d->tenant_id, d->webhook_id, &url, &secret);
	if (e == KEFU_E_NOT_FOUND) {
		db_webhook_record(db, d->tenant_id, d->id, attempt, 0, "webhook deleted", 0, 'f', 0);
		return;
	}
	if (e != KEFU_OK)
		return; /* the lease runs out and the row comes back */
	struct webhook_url u;
	struct post_result res = {0};
	int64_t t0 = now_ms();
	size_t n = strlen(d->body);
	char sig[72];
	if (webhook_parse_url(a, url, &u) != 0) {
		snprintf(res.error, sizeof res.error, "bad URL");
	} else if (webhook_sign(secret, d->body, n, sig) != 0) {
		snprintf(res.error, sizeof res.error, "signing failed");
	} else {
		const char *headers = arena_printf(a,
		                                   "X-Kefu-Event: %s\r\nX-Kefu-Delivery: %lld\r\nX-Kefu-Attempt: %d\r\n"
		                                   "X-Kefu-Signature: %s\r\n",
		                                   d->event, (long long)d->id, attempt, sig);
		http_post(a, &u, headers, d->body, n, o, &res);
	}
	int ms = (int)(now_ms() - t0);
	char outcome = 'r';
	int64_t retry = 0;
	if (res.status >= 200 && res.status < 300)
		outcome = 'd';
	else if (attempt >= o->max_attempts || res.refused)
		outcome = 'f'; /* a refused address: failed at once, as docs/openapi.json says */
	else
		retry = webhook_backoff_ms(attempt, o->base_ms, o->cap_ms);
	const char *err = res.error[0] ? res.error : res.status ? arena_printf(a, "HTTP %d", res.status) : NULL;
	if (outcome == 'd')
		err = NULL;
	log_info("webhookd", "delivery %lld (%s) attempt %d: %s%s", (long long)d->id, d->event, attempt,
	         outcome == 'd'   ? "delivered"
	         : outcome == 'f' ? "failed for good: "
	                          : "will retry: ",
	         err ? err : "");
	/* Recording can fail only with the database gone; the lease then
	 * expires and the row is sent again (at least once). */
	e = db_webhook_record(db, d->tenant_id, d->id, attempt, res.status, err, ms, outcome, retry);
	if (e != KEFU_OK)
		log_warn("webhookd", "could not record delivery %lld: %s", (long long)d->id, kefu_err_code(e));
}

static void sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL); /* a signal cuts it short, which is what stopping wants */
}

static void usage(void)
{
	fputs("usage: kefu-webhookd [-c CONFIG] [--base-ms N] [--cap-ms N] [--max-attempts N] [--poll-ms N]\n"
	      "                     [--connect-timeout-ms N] [--timeout-ms N]\n"
	      "Sends queued webhook deliveries (see kefu.conf for the database). Defaults: --base-ms 5000\n"
	      "(first retry after 2.5-5 s, doubling), --cap-ms 3600000, --max-attempts 15, --poll-ms 1000,\n"
	      "--connect-timeout-ms 5000, --timeout-ms 10000.\n",
	      stderr);
}

int main(int argc, char **argv)
{
	struct opts o = {.base_ms = 5000,
	                 .cap_ms = 3600000,
	                 .max_attempts = 15,
	                 .poll_ms = 1000,
	                 .connect_ms = 5000,
	                 .timeout_ms = 10000,
	                 .batch = 20};
	static const struct option longs[] = {
	    {"base-ms", required_argument, NULL, 'b'},
	    {"cap-ms", required_argument, NULL, 'C'},
	    {"max-attempts", required_argument, NULL, 'm'},
	    {"poll-ms", required_argument, NULL, 'p'},
	    {"connect-timeout-ms", required_argument, NULL, 'k'},
	    {"timeout-ms", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *config = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "c:h", longs, NULL)) != -1) {
		long v = optarg ? atol(optarg) : 0;
		switch (opt) {
		case 'c': config = optarg; break;
		case 'b': o.base_ms = v; break;
		case 'C': o.cap_ms = v; break;
		case 'm': o.max_attempts = (int)v; break;
		case 'p': o.poll_ms = (int)v; break;
		case 'k': o.connect_ms = (int)v; break;
		case 't': o.timeout_ms = (int)v; break;
		default: usage(); return opt == 'h' ? 0 : 2;
		}
	}
	if (o.base_ms < 10 || o.cap_ms < o.base_ms || o.max_attempts < 1 || o.poll_ms < 10 || o.connect_ms < 10 ||
	    o.timeout_ms < 10) {
		usage();
		return 2;
	}
	struct kefu_conf conf;
	char err[512];
	if (conf_load(&conf, config, err, sizeof err) != 0) {
		fprintf(stderr, "kefu-webhookd: config: %s\n", err);
		return 1;
	}
	if (strcmp(conf.log_level, "debug") == 0)
		log_set_level(LOG_DEBUG);
	else if (strcmp(conf.log_level, "warn") == 0)
		log_set_level(LOG_WARN);
	if (mysql_library_init(0, NULL, NULL) != 0) {
		fputs("kefu-webhookd: cannot initialise the MariaDB client library\n", stderr);
		return 1;
	}
	allow = egress_allow_parse(conf.webhook_allow_hosts, err, sizeof err);
	if (allow == NULL) {
		fprintf(stderr, "kefu-webhookd: config: %s\n", err);
		return 1;
	}
	tls_ctx = SSL_CTX_new(TLS_client_method());
	if (tls_ctx) {
		SSL_CTX_set_min_proto_version(tls_ctx, TLS1_2_VERSION);
		SSL_CTX_set_default_verify_paths(tls_ctx);
		SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_PEER, NULL);
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct kefu_db *db = db_new(&conf);
	kefu_arena *a = arena_new();
	log_info("webhookd", "started (base %lld ms, cap %lld ms, %d attempts)", (long long)o.base_ms,
	         (long long)o.cap_ms, o.max_attempts);
	/* A lease comfortably longer than one whole POST, so a slow receiver
	 * is never sent the same row by a second sender mid-request. */
	int lease_s = (o.connect_ms + o.timeout_ms) / 1000 * 2 + 30;
	while (!stopping) {
		arena_reset(a);
		struct webhook_delivery *rows;
		size_t n = 0;
		kefu_err e = db_webhook_claim(db, a, o.batch, lease_s, &rows, &n);
		if (e != KEFU_OK) {
			log_warn("webhookd", "claim failed: %s", kefu_err_code(e));
			sleep_ms(o.poll_ms * 5);
			continue;
		}
		for (size_t i = 0; i < n && !stopping; i++)
			deliver(db, a, &rows[i], &o);
		if (n == 0)
			sleep_ms(o.poll_ms);
	}
	log_info("webhookd", "stopping");
	arena_free(a);
	db_free(db);
	if (tls_ctx)
		SSL_CTX_free(tls_ctx);
	egress_allow_free(allow);
	conf_free(&conf);
	mysql_library_end();
	return 0;
}
