/* retention: each tenant's retention periods and the purge that applies them. */
#include "domain/retention.h"

#include <stdatomic.h>

#include "core/log.h"
#include "store/store-audit.h"
#include "store/store-insight.h"

const char *const retention_keys[] = {"messages_days", "attachments_days", "pageviews_days", "leave_messages_days",
                                      NULL};

static int64_t *field(struct retention_settings *s, size_t i)
{
	int64_t *f[] = {&s->messages_days, &s->attachments_days, &s->pageviews_days, &s->leave_messages_days};
	return f[i];
}

kefu_err retention_check(json_object *in, const struct retention_settings *base, struct retention_settings *out,
                         const char **bad)
{
	*out = *base;
	if (in == NULL || !json_object_is_type(in, json_type_object)) {
		*bad = NULL;
		return KEFU_E_INVALID_FIELD;
	}
	for (size_t i = 0; retention_keys[i]; i++) {
		json_object *v;
		if (!json_object_object_get_ex(in, retention_keys[i], &v))
			continue;
		/* Whole days only: 1.5, "30", true and null are all refused. */
		int64_t d = json_object_get_int64(v);
		if (!json_object_is_type(v, json_type_int) || d < 0 || d > RETENTION_DAYS_MAX) {
			*bad = retention_keys[i];
			return KEFU_E_INVALID_FIELD;
		}
		*field(out, i) = d;
	}
	json_object *m;
	if (json_object_object_get_ex(in, "mask_visitor_address", &m)) {
		if (!json_object_is_type(m, json_type_boolean)) {
			*bad = "mask_visitor_address";
			return KEFU_E_INVALID_FIELD;
		}
		out->mask_visitor_address = json_object_get_boolean(m);
	}
	return KEFU_OK;
}

json_object *retention_json(const struct retention_settings *s)
{
	json_object *o = json_object_new_object();
	struct retention_settings c = *s;
	for (size_t i = 0; retention_keys[i]; i++)
		json_object_object_add(o, retention_keys[i], json_object_new_int64(*field(&c, i)));
	json_object_object_add(o, "mask_visitor_address", json_object_new_boolean(s->mask_visitor_address));
	return o;
}

struct save_ctx {
	kefu_arena *a;
	const struct actor *who;
	const struct retention_settings *s;
};

static kefu_err save_tx(struct kefu_db *db, void *p)
{
	struct save_ctx *c = p;
	struct retention_settings before;
	kefu_err e = db_retention_get(db, c->a, c->who->tenant_id, &before);
	if (e == KEFU_OK)
		e = db_retention_put(db, c->who->tenant_id, c->s);
	if (e != KEFU_OK)
		return e;
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "before", retention_json(&before));
	json_object_object_add(sum, "after", retention_json(c->s));
	return audit_record(db, c->who, "update", "retention", 0, sum);
}

kefu_err retention_save(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct retention_settings *s)
{
	struct save_ctx c = {a, who, s};
	return db_tx(db, save_tx, &c);
}

/* One batch; true when it came back full. Errors are logged and the batch
 * is tried again on a later step (a lock wait with another process's batch,
 * the database gone for a moment). */
static bool batch(const char *what, int64_t tenant_id, kefu_err e, uint64_t done, int64_t limit)
{
	if (e != KEFU_OK) {
		log_warn("retention", "tenant %lld %s: %s", (long long)tenant_id, what, kefu_err_code(e));
		return false;
	}
	if (done > 0)
		log_info("retention", "tenant %lld: %llu %s removed", (long long)tenant_id, (unsigned long long)done,
		         what);
	return done >= (uint64_t)limit;
}

bool retention_purge_step(struct kefu_db *db, int64_t *cursor)
{
	kefu_arena *a = arena_new();
	struct retention_tenant *ts;
	size_t n = 0;
	bool more = false;
	kefu_err e = db_retention_tenants(db, a, *cursor, RETENTION_TENANTS_PER_STEP, &ts, &n);
	if (e != KEFU_OK) {
		log_warn("retention", "tenants: %s", kefu_err_code(e));
		arena_free(a);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct retention_tenant *t = &ts[i];
		uint64_t done = 0;
		if (t->s.messages_days > 0) {
			e = db_retention_batch(db, RETAIN_MESSAGES, t->tenant_id, t->s.messages_days, RETENTION_BATCH,
			                       &done);
			more |= batch("messages", t->tenant_id, e, done, RETENTION_BATCH);
			/* The staff's status history follows the messages' period (docs/privacy.md). */
			done = 0;
			e = db_retention_batch(db, RETAIN_STATUS_LOG, t->tenant_id, t->s.messages_days, RETENTION_BATCH,
			                       &done);
			more |= batch("status changes", t->tenant_id, e, done, RETENTION_BATCH);
		}
		if (t->s.attachments_days > 0) {
			done = 0;
			e = db_retention_batch(db, RETAIN_ATTACHMENTS, t->tenant_id, t->s.attachments_days,
			                       RETENTION_ATTACHMENT_BATCH, &done);
			more |= batch("attachments", t->tenant_id, e, done, RETENTION_ATTACHMENT_BATCH);
		}
		if (t->s.leave_messages_days > 0) {
			done = 0;
			e = db_retention_batch(db, RETAIN_LEAVE_MESSAGES, t->tenant_id, t->s.leave_messages_days,
			                       RETENTION_BATCH, &done);
			more |= batch("leave-messages", t->tenant_id, e, done, RETENTION_BATCH);
		}
		if (t->s.pageviews_days > 0) {
			/* page views go; invitations keep their rows (reports count them) without their text */
			done = 0;
			e = db_pageviews_purge(db, t->tenant_id, t->s.pageviews_days, RETENTION_BATCH, &done);
			more |= batch("pageviews", t->tenant_id, e, done, RETENTION_BATCH);
			done = 0;
			e = db_invitations_purge(db, t->tenant_id, t->s.pageviews_days, RETENTION_BATCH, &done);
			more |= batch("invitations", t->tenant_id, e, done, RETENTION_BATCH);
		}
	}
	/* A full page of tenants: the next step goes on after the last one. */
	if (n == RETENTION_TENANTS_PER_STEP) {
		*cursor = ts[n - 1].tenant_id;
		more = true;
	} else {
		*cursor = 0;
	}
	arena_free(a);
	return more;
}

void retention_tick(struct kefu_db *db)
{
	/* The housekeeping thread is this process's only caller; the job's claim
	 * makes one step run about every RETENTION_BUSY_MS in the installation.
	 * The tenant cursor is this process's: with several workers each walks
	 * the tenants on its own, and every tenant is still reached. */
	static _Atomic int64_t cursor;
	int64_t c = atomic_load(&cursor);
	(void)retention_purge_step(db, &c);
	atomic_store(&cursor, c);
}

kefu_err retention_get(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct retention_settings *out)
{
	return db_retention_get(db, a, tenant_id, out);
}
