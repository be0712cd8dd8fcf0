/* presence: agents away when idle and offline when their workbench falls silent, their conversations handed back
 * through the assignment engine. */
#include "domain/presence.h"

#include <string.h>

#include "core/log.h"
#include "domain/assign.h"
#include "domain/org-read.h"
#include "store/store-audit.h"
#include "store/store-presence.h"

#define SWEEP_BATCH 100

kefu_err presence_beat(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool active,
                       const char **status)
{
	bool auto_away = false;
	kefu_err e = db_presence_beat(db, a, tenant_id, user_id, active, status, &auto_away);
	if (e != KEFU_OK)
		return e;
	if (active && auto_away && strcmp(*status, "away") == 0) {
		if ((e = assign_set_agent_status(db, a, tenant_id, user_id, "online", false)) != KEFU_OK)
			return e;
		*status = "online";
	}
	if (auto_away && strcmp(*status, "away") != 0)
		e = db_presence_set_auto_away(db, tenant_id, user_id, false);
	return e;
}

kefu_err presence_open(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, const char **status)
{
	struct user_row u;
	kefu_err e = org_user_row(db, a, tenant_id, user_id, &u);
	*status = e == KEFU_OK && u.status ? u.status : "offline";
	if (e != KEFU_OK || strcmp(*status, "offline") != 0)
		return e;
	if ((e = assign_set_agent_status(db, a, tenant_id, user_id, "online", false)) == KEFU_OK)
		*status = "online";
	return e;
}

/* Each conversation of an agent this sweep took offline back to its group
 * (one without a group, from the default pool, to the pool: every staff
 * member). assign_hand_back leaves alone one that is no longer the
 * agent's, so even a sweep racing this one cannot hand it back twice. */
static void hand_back(struct kefu_db *db, kefu_arena *a, const struct presence_due *d)
{
	struct presence_conv *cs;
	size_t n = 0, moved = 0;
	kefu_err e = db_presence_live(db, a, d->tenant_id, d->user_id, &cs, &n);
	for (size_t i = 0; i < n && e == KEFU_OK; i++) {
		bool did = false;
		kefu_err t = assign_hand_back(db, a, d->tenant_id, d->user_id, cs[i].id, cs[i].group_id, &did);
		if (t != KEFU_OK)
			log_warn("presence", "conversation %lld of user %lld stays: %s", (long long)cs[i].id,
			         (long long)d->user_id, kefu_err_code(t));
		moved += did;
	}
	if (e != KEFU_OK)
		log_warn("presence", "user %lld offline: %s", (long long)d->user_id, kefu_err_code(e));
	else
		log_info("presence", "user %lld offline (no heartbeat), %zu conversation(s) handed back",
		         (long long)d->user_id, moved);
}

void presence_sweep(struct kefu_db *db)
{
	kefu_arena *a = arena_new();
	struct presence_due *due;
	size_t n = 0;
	kefu_err e = db_presence_due(db, a, SWEEP_BATCH, &due, &n);
	if (e != KEFU_OK)
		log_warn("presence", "sweep: %s", kefu_err_code(e));
	/* Every status first, then the hand-backs: an agent leaving in this
	 * sweep is then no candidate for another's conversations. Each change is
	 * guarded (still due?), so only the sweep that made it acts on it. */
	bool *mine = arena_calloc(a, n ? n : 1, sizeof *mine);
	for (size_t i = 0; i < n; i++) {
		bool offline = strcmp(due[i].to, "offline") == 0;
		if ((e = assign_sweep_agent(db, a, due[i].tenant_id, due[i].user_id, offline, &mine[i])) != KEFU_OK)
			log_warn("presence", "user %lld %s: %s", (long long)due[i].user_id, due[i].to,
			         kefu_err_code(e));
		else if (mine[i] && !offline)
			log_info("presence", "user %lld away (idle)", (long long)due[i].user_id);
	}
	for (size_t i = 0; i < n; i++)
		if (mine[i] && strcmp(due[i].to, "offline") == 0)
			hand_back(db, a, &due[i]);
	/* A worker that died between an agent's status change and its hand-back
	 * left that agent offline with work: hand it back now. The same guard
	 * holds, so a sweep still running elsewhere moves nothing twice. */
	if ((e = db_presence_stranded(db, a, SWEEP_BATCH, &due, &n)) != KEFU_OK)
		log_warn("presence", "stranded: %s", kefu_err_code(e));
	for (size_t i = 0; e == KEFU_OK && i < n; i++)
		hand_back(db, a, &due[i]);
	arena_free(a);
}

struct put_ctx {
	const struct actor *who;
	int64_t away, offline, long_wait;
};

static kefu_err put_tx(struct kefu_db *db, void *p)
{
	struct put_ctx *c = p;
	kefu_err e = db_presence_settings_put(db, c->who->tenant_id, c->away, c->offline);
	if (e == KEFU_OK)
		e = db_presence_long_wait_put(db, c->who->tenant_id, c->long_wait);
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "away_after_s", json_object_new_int64(c->away));
	json_object_object_add(sum, "offline_after_s", json_object_new_int64(c->offline));
	json_object_object_add(sum, "long_wait_s", json_object_new_int64(c->long_wait));
	return audit_record(db, c->who, "update", "presence_settings", 0, sum);
}

kefu_err presence_settings_set(struct kefu_db *db, const struct actor *who, int64_t away_after_s,
                               int64_t offline_after_s, int64_t long_wait_s)
{
	struct put_ctx c = {.who = who, .away = away_after_s, .offline = offline_after_s, .long_wait = long_wait_s};
	return db_tx(db, put_tx, &c);
}

kefu_err presence_prefs_set(struct kefu_db *db, int64_t tenant_id, int64_t user_id, bool alert_sound)
{
	return db_agent_prefs_put(db, tenant_id, user_id, alert_sound);
}

kefu_err presence_long_wait_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *long_wait_s)
{
	return db_presence_long_wait(db, a, tenant_id, long_wait_s);
}

kefu_err presence_prefs_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t user_id, bool *alert_sound)
{
	return db_agent_prefs(db, a, tenant_id, user_id, alert_sound);
}

kefu_err presence_loads(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct agent_load_row **rows, size_t *n)
{
	return db_agent_loads(db, a, tenant_id, rows, n);
}

kefu_err presence_settings_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t *away_after_s,
                               int64_t *offline_after_s)
{
	return db_presence_settings(db, a, tenant_id, away_after_s, offline_after_s);
}
