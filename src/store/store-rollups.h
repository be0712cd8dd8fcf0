/* store-rollups: SQL of the reports' rollups (schema/0026): per-conversation message counts past a mark. */
#ifndef KEFU_STORE_ROLLUPS_H
#define KEFU_STORE_ROLLUPS_H

#include <stdint.h>

#include "store/db.h"

/*
 * One step of the message counts rollup, in one transaction: lock the mark,
 * add the counts of the next batch messages past it (by id), up to the last
 * of them created at least lag_s seconds ago (a message whose transaction is still open is never
 * passed: its id is below newer committed ones only for as long as that
 * transaction lasts), move the mark past them. *moved: how many ids the mark
 * advanced (0: nothing to do). Every tenant's messages, each counted for its
 * own tenant: this is a system job, no tenant's request.
 */
kefu_err db_rollup_messages(struct kefu_db *db, int64_t batch, int lag_s, int64_t *moved);

#endif
