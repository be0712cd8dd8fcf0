/* webhookd-mail: kefu-webhookd's mail side: render a queued mail from its templates and send it with libcurl's SMTP. */
#include "webhookd-mail.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "domain/assign.h"
#include "domain/rules.h"
#include "domain/transcript.h"
#include "domain/webhooks.h"
#include "store/store-channels.h"
#include "store/store-leave-messages.h"
#include "store/store-mail.h"
#include "store/store-users.h"
#include "view/i18n.h"
#include "view/mail.h"
#include "view/template.h"

struct mail_sender {
	const struct kefu_conf *conf;
	struct kefu_i18n *i18n;
	kefu_templates *templates;
	const char *from_name, *from_addr, *domain; /* in own */
	kefu_arena *own;
	CURL *smtp; /* one handle: libcurl keeps the SMTP connection between mails */
};

struct mail_sender *mail_sender_new(const struct kefu_conf *conf, char *err, size_t errlen)
{
	struct mail_sender *m = calloc(1, sizeof *m);
	if (m == NULL)
		abort();
	m->conf = conf;
	m->own = arena_new();
	m->i18n = i18n_load_dir(conf->po_dir, err, errlen);
	if (m->i18n != NULL)
		m->templates = tpl_load_dir(conf->templates_dir, m->i18n, err, errlen);
	if (m->templates == NULL) {
		mail_sender_free(m);
		return NULL;
	}
	if (conf->smtp_url[0] != '\0') {
		if (mail_from_parse(m->own, conf->mail_from, &m->from_name, &m->from_addr) != 0) {
			snprintf(err, errlen, "mail_from: \"%s\" is not an address (smtp_url is set)", conf->mail_from);
			mail_sender_free(m);
			return NULL;
		}
		m->domain = strrchr(m->from_addr, '@') + 1;
	}
	m->smtp = curl_easy_init();
	if (m->smtp == NULL)
		abort();
	return m;
}

void mail_sender_free(struct mail_sender *m)
{
	if (m == NULL)
		return;
	if (m->smtp)
		curl_easy_cleanup(m->smtp);
	tpl_free(m->templates);
	i18n_free(m->i18n);
	arena_free(m->own);
	free(m);
}

/* The three renderings of one mail. */
struct mail_content {
	char *subject, *text, *html; /* malloc'd */
};

static void content_free(struct mail_content *c)
{
	free(c->subject);
	free(c->text);
	free(c->html);
}

/* Render templates mail-<kind>-subject, mail-<kind>-text and mail-<kind>
 * (kind with '-' for '_': templates/mail-leave-message.xhtml) with data.
 * -1 with err. */
static int render(const struct mail_sender *m, const char *kind, json_object *data, const char *lang,
                  struct mail_content *c, char *err, size_t errlen)
{
	char base[40], name[64];
	snprintf(base, sizeof base, "%s", kind);
	for (char *p = base; *p; p++)
		if (*p == '_')
			*p = '-';
	kind = base;
	snprintf(name, sizeof name, "mail-%s-subject", kind);
	if (mail_render_text(m->templates, name, data, lang, &c->subject, err, errlen) != 0)
		return -1;
	snprintf(name, sizeof name, "mail-%s-text", kind);
	if (mail_render_text(m->templates, name, data, lang, &c->text, err, errlen) != 0)
		return -1;
	snprintf(name, sizeof name, "mail-%s", kind);
	return tpl_render(m->templates, name, data, lang, &c->html, NULL, err, errlen);
}

/* "2026-12-06 20:15:01.123" as "2026-12-06 20:15 UTC" (the database keeps UTC). */
static json_object *when(kefu_arena *a, const char *datetime)
{
	if (datetime == NULL || strlen(datetime) < 16)
		return NULL;
	return json_object_new_string(arena_printf(a, "%.16s UTC", datetime));
}

/* One left message as the templates show it: {"channel", "created_at",
 * "fields": [{"label","value"}]} in the form's order (labels from the
 * channel's rule now; a field the form no longer has keeps its name). NULL
 * on a database error. */
