/* housekeeping: one thread per process that runs the periodic jobs, each run claimed by one worker of all. */
#include "domain/housekeeping.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/json-doc.h"
#include "core/log.h"
#include "domain/assign.h"
#include "domain/insight.h"
#include "domain/mail.h"
#include "domain/presence.h"
#include "domain/report-packs.h"
#include "domain/report-rollup.h"
#include "domain/retention.h"
#include "store/store-jobs.h"
#include "store/store-ratelimit.h"

#define MAX_JOBS   16
#define ASK_MAX_MS 5000 /* the longest a job is not asked for (below) */

struct job {
	const char *name;
	int interval_ms;
	housekeeping_fn fn;
};

static void ratelimit_trim(struct kefu_db *db)
{
	kefu_err e = db_ratelimit_trim(db);
	if (e != KEFU_OK)
		log_warn("housekeeping", "ratelimit_trim: %s", kefu_err_code(e));
}

/* The built-in jobs; one more is one line here or one housekeeping_register call. */
static struct job jobs[MAX_JOBS] = {
    {"queue_drain", 1000, assign_tick},
    {"presence_sweep", PRESENCE_SWEEP_MS, presence_sweep},
    {"retention_purge", RETENTION_BUSY_MS, retention_tick},
    {"ratelimit_trim", 60000, ratelimit_trim},
    {"leave_digest", MAIL_DIGEST_MS, mail_digest_tick},
    {"visitor_sweep", INSIGHT_SWEEP_MS, insight_sweep},
    {"report_rollup", REPORT_ROLLUP_MS, report_rollup_tick},
    {"report_packs", REPORT_PACK_MS, report_packs_tick},
};
static size_t njobs = 8;
/* The housekeeping thread's alone: jobs[i]'s row is known to exist
 * (db_job_claim), and the monotonic time before which it is not due. A job
 * is asked for only once due: a claim of a job not due was, for every job,
 * every tick and every worker, most of an idle server's statements. */
static bool row_known[MAX_JOBS];
static int64_t due_at_ms[MAX_JOBS];

static const struct kefu_conf *hk_conf;
static pthread_t thread;
static bool started; /* written only by the thread that starts and stops */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static bool stop; /* under mu */

int housekeeping_register(const char *name, int interval_ms, housekeeping_fn fn)
{
	if (started || njobs == MAX_JOBS || strlen(name) > 64 || interval_ms <= 0)
		return -1;
	jobs[njobs++] = (struct job){name, interval_ms, fn};
	return 0;
}

static bool stopping(void)
{
	pthread_mutex_lock(&mu);
	bool s = stop;
	pthread_mutex_unlock(&mu);
	return s;
}

/* Sleep one tick, or less when told to stop; true: stop. */
static bool wait_tick(void)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += (long)(HOUSEKEEPING_TICK_MS % 1000) * 1000000L;
	until.tv_sec += HOUSEKEEPING_TICK_MS / 1000 + until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&mu);
	while (!stop && pthread_cond_timedwait(&cv, &mu, &until) != ETIMEDOUT)
		;
	bool s = stop;
	pthread_mutex_unlock(&mu);
	return s;
}

static void *run(void *arg)
{
	(void)arg;
	/* Not its starter's name: profiles and tests tell threads apart by it. */
	pthread_setname_np(pthread_self(), "kefu-housekeep");
	json_thread_init();
	struct kefu_db *db = db_new(hk_conf);
	char owner[128], host[64] = "";
	gethostname(host, sizeof host - 1);
	snprintf(owner, sizeof owner, "%s:%ld", host, (long)getpid());
	while (!wait_tick()) {
		for (size_t i = 0; i < njobs && !stopping(); i++) {
			int64_t now = mono_ms(), due_in = 0;
			if (now < due_at_ms[i])
				continue;
			bool mine = false;
			kefu_err e =
			    db_job_claim(db, jobs[i].name, jobs[i].interval_ms, owner, &row_known[i], &mine, &due_in);
			if (e != KEFU_OK && e != KEFU_E_UNAVAILABLE)
				log_warn("housekeeping", "%s: claim: %s", jobs[i].name, kefu_err_code(e));
			/* Asked again within ASK_MAX_MS whatever the row said: a row moved meanwhile (an operator's
			 * "run it now", a stepped clock) is noticed that soon even for a job of a quarter-hour. */
			if (due_in > jobs[i].interval_ms)
				due_in = jobs[i].interval_ms;
			due_at_ms[i] = now + (due_in < ASK_MAX_MS ? due_in : ASK_MAX_MS);
			if (mine)
				jobs[i].fn(db);
		}
	}
	db_free(db);
	return NULL;
}

int housekeeping_start(const struct kefu_conf *conf)
{
	if (started)
		return 0;
	hk_conf = conf;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&thread, NULL, run, NULL) != 0) {
		log_warn("housekeeping", "cannot start: queues drain and presence applies in other workers only");
		return -1;
	}
	started = true;
	return 0;
}

void housekeeping_stop(void)
{
	if (!started)
		return;
	pthread_mutex_lock(&mu);
	stop = true;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(thread, NULL);
	started = false;
}
