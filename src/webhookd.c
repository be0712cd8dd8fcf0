/* kefu-webhookd: the outbound sender: claims due outbox rows, POSTs webhooks signed and sends mail, retries with
 * backoff, records every attempt. */
/*
 * Why a separate process: a request that changes something only writes an
 * outbox row in its own transaction (domain/webhooks.h, domain/mail.h);
 * delivering it can take seconds (a slow or dead CRM or mail server), which
 * must never hold a FastCGI thread. Any number of senders may run (one per
 * host is plenty): rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED
 * and leased, so no two send the same row at once and none waits on
 * another. Delivery is at least once; the X-Kefu-Delivery id is the
 * receiver's key to drop a repeat (possible only when a sender dies between
 * the receiver's answer and recording it).
 *
 * Why libcurl: it is the HTTP and SMTP client every distribution ships
 * (Debian's libcurl4-openssl-dev, so TLS stays OpenSSL's), with timeouts for
 * every phase including name resolution, certificate and host name
 * verification, IPv6 with fallback between addresses, proxies, connection
 * reuse, and a socket-open callback where the address rule of
 * core/egress.h is applied to each address it connects to.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <mysql.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/conf.h"
#include "core/egress.h"
#include "core/log.h"
#include "domain/webhooks.h"
#include "store/db.h"
#include "store/store-webhooks.h"
#include "webhookd-mail.h"

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
	char error[CURL_ERROR_SIZE];
};

/* conf.webhook_allow_hosts, parsed once at start-up. */
static struct egress_allow *allow;
/* conf.webhook_proxy ("" = none). */
static const char *proxy;
/* One handle for every POST: libcurl keeps its connections (and TLS
 * sessions) alive between deliveries to the same receiver. */
static CURL *http;

/* What the socket callback needs to know about the transfer at hand. */
struct post_ctx {
	const char *host; /* the URL's host, IPv6 without brackets */
	bool refused;     /* an address was refused: nothing was connected to it */
	size_t body;      /* bytes of the answer's body read so far */
};

/*
 * libcurl's CURLOPT_OPENSOCKETFUNCTION: the address rule (core/egress.h) at
 * the moment of connecting, for the very address libcurl is about to
 * connect to (after its own resolution, so a name that changes its answer
 * between save and send cannot slip a private address in). A refused
 * address gets no socket; libcurl then tries the name's next address, if
 * any, and the transfer fails with CURLE_COULDNT_CONNECT when none is left.
 * Through a proxy every connection of the transfer goes to the proxy (no
 * no_proxy list is honoured), which the operator chose; the target was
 * checked before (target_allowed).
 */
static curl_socket_t open_socket(void *p, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct post_ctx *c = p;
	if (purpose != CURLSOCKTYPE_IPCXN)
		return CURL_SOCKET_BAD;
	if (proxy[0] == '\0' && !egress_allowed(allow, c->host, &a->addr)) {
		c->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* The answer's body is not used; read a little of it so a small one keeps
 * the connection reusable, and stop a receiver that streams on. */
static size_t discard_body(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	struct post_ctx *c = ud;
	c->body += size * n;
	return c->body > 65536 ? 0 : size * n;
}

/*
 * Through a proxy the proxy resolves the URL's host and connects, so the
 * rule is applied here, to the host as it resolves from this machine, before
 * anything is sent (the whole-host rule the worker applies when a URL is
 * saved: one address not allowed refuses the host). A name that answers the
 * proxy differently is the proxy's to refuse (deploy/README.md).
 */
static bool target_allowed(const struct webhook_url *u, struct post_result *res)
{
	if (proxy[0] == '\0')
		return true; /* open_socket checks every address connected to */
	enum egress_result rc = egress_resolve(allow, u->host, u->port, NULL, res->error, sizeof res->error);
	res->refused = rc == EGRESS_REFUSED;
	return rc == EGRESS_OK;
}

/* err (libcurl's message for rc, or empty) prefixed with what failed:
 * "connect: ", "tls: ", "timeout: " or "resolve: ", as the delivery log
 * shows it. */
static void failure_text(CURLcode rc, char *err, size_t errlen)
{
	const char *what;
	switch (rc) {
	case CURLE_COULDNT_CONNECT: what = "connect"; break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY: what = "resolve"; break;
	case CURLE_OPERATION_TIMEDOUT: what = "timeout"; break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED: what = "tls"; break;
	case CURLE_OK: what = "answer"; break;
	default: what = "transfer"; break;
	}
	char msg[CURL_ERROR_SIZE];
	snprintf(msg, sizeof msg, "%s", err[0] ? err : rc == CURLE_OK ? "no status" : curl_easy_strerror(rc));
	snprintf(err, errlen, "%s: %.220s", what, msg);
}

/* One POST; only the answer's status matters. A redirect is an answer like
 * any other non-2xx one: its Location is never requested (it could point
 * anywhere, the address rule included). */
static void http_post(const char *url, const struct webhook_url *u, struct curl_slist *headers, const char *body,
                      size_t n, const struct webhookd_opts *o, struct post_result *res)
{
	res->status = 0;
	res->refused = false;
	res->error[0] = '\0';
	if (!target_allowed(u, res))
		return;
	struct post_ctx c = {.host = u->host};
	CURL *h = http;
	curl_easy_reset(h); /* keeps the connection and DNS caches */
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)o->connect_ms + o->timeout_ms);
	/* Certificate and host name checked against the system's CAs (libcurl's
	 * defaults, stated so no one mistakes them for an oversight). */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	/* "" turns the environment's proxy variables off: only webhook_proxy
	 * routes webhooks through a proxy, and then every one of them. */
	curl_easy_setopt(h, CURLOPT_PROXY, proxy);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "");
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &c);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "kefu-webhookd/1");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, res->error);
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	if (code >= 100 && code <= 599 && (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && c.body > 65536))) {
		res->status = (int)code;
		res->error[0] = '\0';
	} else if (rc == CURLE_COULDNT_CONNECT && c.refused) {
		res->refused = true;
		snprintf(res->error, sizeof res->error, "address not allowed");
	} else {
		failure_text(rc, res->error, sizeof res->error);
	}
}