static json_object *leave_json(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t channel_id,
                               const char *fields_text, const char *created_at)
{
	struct channel_row ch = {0};
	kefu_err e = db_channel_get(db, a, tenant_id, channel_id, &ch);
	if (e != KEFU_OK && e != KEFU_E_NOT_FOUND)
		return NULL;
	struct rule rule = {0};
	if (assign_channel_rule(db, a, tenant_id, channel_id, &rule) != KEFU_OK)
		rule.leave_fields = NULL;
	json_object *given = json_tokener_parse(fields_text);
	json_object *fields = json_object_new_array();
	size_t nform = rule.leave_fields ? json_object_array_length(rule.leave_fields) : 0;
	/* The form's fields first, in its order, then any the form lost. */
	for (size_t i = 0; i < nform && given; i++) {
		json_object *f = json_object_array_get_idx(rule.leave_fields, i), *nm, *lb, *val;
		if (!json_object_object_get_ex(f, "name", &nm) ||
		    !json_object_object_get_ex(given, json_object_get_string(nm), &val) ||
		    !json_object_is_type(val, json_type_string))
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "label",
		                       json_object_new_string(json_object_object_get_ex(f, "label", &lb)
		                                                  ? json_object_get_string(lb)
		                                                  : json_object_get_string(nm)));
		json_object_object_add(o, "value", json_object_get(val));
		json_object_array_add(fields, o);
	}
	if (given) {
		json_object_object_foreach(given, key, val)
		{
			bool in_form = false;
			for (size_t i = 0; i < nform && !in_form; i++) {
				json_object *nm;
				in_form = json_object_object_get_ex(json_object_array_get_idx(rule.leave_fields, i),
				                                    "name", &nm) &&
				          strcmp(json_object_get_string(nm), key) == 0;
			}
			if (in_form || !json_object_is_type(val, json_type_string))
				continue;
			json_object *o = json_object_new_object();
			json_object_object_add(o, "label", json_object_new_string(key));
			json_object_object_add(o, "value", json_object_get(val));
			json_object_array_add(fields, o);
		}
	}
	json_object_put(given);
	json_object *d = json_object_new_object();
	json_object_object_add(d, "channel", json_object_new_string(ch.name ? ch.name : ""));
	json_object_object_add(d, "created_at", when(a, created_at));
	json_object_object_add(d, "fields", fields);
	return d;
}

/* At most this many messages in one digest; the inbox has them all. */
#define DIGEST_MAX 50

/*
 * The data of a mail as what it reports is now: leave_message, the message's
 * leave_json; leave_digest, {"count", "items": [leave_json...]} of the
 * tenant's messages still open from the day before it was queued;
 * transcript, the conversation's transcript_data (domain/transcript.h: no
 * erased or purged message) with "channel", in lang. All with "recipient"
 * and "inbox_url". 1 when there is nothing to send any more (the message
 * erased or purged, every message handled, the conversation gone or without
 * a message left), 2 when the recipient is
 * no longer there, -1 on a database error.
 */
static int mail_data(const struct mail_sender *m, struct kefu_db *db, kefu_arena *a, const struct mail_row *row,
                     const char *lang, json_object **out)
{
	json_object *d;
	if (row->to_user_id != 0) {
		/* A staff member deleted, or who removed the address, since the
		 * mail was queued gets nothing. */
		struct user_row u;
		kefu_err e = db_user_get(db, a, row->tenant_id, row->to_user_id, &u);
		if (e == KEFU_E_NOT_FOUND || (e == KEFU_OK && (u.email == NULL || strcmp(u.email, row->to_addr) != 0)))
			return 2;
		if (e != KEFU_OK)
			return -1;
	}
	if (strcmp(row->kind, "transcript") == 0) {
		struct history_row h;
		kefu_err e = history_get(db, a, row->tenant_id, row->ref_id, &h);
		if (e == KEFU_E_NOT_FOUND)
			return 1;
		struct transcript_labels l = {.title = i18n_get(m->i18n, lang, "history.transcript"),
		                              .visitor = i18n_get(m->i18n, lang, "history.visitor"),
		                              .system = i18n_get(m->i18n, lang, "history.system"),
		                              .agent = i18n_get(m->i18n, lang, "history.agent"),
		                              .file = i18n_get(m->i18n, lang, "history.file")};
		if (e != KEFU_OK || transcript_data(db, a, row->tenant_id, &h, &l, &d) != KEFU_OK)
			return -1;
		json_object *lines;
		if (!json_object_object_get_ex(d, "lines", &lines) || json_object_array_length(lines) == 0) {
			json_object_put(d);
			return 1;
		}
		json_object_object_add(d, "channel", json_object_new_string(h.channel_name ? h.channel_name : ""));
	} else if (strcmp(row->kind, "leave_message") == 0) {
		struct leave_row l;
		kefu_err e = db_leave_get(db, a, row->tenant_id, row->ref_id, &l);
		if (e == KEFU_E_NOT_FOUND)
			return 1;
		if (e == KEFU_OK && row->to_user_id == 0) {
			/* The channel's address: not if it was changed or removed since. */
			struct channel_row ch;
			e = db_channel_get(db, a, row->tenant_id, l.channel_id, &ch);
			if (e == KEFU_E_NOT_FOUND || (e == KEFU_OK && (ch.notify_email == NULL ||
			                                               strcasecmp(ch.notify_email, row->to_addr) != 0)))
				return 2;
		}
		if (e != KEFU_OK ||
		    (d = leave_json(db, a, row->tenant_id, l.channel_id, l.fields, l.created_at)) == NULL)
			return -1;
	} else {
		struct digest_leave *ls;
		size_t n;
		if (db_mail_digest_leaves(db, a, row->tenant_id, row->id, DIGEST_MAX, &ls, &n) != KEFU_OK)
			return -1;
		if (n == 0)
			return 1;
		json_object *items = json_object_new_array();
		for (size_t i = 0; i < n; i++) {
			json_object *one =
			    leave_json(db, a, row->tenant_id, ls[i].channel_id, ls[i].fields, ls[i].created_at);
			if (one == NULL) {
				json_object_put(items);
				return -1;
			}
			json_object_array_add(items, one);
		}
		d = json_object_new_object();
		json_object_object_add(d, "count", json_object_new_int64((int64_t)n));
		json_object_object_add(d, "items", items);
	}
	json_object_object_add(
	    d, "channel_address",
	    json_object_new_boolean(row->to_user_id == 0 && strcmp(row->kind, "leave_message") == 0));
	json_object_object_add(d, "recipient", row->to_name ? json_object_new_string(row->to_name) : NULL);
	json_object_object_add(d, "inbox_url",
	                       json_object_new_string(arena_printf(a, "%s/workbench", m->conf->public_url)));
	*out = d;
	return 0;
}

