/* housekeeping: one detached thread per process running the periodic queue drain and presence sweep. */
#include "domain/housekeeping.h"

#include <pthread.h>
#include <time.h>

#include "core/log.h"
#include "domain/assign.h"
#include "domain/presence.h"
#include "domain/retention.h"
#include "store/db.h"

#define HOUSEKEEPING_MS 2000

static const struct kefu_conf *hk_conf;

static void *run(void *arg)
{
	(void)arg;
	struct kefu_db *db = db_new(hk_conf);
	for (;;) {
		struct timespec ts = {HOUSEKEEPING_MS / 1000, (HOUSEKEEPING_MS % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		assign_tick(db);
		presence_sweep(db);
		retention_tick(db); /* bounded batches; safe in every process at once */
	}
	return NULL;
}

static void start_once(void)
{
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, run, NULL) != 0)
		log_warn("housekeeping", "cannot start: queues drain and presence applies on requests only");
	pthread_attr_destroy(&attr);
}

void housekeeping_start(const struct kefu_conf *conf)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	hk_conf = conf;
	pthread_once(&once, start_once);
}
