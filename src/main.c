/* main: the kefu FastCGI worker: load config, catalogs and templates once, then serve. */
#include <getopt.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/egress.h"
#include "core/geoip.h"
#include "domain/housekeeping.h"
#include "domain/insight.h"
#include "http/app.h"
#include "http/longpoll.h"
#include "http/router.h"
#include "http/routes.h"
#include "http/server.h"
#include "store/batcher.h"
#include "view/i18n.h"
#include "view/template.h"

static void usage(void)
{
	fputs("usage: kefu.fcgi [-c CONFIG]\n"
	      "Serves kefu over FastCGI on the socket named by `listen` in the\n"
	      "config (or on fd 0 when spawned). Every key can be overridden by a\n"
	      "KEFU_<KEY> environment variable.\n",
	      stderr);
}

int main(int argc, char **argv)
{
	/* Before any thread (the client library's, housekeeping, accept threads):
	 * each inherits the mask, so SIGTERM and SIGHUP reach only sigwait. */
	server_block_signals();
	const char *config = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "c:h")) != -1) {
		if (opt == 'c')
			config = optarg;
		else {
			usage();
			return opt == 'h' ? 0 : 2;
		}
	}
	static struct kefu_app app;
	char err[512];
	if (conf_load(&app.conf, config, err, sizeof err) != 0) {
		fprintf(stderr, "kefu: config: %s\n", err);
		return 1;
	}
	if (strcmp(app.conf.log_level, "debug") == 0)
		log_set_level(LOG_DEBUG);
	else if (strcmp(app.conf.log_level, "warn") == 0)
		log_set_level(LOG_WARN);
	/* The access log's lines, one per request, in a write(2) every 20 ms
	 * rather than one each (README, "Message POST, the cost every request
	 * pays"). */
	log_defer(20);
	if (mysql_library_init(0, NULL, NULL) != 0) {
		fputs("kefu: cannot initialise the MariaDB client library\n", stderr);
		return 1;
	}
	app.i18n = i18n_load_dir(app.conf.po_dir, err, sizeof err);
	if (app.i18n == NULL) {
		fprintf(stderr, "kefu: catalogs: %s\n", err);
		return 1;
	}
	/* A broken template stops the worker here rather than a page later. */
	app.templates = tpl_load_dir(app.conf.templates_dir, app.i18n, err, sizeof err);
	if (app.templates == NULL) {
		fprintf(stderr, "kefu: templates: %s\n", err);
		return 1;
	}
	/* A mistyped entry stops the worker: it would otherwise refuse (or
	 * allow) webhook URLs other than the operator meant. */
	app.webhook_allow = egress_allow_parse(app.conf.webhook_allow_hosts, err, sizeof err);
	if (app.webhook_allow == NULL) {
		fprintf(stderr, "kefu: config: %s\n", err);
		return 1;
	}
	/* A named database that cannot be read stops the worker: the operator meant to have countries. */
	int g = geoip_open(app.conf.geoip_database, err, sizeof err);
	if (g < 0) {
		fprintf(stderr, "kefu: config: %s\n", err);
		return 1;
	} else if (g > 0)
		log_warn("geoip", "%s", err);
	router_init(route_tables);
	int poll_fd = server_poll_socket(&app), pageview_fd = server_pageview_socket(&app);
	if (poll_fd == -2 || pageview_fd == -2)
		return 1;
	housekeeping_start(&app.conf);
	/* The tailer is started here, not by the server: long-polls sit on top
	 * of the server (they answer through server_send), not beside it. So is
	 * the visitors' poll socket, which the tailer takes from. */
	if (longpoll_start(&app) != 0) {
		fprintf(stderr, "kefu: cannot start the long-poll tailer\n");
		abort();
	}
	if (poll_fd >= 0)
		longpoll_accept_from(poll_fd);
	if (pageview_fd >= 0)
		api_pageviews_take_from(pageview_fd, &app);
	int rc = server_run(&app) == 0 ? 0 : 1;
	longpoll_stop();     /* after the accept threads: parked requests get their (empty) answers now */
	insight_stop();      /* the visitors' queued notices and keeps written, its connection closed */
	housekeeping_stop(); /* its connection closes before the client library ends */
	batchers_close();    /* last: the jobs above may have led a batch */
	tpl_free(app.templates);
	i18n_free(app.i18n);
	egress_allow_free(app.webhook_allow);
	geoip_close();
	conf_free(&app.conf);
	mysql_library_end();
	log_flush();
	return rc;
}