/* s with every LF not after a CR made CRLF: libcurl's quoted-printable
 * encoder keeps CRLF as a line break and would encode a bare LF. In a. */
static const char *crlf(kefu_arena *a, const char *s)
{
	size_t lf = 0;
	for (const char *p = s; *p; p++)
		lf += *p == '\n';
	char *o = arena_alloc(a, strlen(s) + lf + 1), *w = o;
	for (const char *p = s; *p; p++) {
		if (*p == '\n' && (p == s || p[-1] != '\r'))
			*w++ = '\r';
		*w++ = *p;
	}
	*w = '\0';
	return o;
}

static struct curl_slist *append(struct curl_slist *l, const char *s)
{
	struct curl_slist *n = curl_slist_append(l, s);
	if (n == NULL)
		abort();
	return n;
}

/* What one SMTP transaction came to. */
struct smtp_result {
	bool sent, permanent; /* permanent: the server refused for good (5xx) */
	char error[CURL_ERROR_SIZE];
};

/* Send c to row's recipient over conf.smtp_url. */
static void smtp_send(struct mail_sender *m, kefu_arena *a, const struct mail_row *row, const struct mail_content *c,
                      const struct webhookd_opts *o, struct smtp_result *res)
{
	const struct kefu_conf *conf = m->conf;
	CURL *h = m->smtp;
	curl_easy_reset(h); /* keeps the connection cache */
	/* Headers: libcurl writes the MIME ones (Mime-Version, Content-Type and
	 * the parts'); these are ours, each made safe by view/mail.h. The
	 * Message-ID is the row's, so a resend after a crash is recognisable. */
	struct curl_slist *hdr = NULL;
	hdr = append(hdr, mail_date_header(a, time(NULL)));
	hdr = append(hdr, mail_mailbox_header(a, "From", m->from_name, m->from_addr));
	hdr = append(hdr, mail_mailbox_header(a, "To", row->to_name, row->to_addr));
	hdr = append(hdr, mail_header(a, "Subject", c->subject));
	hdr = append(hdr, arena_printf(a, "Message-ID: <kefu.%lld.%lld@%s>", (long long)row->tenant_id,
	                               (long long)row->id, m->domain));
	hdr = append(hdr, "Auto-Submitted: auto-generated");
	struct curl_slist *rcpt = append(NULL, arena_printf(a, "<%s>", row->to_addr));

	/* multipart/alternative (text, then HTML: the last is preferred)
	 * inside the message libcurl builds. */
	curl_mime *mime = curl_mime_init(h), *alt = curl_mime_init(h);
	curl_mimepart *p = curl_mime_addpart(alt);
	curl_mime_data(p, crlf(a, c->text), CURL_ZERO_TERMINATED);
	curl_mime_type(p, "text/plain; charset=utf-8");
	curl_mime_encoder(p, "quoted-printable");
	p = curl_mime_addpart(alt);
	curl_mime_data(p, crlf(a, c->html), CURL_ZERO_TERMINATED);
	curl_mime_type(p, "text/html; charset=utf-8");
	curl_mime_encoder(p, "quoted-printable");
	p = curl_mime_addpart(mime);
	curl_mime_subparts(p, alt);
	curl_mime_type(p, "multipart/alternative");
	struct curl_slist *inl = append(NULL, "Content-Disposition: inline");
	curl_mime_headers(p, inl, 1);

	curl_easy_setopt(h, CURLOPT_URL, conf->smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)o->connect_ms + o->timeout_ms);
	curl_easy_setopt(h, CURLOPT_PROXY, ""); /* the operator's own server: never through the environment's proxy */
	curl_easy_setopt(h, CURLOPT_NOPROXY, "");
	/* smtps:// is TLS from the start; smtp:// upgrades with STARTTLS and
	 * fails rather than send in the clear, unless the operator said no. */
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)(conf->smtp_starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (conf->smtp_user[0] != '\0') {
		curl_easy_setopt(h, CURLOPT_USERNAME, conf->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, conf->smtp_password);
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, arena_printf(a, "<%s>", m->from_addr));
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, res->error);
	res->error[0] = '\0';
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	res->sent = rc == CURLE_OK;
	/* A 5xx is the server's final no (an unknown mailbox, a refused
	 * sender), except for AUTH, which the operator may yet fix. */
	res->permanent = !res->sent && code >= 500 && code <= 599 && rc != CURLE_LOGIN_DENIED;
	if (!res->sent) {
		char msg[CURL_ERROR_SIZE];
		snprintf(msg, sizeof msg, "%s", res->error[0] ? res->error : curl_easy_strerror(rc));
		if (code >= 400) /* the server's refusal; below, the last good answer before libcurl gave up */
			snprintf(res->error, sizeof res->error, "smtp %ld: %.220s", code, msg);
		else
			snprintf(res->error, sizeof res->error, "smtp: %.220s", msg);
	}
	curl_mime_free(mime); /* frees alt with it */
	curl_slist_free_all(hdr);
	curl_slist_free_all(rcpt);
}

