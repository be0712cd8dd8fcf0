/* app: what a worker process builds once at start-up and shares read-only with every request. */
#ifndef KEFU_APP_H
#define KEFU_APP_H

#include "core/conf.h"

struct kefu_templates;
struct kefu_i18n;
struct egress_allow;

struct kefu_app {
	struct kefu_conf conf;
	struct kefu_templates *templates;   /* parsed templates/ */
	struct kefu_i18n *i18n;             /* message catalogs */
	struct egress_allow *webhook_allow; /* conf.webhook_allow_hosts, parsed */
};

#endif
