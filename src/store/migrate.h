/* migrate: apply schema/NNNN-*.sql in order, once each, recorded in schema_migrations. */
#ifndef KEFU_MIGRATE_H
#define KEFU_MIGRATE_H

#include <stddef.h>

#include "store/db.h"

/*
 * Apply every migration in dir not yet recorded. MariaDB commits DDL
 * implicitly, so a migration cannot be rolled back; instead every migration
 * is written idempotently (CREATE TABLE IF NOT EXISTS, ADD COLUMN IF NOT
 * EXISTS, ...) and recorded only after all its statements succeeded: one that
 * was cut short is completed by the next run. A named lock keeps two runs
 * from interleaving. Prints one line per applied file to stdout when verbose.
 * Returns 0, or -1 with a message in err.
 */
int migrate_apply(struct kefu_db *db, const char *dir, int verbose, char *err, size_t errlen);

#endif