/* Send one claimed row and record the attempt. */
static void deliver(struct mail_sender *m, struct kefu_db *db, kefu_arena *a, const struct mail_row *row,
                    const struct webhookd_opts *o)
{
	int attempt = (int)row->attempts + 1;
	char err[512] = "";
	char outcome = 0;
	json_object *data = NULL;
	struct mail_content c = {0};
	struct smtp_result res = {0};
	int64_t t0 = mono_ms();
	const char *lang = i18n_pick(m->i18n, row->lang, NULL);
	if (m->conf->smtp_url[0] == '\0') {
		outcome = 'f';
		snprintf(err, sizeof err, "mail not configured (smtp_url is empty)");
	} else if (strcmp(row->kind, "leave_message") != 0 && strcmp(row->kind, "leave_digest") != 0 &&
	           strcmp(row->kind, "transcript") != 0) {
		outcome = 'f';
		snprintf(err, sizeof err, "unknown kind %s", row->kind);
	} else {
		int rc = mail_data(m, db, a, row, lang, &data);
		if (rc < 0)
			return; /* the database: the lease runs out and the row comes back */
		if (rc > 0) {
			outcome = 'f';
			snprintf(err, sizeof err, "%s",
			         rc == 2 ? "recipient gone (user deleted or address changed)"
			         : strcmp(row->kind, "leave_message") == 0 ? "leave message gone"
			         : strcmp(row->kind, "transcript") == 0    ? "no message left to mail"
			                                                   : "no open message left");
		}
	}
	if (outcome == 0) {
		if (render(m, row->kind, data, lang, &c, err, sizeof err) != 0) {
			outcome = 'f';
		} else {
			smtp_send(m, a, row, &c, o, &res);
			snprintf(err, sizeof err, "%s", res.sent ? "" : res.error);
			outcome = res.sent ? 's' : res.permanent || attempt >= o->max_attempts ? 'f' : 'r';
		}
	}
	json_object_put(data);
	content_free(&c);
	int64_t retry = outcome == 'r' ? webhook_backoff_ms(attempt, o->base_ms, o->cap_ms) : 0;
	log_info("webhookd", "mail %lld (%s %lld) attempt %d, %lld ms: %s%s", (long long)row->id, row->kind,
	         (long long)row->ref_id, attempt, (long long)(mono_ms() - t0),
	         outcome == 's'   ? "sent"
	         : outcome == 'f' ? "failed for good: "
	                          : "will retry: ",
	         err);
	kefu_err e = db_mail_record(db, row->tenant_id, row->id, attempt, outcome == 's' ? NULL : err, outcome, retry);
	if (e != KEFU_OK)
		log_warn("webhookd", "could not record mail %lld: %s", (long long)row->id, kefu_err_code(e));
}

int mail_sender_run(struct mail_sender *m, struct kefu_db *db, kefu_arena *a, const struct webhookd_opts *o,
                    int lease_s, const volatile sig_atomic_t *stopping)
{
	struct mail_row *rows;
	size_t n = 0;
	kefu_err e = db_mail_claim(db, a, o->batch, lease_s, &rows, &n);
	if (e != KEFU_OK) {
		log_warn("webhookd", "mail claim failed: %s", kefu_err_code(e));
		return -1;
	}
	for (size_t i = 0; i < n && !*stopping; i++)
		deliver(m, db, a, &rows[i], o);
	return (int)n;
}
