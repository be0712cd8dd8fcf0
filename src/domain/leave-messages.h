/* leave-messages: messages left while nobody could answer: the inbox agents read and mark handled. */
#ifndef KEFU_DOMAIN_LEAVE_MESSAGES_H
#define KEFU_DOMAIN_LEAVE_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-leave-messages.h"

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* A message left (db_leave_create), its leave_message.created event
 * ({"leave_message": {"id","channel_id","visitor_id","fields"}}) and the
 * group members' mail, in one transaction of its own. */
kefu_err leave_create(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t visitor_id, int64_t rule_id,
                      const char *fields, int64_t *id);

/* As db_leave_get (store/store-leave-messages.h). */
kefu_err leave_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t id, struct leave_row *out);

/* As db_leave_handle (store/store-leave-messages.h). */
kefu_err leave_handle(struct kefu_db *db, int64_t tenant_id, int64_t id, int64_t user_id, const char *note);

/* As db_leave_list (store/store-leave-messages.h). */
kefu_err leave_list(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const char *status, int64_t limit,
                    struct leave_row **rows, size_t *n);

#endif
