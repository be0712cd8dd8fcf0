/* presence: agents away when idle and offline when their workbench falls silent, their conversations handed back
 * through the assignment engine. */
#include "domain/presence.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "domain/assign.h"
#include "store/store-audit.h"
#include "store/store-presence.h"

#define SWEEP_BATCH 100

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

/* Offline: the status first (so the agent is no candidate), then each
 * conversation back to its group. One without a group stays: there is
 * nowhere to send it, and its agent sees it on return. */
static void go_offline(struct kefu_db *db, kefu_arena *a, const struct presence_due *d)
{
	kefu_err e = assign_set_agent_status(db, a, d->tenant_id, d->user_id, "offline", false);
	struct presence_conv *cs;
	size_t n = 0;
	if (e == KEFU_OK)
		e = db_presence_live(db, a, d->tenant_id, d->user_id, &cs, &n);
	for (size_t i = 0; i < n && e == KEFU_OK; i++) {
		if (cs[i].group_id == 0)
			continue;
		const char *bad = NULL;
		struct conversation_row out;
		kefu_err t =
		    assign_transfer(db, a, d->tenant_id, d->user_id, true, cs[i].id, 0, cs[i].group_id, &bad, &out);
		if (t != KEFU_OK)
			log_warn("presence", "conversation %lld of user %lld stays: %s", (long long)cs[i].id,
			         (long long)d->user_id, kefu_err_code(t));
	}
	if (e != KEFU_OK)
		log_warn("presence", "user %lld offline: %s", (long long)d->user_id, kefu_err_code(e));
	else
		log_info("presence", "user %lld offline (no heartbeat), %zu conversation(s) handed back",
		         (long long)d->user_id, n);
}

void presence_sweep(struct kefu_db *db)
{
	static _Atomic long long last;
	long long now = now_ms(), prev = atomic_load(&last);
	if (now - prev < PRESENCE_SWEEP_MS || !atomic_compare_exchange_strong(&last, &prev, now))
		return;
	kefu_arena *a = arena_new();
	struct presence_due *due;
	size_t n = 0;
	kefu_err e = db_presence_due(db, a, SWEEP_BATCH, &due, &n);
	if (e != KEFU_OK)
		log_warn("presence", "sweep: %s", kefu_err_code(e));
	for (size_t i = 0; i < n; i++) {
		if (strcmp(due[i].to, "offline") == 0) {
			go_offline(db, a, &due[i]);
		} else if ((e = assign_set_agent_status(db, a, due[i].tenant_id, due[i].user_id, "away", false)) ==
		           KEFU_OK) {
			db_presence_set_auto_away(db, due[i].tenant_id, due[i].user_id, true);
			log_info("presence", "user %lld away (idle)", (long long)due[i].user_id);
		}
	}
	arena_free(a);
}

struct put_ctx {
	struct kefu_req *r;
	int64_t away, offline;
};

static kefu_err put_tx(struct kefu_db *db, void *p)
{
	struct put_ctx *c = p;
	kefu_err e = db_presence_settings_put(db, c->r->caller.tenant_id, c->away, c->offline);
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "away_after_s", json_object_new_int64(c->away));
	json_object_object_add(sum, "offline_after_s", json_object_new_int64(c->offline));
	return audit_record(c->r, "update", "presence_settings", 0, sum);
}

kefu_err presence_settings_save(struct kefu_req *r, int64_t away_after_s, int64_t offline_after_s)
{
	struct put_ctx c = {.r = r, .away = away_after_s, .offline = offline_after_s};
	return db_tx(r->db, put_tx, &c);
}
