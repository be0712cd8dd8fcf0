/* webhookd-mail: kefu-webhookd's mail side: claims due mail_outbox rows, renders them and sends them over SMTP. */
#ifndef KEFU_WEBHOOKD_MAIL_H
#define KEFU_WEBHOOKD_MAIL_H

#include <signal.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/conf.h"
#include "store/db.h"

/* What both senders share: the retry schedule and the timeouts. */
struct webhookd_opts {
	int64_t base_ms, cap_ms;
	int max_attempts;
	int poll_ms;
	int connect_ms, timeout_ms;
	int batch;
};

struct mail_sender;

/* Load what a mail needs (catalogs, templates, mail_from) from conf, which
 * must outlive the sender. NULL with a message in err on a broken template
 * or a mail_from that is not an address (when smtp_url is set). */
struct mail_sender *mail_sender_new(const struct kefu_conf *conf, char *err, size_t errlen);
void mail_sender_free(struct mail_sender *m);

/* Claim up to o->batch due mails and send each, recording the attempt.
 * Returns how many were claimed, -1 when the claim failed (database). */
int mail_sender_run(struct mail_sender *m, struct kefu_db *db, kefu_arena *a, const struct webhookd_opts *o,
                    int lease_s, const volatile sig_atomic_t *stopping);

#endif
