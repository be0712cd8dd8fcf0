/* housekeeping: the periodic work every worker process does, whatever requests arrive. */
#ifndef KEFU_HOUSEKEEPING_H
#define KEFU_HOUSEKEEPING_H

#include "core/conf.h"

/*
 * Start the process's housekeeping thread (at start-up; later calls do
 * nothing). Every two seconds, on its own connection, it drains queues whose
 * groups opened or whose agents have room (assign_tick) and applies agents'
 * presence thresholds (presence_sweep). Both are safe in any number of
 * processes at once: each decision is its own locked transaction, and each
 * rate-limits itself per process. conf must live as long as the process.
 */
void housekeeping_start(const struct kefu_conf *conf);

#endif