/* Send one claimed row and record the attempt. */
static void deliver(struct kefu_db *db, kefu_arena *a, const struct webhook_delivery *d, const struct webhookd_opts *o)
{
	int attempt = (int)d->attempts + 1;
	const char *url, *secret;
	kefu_err e = db_webhook_target(db, a, d->tenant_id, d->webhook_id, &url, &secret);
	if (e == KEFU_E_NOT_FOUND) {
		db_webhook_record(
		    db, d->tenant_id, d->id,
		    &(struct webhook_outcome){.attempt = attempt, .error = "webhook deleted", .outcome = 'f'});
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
		/* "Expect:" off: libcurl would otherwise wait for a 100 Continue
		 * before sending a body over 1 KiB. */
		const char *lines[] = {
		    "Content-Type: application/json; charset=utf-8",
		    "Expect:",
		    arena_printf(a, "X-Kefu-Event: %s", d->event),
		    arena_printf(a, "X-Kefu-Delivery: %lld", (long long)d->id),
		    arena_printf(a, "X-Kefu-Attempt: %d", attempt),
		    arena_printf(a, "X-Kefu-Signature: %s", sig),
		};
		struct curl_slist *headers = NULL;
		for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
			struct curl_slist *more = curl_slist_append(headers, lines[i]);
			if (more == NULL)
				abort();
			headers = more;
		}
		http_post(url, &u, headers, d->body, n, o, &res);
		curl_slist_free_all(headers);
	}
	struct webhook_outcome r = {.attempt = attempt, .status_code = res.status, .duration_ms = (int)(now_ms() - t0)};
	if (res.status >= 200 && res.status < 300) {
		r.outcome = 'd';
	} else if (attempt >= o->max_attempts || res.refused) {
		r.outcome = 'f'; /* a refused address: failed at once, as docs/openapi.json says */
	} else {
		r.outcome = 'r';
		r.retry_ms = webhook_backoff_ms(attempt, o->base_ms, o->cap_ms);
	}
	if (r.outcome != 'd')
		r.error = res.error[0] ? res.error : res.status ? arena_printf(a, "HTTP %d", res.status) : NULL;
	log_info("webhookd", "delivery %lld (%s) attempt %d: %s%s", (long long)d->id, d->event, attempt,
	         r.outcome == 'd'   ? "delivered"
	         : r.outcome == 'f' ? "failed for good: "
	                            : "will retry: ",
	         r.error ? r.error : "");
	/* Recording can fail only with the database gone; the lease then
	 * expires and the row is sent again (at least once). */
	e = db_webhook_record(db, d->tenant_id, d->id, &r);
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
	      "Sends queued webhook deliveries and mails (see kefu.conf for the database, webhook_proxy and\n"
	      "smtp_url). Defaults: --base-ms 5000\n"
	      "(first retry after 2.5-5 s, doubling), --cap-ms 3600000, --max-attempts 15, --poll-ms 1000,\n"
	      "--connect-timeout-ms 5000, --timeout-ms 10000.\n",
	      stderr);
}

int main(int argc, char **argv)
{
	struct webhookd_opts o = {.base_ms = 5000,
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
	proxy = conf.webhook_proxy;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || (http = curl_easy_init()) == NULL) {
		fputs("kefu-webhookd: cannot initialise libcurl\n", stderr);
		return 1;
	}
	struct mail_sender *mail = mail_sender_new(&conf, err, sizeof err);
	if (mail == NULL) {
		fprintf(stderr, "kefu-webhookd: %s\n", err);
		return 1;
	}
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct kefu_db *db = db_new(&conf);
	kefu_arena *a = arena_new();
	log_info("webhookd", "started (base %lld ms, cap %lld ms, %d attempts; %s; mail %s)", (long long)o.base_ms,
	         (long long)o.cap_ms, o.max_attempts, proxy[0] ? "webhooks through webhook_proxy" : "no proxy",
	         conf.smtp_url[0] ? "on" : "off");
	/* A lease comfortably longer than one whole POST or SMTP dialogue, so a
	 * slow receiver is never sent the same row by a second sender mid-way. */
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
		arena_reset(a);
		int mails = stopping ? 0 : mail_sender_run(mail, db, a, &o, lease_s, &stopping);
		if (mails < 0)
			sleep_ms(o.poll_ms * 5);
		else if (n == 0 && mails == 0)
			sleep_ms(o.poll_ms);
	}
	log_info("webhookd", "stopping");
	arena_free(a);
	db_free(db);
	mail_sender_free(mail);
	curl_easy_cleanup(http);
	curl_global_cleanup();
	egress_allow_free(allow);
	conf_free(&conf);
	mysql_library_end();
	return 0;
}
