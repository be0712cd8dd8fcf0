/* assign-basic: the stand-in assignment (fewest live conversations among online agents), to be replaced by the
 * assignment engine. */
#ifndef KEFU_DOMAIN_ASSIGN_BASIC_H
#define KEFU_DOMAIN_ASSIGN_BASIC_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

struct kefu_i18n;

/*
 * Give the conversation (just created in status queued, inside the caller's
 * db_tx) to the tenant's online agent or admin with the fewest assigned
 * conversations, ties to the lowest user id; there are no rules, groups,
 * capacities or queues yet. The candidates' rows are locked (see
 * db_agents_lock_online), so two workers assigning at once serialise and the
 * second sees the first's choice.
 *  - someone online: status assigned, and the event
 *    {"type":"status","status":"assigned","agent":{"id","name"}} on the
 *    conversation's stream and the agent's;
 *  - nobody online: status offline, the event {"type":"status","status":"offline"}
 *    and a system message with i18n key conv.all_offline in lang.
 * *agent_id is the agent (0 when offline). Runs again on a retry: no state
 * outside the database.
 */
kefu_err assign_basic(struct kefu_db *db, kefu_arena *a, const struct kefu_i18n *i18n, const char *lang,
                      int64_t tenant_id, int64_t conversation_id, int64_t *agent_id);

#endif
