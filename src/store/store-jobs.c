/* store-jobs: SQL for claiming a run of a periodic job, so that one worker of all runs it each time. */
#include "store/store-jobs.h"

/* How long until job `name` is due, by its row, into *due_in_ms (0 when due or past). */
static kefu_err due_in(struct kefu_db *db, const char *name, int64_t *due_in_ms)
{
	kefu_arena *a = arena_new();
	struct db_result *r;
	kefu_err e = db_query(db, a, &r,
	                      "SELECT GREATEST(0, TIMESTAMPDIFF(MICROSECOND, NOW(6), next_run_at)) DIV 1000"
	                      " FROM jobs WHERE name = ?",
	                      "s", name);
	*due_in_ms = e == KEFU_OK && r->nrows == 1 ? db_i64(r, 0, 0) : 0;
	arena_free(a);
	return e;
}

kefu_err db_job_claim(struct kefu_db *db, const char *name, int64_t interval_ms, const char *owner, bool *row_known,
                      bool *claimed, int64_t *due_in_ms)
{
	*claimed = false;
	*due_in_ms = 0;
	uint64_t n = 0;
	/* The connection reports rows found, not rows changed (CLIENT_FOUND_ROWS):
	 * with the due time in the WHERE clause, found is claimed. A next run
	 * further away than one interval means the server's clock was stepped
	 * back: due now, or the job would pause for as long as the step. */
	int64_t us = interval_ms * 1000;
	kefu_err e = db_exec(db, &n, NULL,
	                     "UPDATE jobs SET next_run_at = NOW(6) + INTERVAL ? MICROSECOND, owner = ?,"
	                     " last_run_at = NOW(6) WHERE name = ?"
	                     " AND (next_run_at <= NOW(6) OR next_run_at > NOW(6) + INTERVAL ? MICROSECOND)",
	                     "issi", us, owner, name, us);
	if (e == KEFU_E_RETRY)
		return KEFU_OK; /* another claimant won the row (a lock wait, or Galera's certification) */
	if (e != KEFU_OK || n == 1) {
		*claimed = n == 1 && e == KEFU_OK;
		*row_known = *row_known || *claimed;
		*due_in_ms = *claimed ? interval_ms : 0;
		return e;
	}
	if (*row_known) /* not due: another claimant ran it; when is it due again? */
		return due_in(db, name, due_in_ms);
	/* Not due, or no row yet: a first run creates it (already due); a
	 * duplicate insert from another worker is no error. */
	if ((e = db_exec(db, &n, NULL, "INSERT IGNORE INTO jobs (name) VALUES (?)", "s", name)) != KEFU_OK)
		return e;
	*row_known = true;
	return n == 0 ? KEFU_OK : db_job_claim(db, name, interval_ms, owner, row_known, claimed, due_in_ms);
}
