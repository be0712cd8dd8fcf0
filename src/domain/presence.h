/* presence: agents away when idle and offline when their workbench falls silent, their conversations handed back
 * through the assignment engine. */
#ifndef KEFU_DOMAIN_PRESENCE_H
#define KEFU_DOMAIN_PRESENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"
#include "store/store-presence.h"

/*
 * The workbench sends a heartbeat every PRESENCE_BEAT_S seconds saying
 * whether its user did anything (keys, clicks) since the last one. The
 * tenant sets two thresholds: away after away_after_s without activity
 * (0: never), offline after offline_after_s without a heartbeat (the tab
 * was closed, the laptop slept, the network went).
 *
 * Workers are stateless, so there is no per-agent timer: a sweep finds the
 * agents past a threshold with one indexed query. It is the housekeeping
 * job "presence_sweep": one worker of all runs it every PRESENCE_SWEEP_MS
 * (domain/housekeeping.h). Each status change it makes is guarded (the
 * agent still due) and each hand-back too (the conversation still the
 * agent's), so sweeps that overlap anyway (a run longer than the interval)
 * change each agent and move each conversation once. Agents whose
 * workbench never beat (API-only agents, scripts) are never swept.
 *
 * Going offline hands each assigned conversation back to its agent group
 * with assign_transfer (the rule's strategy picks another online agent, or
 * it waits in the group's queue); going away keeps them (away agents only
 * stop receiving new ones). Activity after an automatic away brings the
 * agent back online (assign_set_agent_status drains the queues then).
 */
#define PRESENCE_BEAT_S   20
#define PRESENCE_SWEEP_MS 2000

/* offline_after_s below one heartbeat interval would take every open
 * workbench offline between two of its beats. */
#define PRESENCE_OFFLINE_MIN_S PRESENCE_BEAT_S

/* A heartbeat from user_id's workbench; *status: the status afterwards. */
kefu_err presence_beat(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool active,
                       const char **status);

/*
 * The first heartbeat of a workbench page being opened: an offline agent
 * becomes online (and the queues they serve drain to them), so that
 * opening the workbench is starting work, as a support team expects. An
 * agent who is away stays away (their own choice, or idle: activity brings
 * them back as with any beat). *status: the status afterwards.
 */
kefu_err presence_open(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, const char **status);

/* One sweep (errors are logged, not returned). */
void presence_sweep(struct kefu_db *db);

/* The tenant's thresholds (checked by the caller: away 0..86400, offline
 * 2..86400, long wait PRESENCE_LONG_WAIT_MIN..86400) with their audit
 * entry, in one transaction. */
kefu_err presence_settings_set(struct kefu_db *db, const struct actor *who, int64_t away_after_s,
                               int64_t offline_after_s, int64_t long_wait_s);
#define PRESENCE_LONG_WAIT_MIN 5

/* The agent's own alert preferences. */
kefu_err presence_prefs_set(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool alert_sound);

/* ---- what handlers read or write as it is: the store call, behind the domain (HACKING.md, Layers) ---- */

/* As db_presence_settings (store/store-presence.h). */
kefu_err presence_settings_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *away_after_s,
                               int64_t *offline_after_s);

/* As db_presence_long_wait (store/store-presence.h). */
kefu_err presence_long_wait_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *long_wait_s);

/* As db_agent_prefs. */
kefu_err presence_prefs_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool *alert_sound);

/* As db_agent_loads. */
kefu_err presence_loads(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct agent_load_row **rows, size_t *n);

#endif
