/* system: the database's health and gauges for /healthz and /metrics. */
#include "domain/system.h"

kefu_err system_db_ping(struct kefu_db *db)
{
	return db_ping(db);
}

kefu_err system_metrics_text(struct kefu_db *db, kefu_arena *a, char **text)
{
	return db_metrics_text(db, a, text);
}
