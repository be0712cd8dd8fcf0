/* conf: the one configuration, read once at start-up from a file and KEFU_* env. */
#ifndef KEFU_CONF_H
#define KEFU_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/netaddr.h"

/* A list of networks: "10.0.0.0/8, ::1" in the file. */
struct conf_nets {
	struct netaddr_net *v; /* malloc'd, NULL when n is 0 */
	size_t n;
};

struct kefu_conf {
	char *listen;       /* FastCGI socket: a path, or "127.0.0.1:9000"; empty = stdin (spawned) */
	int threads;        /* accept threads per worker process */
	int listen_backlog; /* connections the socket queues before accept (the kernel caps it at net.core.somaxconn) */
	char *poll_listen;  /* a second socket, for the visitors' polls alone (the tailer accepts them); empty = none */
	char *pageview_listen; /* a third, for the visitors' page views alone (their batcher accepts them); empty = none
	                        */
	char *db_host;         /* empty with db_socket set = unix socket */
	int db_port;
	char *db_socket;
	char *db_user;
	char *db_password;
	char *db_name;
	char *templates_dir;
	char *htdocs_dir;
	char *schema_dir;
	char *po_dir;        /* message catalogs */
	size_t json_limit;   /* bytes; the documented default, 64 KiB */
	size_t upload_limit; /* bytes; default 10 MiB */
	int poll_tick_ms;    /* long-poll tailer period */
	int poll_max_parked; /* parked long-polls per process before 503 */
	int session_idle_s;
	int session_max_s;
	int visitor_rate_limit; /* widget visitor registrations per address and minute; 0 = no limit */
	bool secure_cookies;    /* Secure flag on cookies (set behind HTTPS) */
	char *public_url;       /* e.g. http://127.0.0.1:8080, used in snippets */
	char *log_level;
	char *webhook_allow_hosts; /* hosts and networks webhooks may reach besides public addresses; "" = none */
	/* The operator's HTTP(S) proxy for webhooks ("http://proxy:3128"); "" = direct. The environment's
	 * http_proxy and no_proxy are ignored on purpose (src/webhookd.c). */
	char *webhook_proxy;
	/* The operator's MaxMind-format database (GeoLite2-City.mmdb and the like) giving visitors' country and city;
	 * "" = none (kefu never downloads one). Needs a build with libmaxminddb (src/core/geoip.h). */
	char *geoip_database;
	/* Outbound mail (kefu-webhookd): smtp://host:587 or smtps://host:465; "" = no mail is sent. */
	char *smtp_url;
	char *smtp_user, *smtp_password; /* SMTP AUTH; "" = none */
	bool smtp_starttls;              /* smtp:// must upgrade with STARTTLS (default true) */
	char *mail_from;                 /* "kefu <noreply@example.com>" or a bare address */
	/* Reverse proxies whose X-Forwarded-For is believed (netaddr_client);
	 * empty (the default): the client is the address the web server saw. */
	struct conf_nets trusted_proxies;
};

/* Fill c with defaults, then the file at path (NULL: KEFU_CONFIG or the
 * installed default; a missing default file is fine, a missing named one is
 * not), then KEFU_<KEY> environment variables. On error returns -1 and puts
 * a message in err (size errlen). Strings are malloc'd; conf_free frees them. */
int conf_load(struct kefu_conf *c, const char *path, char *err, size_t errlen);
/* Set one key as the file would ("db_name", "kefu"); -1 on unknown key or bad value. */
int conf_set(struct kefu_conf *c, const char *key, const char *value);
void conf_free(struct kefu_conf *c);

#endif
