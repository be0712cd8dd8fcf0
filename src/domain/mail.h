/* mail: which mails a change sends and to whom, queued in the change's transaction (kefu-webhookd sends them). */
#ifndef KEFU_DOMAIN_MAIL_H
#define KEFU_DOMAIN_MAIL_H

#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/*
 * A visitor left message leave_id on channel_id: queue one mail to every
 * member (with an e-mail address) of the groups the channel's rule routes
 * to, in each member's language; a rule that names no group routes to the
 * tenant's default pool, every staff member. In addition, the channel's
 * notify_email (if set, and no member has that address) gets one in the
 * server's default language (a NULL lang: i18n's first catalog, zh-CN). MUST run inside the db_tx
 * that created the leave message (as webhook_enqueue does), so the mails
 * exist if and only if the message does. Queues nothing when nobody has an
 * address. Only references are queued: kefu-webhookd renders the mail when
 * it sends it, from the message as it is then (see schema/0018-mail.sql).
 */
kefu_err mail_leave_message(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t leave_id);

/*
 * A visitor asks for the transcript of their conversation conv_id by mail,
 * to addr, in lang (the widget's language; NULL: the default). Only the
 * conversation's own visitor (anyone else: KEFU_E_NOT_FOUND), only once it
 * is closed (KEFU_E_CONFLICT), addr mail_addr_ok (KEFU_E_INVALID_FIELD,
 * field "email"), at most MAIL_TRANSCRIPT_MAX per conversation
 * (KEFU_E_RATE_LIMITED), so the form cannot be used to mail strangers over
 * and over. One transaction; the conversation's row is locked while the
 * mails are counted. Only the reference is queued: kefu-webhookd renders the
 * messages when it sends, without the erased or purged ones.
 */
#define MAIL_TRANSCRIPT_MAX 3
kefu_err mail_transcript_request(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int64_t conv_id,
                                 const char *addr, const char *lang, struct fault *f);

/* The e-mail address of an identified visitor's identity (its "email"
 * field, when mail_addr_ok), for the widget to offer; NULL for a guest or
 * when there is none. In a. */
const char *mail_visitor_address(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id);

/*
 * The housekeeping job "leave_digest" (every MAIL_DIGEST_MS): queue a
 * digest for every user who asked for one (users.leave_digest), has an
 * address, got none in the last day, and whose tenant has open left messages
 * from the last day. Each is queued with a guarded stamp
 * (db_mail_digest_queue), so overlapping runs queue it once. The mail lists
 * the messages still open when it is sent.
 */
#define MAIL_DIGEST_MS (15 * 60 * 1000)
void mail_digest_tick(struct kefu_db *db);

#endif
