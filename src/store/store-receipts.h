/* store-receipts: the reads behind typing signals and read receipts (recent typing events, messages inside a read
 * range). */
#ifndef KEFU_STORE_RECEIPTS_H
#define KEFU_STORE_RECEIPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* Whether the conversation's stream got a typing event from sender
 * ("visitor" | "agent") in the last within_ms milliseconds. Reads only the
 * newest few events (the tail of uq_events_stream), so it stays cheap. */
kefu_err db_typing_recent(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                          const char *sender, int within_ms, bool *recent);

/* How many messages from sender have a seq in (after, upto]. */
kefu_err db_messages_in_range(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t conversation_id,
                              const char *sender, int64_t after, int64_t upto, int64_t *n);

#endif
