/* conf: "key = value" lines, '#' comments; every key has a KEFU_<KEY> override. */
#include "core/conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

enum kind { K_STR, K_INT, K_SIZE, K_BOOL, K_NETS };

#define F(name, kind)                                                                                                  \
	{                                                                                                              \
#name, kind, offsetof(struct kefu_conf, name)                                                          \
	}
static const struct field {
	const char *name;
	enum kind kind;
	size_t off;
} fields[] = {
    F(listen, K_STR),
    F(threads, K_INT),
    F(listen_backlog, K_INT),
    F(poll_listen, K_STR),
    F(pageview_listen, K_STR),
    F(db_host, K_STR),
    F(db_port, K_INT),
    F(db_socket, K_STR),
    F(db_user, K_STR),
    F(db_password, K_STR),
    F(db_name, K_STR),
    F(templates_dir, K_STR),
    F(htdocs_dir, K_STR),
    F(schema_dir, K_STR),
    F(po_dir, K_STR),
    F(json_limit, K_SIZE),
    F(upload_limit, K_SIZE),
    F(poll_tick_ms, K_INT),
    F(poll_max_parked, K_INT),
    F(session_idle_s, K_INT),
    F(session_max_s, K_INT),
    F(secure_cookies, K_BOOL),
    F(public_url, K_STR),
    F(log_level, K_STR),
    F(visitor_rate_limit, K_INT),
    F(webhook_allow_hosts, K_STR),
    F(trusted_proxies, K_NETS),
    F(webhook_proxy, K_STR),
    F(geoip_database, K_STR),
    F(smtp_url, K_STR),
    F(smtp_user, K_STR),
    F(smtp_password, K_STR),
    F(smtp_starttls, K_BOOL),
    F(mail_from, K_STR),
};
#undef F

int conf_set(struct kefu_conf *c, const char *key, const char *value)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const struct field *f = &fields[i];
		if (strcmp(f->name, key) != 0)
			continue;
		char *at = (char *)c + f->off;
		char *end;
		errno = 0;
		switch (f->kind) {
		case K_STR:
			free(*(char **)at);
			*(char **)at = xstrdup(value);
			return 0;
		case K_INT: {
			long v = strtol(value, &end, 10);
			if (errno || end == value || *end || v < 0 || v > 1000000000)
				return -1;
			*(int *)at = (int)v;
			return 0;
		}
		case K_SIZE: {
			unsigned long long v = strtoull(value, &end, 10);
			if (errno || end == value || value[0] == '-')
				return -1;
			if (*end == 'K' || *end == 'k')
				v <<= 10, end++;
			else if (*end == 'M' || *end == 'm')
				v <<= 20, end++;
			if (*end)
				return -1;
			*(size_t *)at = (size_t)v;
			return 0;
		}
		case K_NETS: {
			struct conf_nets *nets = (struct conf_nets *)at, fresh;
			if (netaddr_nets_parse(value, &fresh.v, &fresh.n, NULL) != 0)
				return -1;
			free(nets->v);
			*nets = fresh;
			return 0;
		}
		case K_BOOL:
			if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes"))
				*(bool *)at = true;
			else if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no"))
				*(bool *)at = false;
			else
				return -1;
			return 0;
		}
	}
	return -1;
}

static void defaults(struct kefu_conf *c)
{
	memset(c, 0, sizeof *c);
	c->listen = xstrdup("");
	c->threads = 16;
	c->listen_backlog = 65535;
	c->poll_listen = xstrdup("");
	c->pageview_listen = xstrdup("");
	c->db_host = xstrdup("");
	c->db_port = 3306;
	c->db_socket = xstrdup("");
	c->db_user = xstrdup("kefu");
	c->db_password = xstrdup("");
	c->db_name = xstrdup("kefu");
	c->templates_dir = xstrdup(KEFU_PKGDATADIR "/templates");
	c->htdocs_dir = xstrdup(KEFU_PKGDATADIR "/htdocs");
	c->schema_dir = xstrdup(KEFU_PKGDATADIR "/schema");
	c->po_dir = xstrdup(KEFU_PKGDATADIR "/po");
	c->json_limit = 64 * 1024;
	c->upload_limit = 10 * 1024 * 1024;
	c->poll_tick_ms = 50;
	c->poll_max_parked = 20000;
	c->session_idle_s = 8 * 3600;
	c->session_max_s = 7 * 24 * 3600;
	c->visitor_rate_limit = 200;
	c->secure_cookies = false;
	c->public_url = xstrdup("http://127.0.0.1:8080");
	c->log_level = xstrdup("info");
	c->webhook_allow_hosts = xstrdup("");
	c->webhook_proxy = xstrdup("");
	c->geoip_database = xstrdup("");
	c->smtp_url = xstrdup("");
	c->smtp_user = xstrdup("");
	c->smtp_password = xstrdup("");
	c->smtp_starttls = true;
	c->mail_from = xstrdup("");
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int load_file(struct kefu_conf *c, const char *path, bool must_exist, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		if (!must_exist && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[1024];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		if (conf_set(c, key, value) != 0) {
			snprintf(err, errlen, "%s:%d: unknown key or bad value for '%s'", path, lineno, key);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

int conf_load(struct kefu_conf *c, const char *path, char *err, size_t errlen)
{
	defaults(c);
	bool named = path != NULL;
	if (path == NULL)
		path = getenv("KEFU_CONFIG");
	if (path != NULL)
		named = true;
	else
		path = KEFU_SYSCONFDIR "/kefu/kefu.conf";
	if (load_file(c, path, named, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char env[64] = "KEFU_";
		size_t n = 5;
		for (const char *p = fields[i].name; *p && n < sizeof env - 1; p++)
			env[n++] = (char)toupper((unsigned char)*p);
		env[n] = '\0';
		const char *v = getenv(env);
		if (v != NULL && conf_set(c, fields[i].name, v) != 0) {
			snprintf(err, errlen, "%s: bad value", env);
			return -1;
		}
	}
	return 0;
}

void conf_free(struct kefu_conf *c)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i].kind == K_STR)
			free(*(char **)((char *)c + fields[i].off));
		else if (fields[i].kind == K_NETS)
			free(((struct conf_nets *)((char *)c + fields[i].off))->v);
	memset(c, 0, sizeof *c);
}
