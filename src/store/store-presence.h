/* store-presence: SQL for agents' workbench heartbeats, the tenant's presence thresholds, and the sweep's candidates.
 */
#ifndef KEFU_STORE_PRESENCE_H
#define KEFU_STORE_PRESENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

/* A workbench heartbeat: last_poll_at := now, and last_active_at := now
 * when active. *status is the user's status after it, *auto_away whether
 * the sweep (not the agent) set it away. */
kefu_err db_presence_beat(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool active,
                          const char **status, bool *auto_away);
/* auto_away := on for the user. */
kefu_err db_presence_set_auto_away(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool on);

/* The tenant's thresholds in seconds (defaults 600 and 90 without a row). */
kefu_err db_presence_settings(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *away_after_s,
                              int64_t *offline_after_s);
kefu_err db_presence_settings_put(struct kefu_db *db, int64_t tenant_id, int64_t away_after_s, int64_t offline_after_s);

/* Who the sweep acts on, across tenants (the sweep serves every tenant;
 * each change it then makes is addressed by tenant and user). Only agents
 * whose workbench has sent a heartbeat are considered: API-only agents
 * (scripts, tests) are never swept. to: "away" or "offline". */
struct presence_due {
	int64_t tenant_id, user_id;
	const char *to;
};
kefu_err db_presence_due(struct kefu_db *db, kefu_arena *a, int limit, struct presence_due **rows, size_t *n);

/*
 * The sweep's guarded transitions, inside the status change's transaction:
 * the user's status changes only if it is still what the sweep found
 * (offline: online or away with its heartbeat still older than the tenant's
 * offline threshold; away: online, idle past the away threshold, and then
 * auto_away := 1). *done is true for the one caller whose update matched:
 * two sweeps that found the same agent cannot both act on it.
 */
kefu_err db_presence_take_offline(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool *done);
kefu_err db_presence_take_away(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool *done);

/*
 * Up to limit users (tenant_id, user_id; to = "offline") who are offline,
 * still hold assigned conversations, and whose workbench has been silent for
 * the tenant's offline threshold (one that never beat: offline that long):
 * what a sweep
 * leaves behind when its worker dies between taking an agent offline and
 * handing the work back, an agent who chose offline and closed the
 * workbench, and staff who never open one (an admin who got a conversation
 * while online through the API). A workbench still open (beating) keeps
 * its work whatever the status: its agent may finish it.
 */
kefu_err db_presence_stranded(struct kefu_db *db, kefu_arena *a, int limit, struct presence_due **rows, size_t *n);

/* The agent's assigned conversations (id, group_id), to hand back. */
struct presence_conv {
	int64_t id, group_id;
};
kefu_err db_presence_live(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id,
                          struct presence_conv **rows, size_t *n);

/* How long (s) a conversation may wait unanswered before the workbench
 * marks it; PRESENCE_LONG_WAIT_DEFAULT without a row. */
#define PRESENCE_LONG_WAIT_DEFAULT 60
kefu_err db_presence_long_wait(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *long_wait_s);
kefu_err db_presence_long_wait_put(struct kefu_db *db, int64_t tenant_id, int64_t long_wait_s);

/* The agent's own alert preferences (sound on without a row). */
kefu_err db_agent_prefs(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool *alert_sound);
kefu_err db_agent_prefs_put(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool alert_sound);

/* Each user's number of assigned (live) conversations, by user id; users
 * with none are not listed. */
struct agent_load_row {
	int64_t user_id, active;
};
kefu_err db_agent_loads(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct agent_load_row **rows, size_t *n);

#endif
