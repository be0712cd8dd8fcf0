/* report-rollup: the housekeeping job that keeps the reports' message counts rolled up (schema/0026). */
#include "domain/report-rollup.h"

#include "core/log.h"
#include "store/store-rollups.h"

/*
 * Counting a month's messages at report time means reading millions of
 * index entries; counting them once, behind the message path, keeps both
 * the report and the write fast (README, "Reports at scale"). Each batch is
 * its own short transaction so the job never holds the mark for long.
 */
void report_rollup_tick(struct kefu_db *db)
{
	for (int i = 0; i < REPORT_ROLLUP_BATCHES; i++) {
		int64_t moved = 0;
		kefu_err e = db_rollup_messages(db, REPORT_ROLLUP_BATCH, REPORT_ROLLUP_LAG_S, &moved);
		if (e != KEFU_OK) {
			log_warn("housekeeping", "report_rollup: %s", kefu_err_code(e));
			return;
		}
		if (moved < REPORT_ROLLUP_BATCH)
			return;
	}
}
