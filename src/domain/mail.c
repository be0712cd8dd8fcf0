/* mail: the left-message notification's recipients, queued in the outbox (see mail.h). */
#include "domain/mail.h"

#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "domain/assign.h"
#include "domain/rules.h"
#include "domain/crm.h"
#include "store/store-channels.h"
#include "store/store-conversations.h"
#include "store/store-crm.h"
#include "store/store-groups.h"
#include "store/store-mail.h"
#include "store/store-users.h"
#include "view/mail.h"

/* ids[0..n) of every group's effective members, each once, in a. */
static kefu_err members_of(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, const int64_t *groups, size_t ngroups,
                           int64_t **ids, size_t *n)
{
	size_t cap = 16, k = 0;
	int64_t *v = arena_alloc(a, cap * sizeof *v);
	for (size_t g = 0; g < ngroups; g++) {
		int64_t *m;
		size_t nm;
		kefu_err e = db_group_effective_members(db, a, tenant_id, groups[g], &m, &nm);
		if (e != KEFU_OK)
			return e;
		for (size_t i = 0; i < nm; i++) {
			bool seen = false;
			for (size_t j = 0; j < k && !seen; j++)
				seen = v[j] == m[i];
			if (seen)
				continue;
			if (k == cap) {
				int64_t *w = arena_alloc(a, 2 * cap * sizeof *w);
				memcpy(w, v, k * sizeof *v);
				v = w;
				cap *= 2;
			}
			v[k++] = m[i];
		}
	}
	*ids = v;
	*n = k;
	return KEFU_OK;
}

kefu_err mail_leave_message(struct kefu_db *db, int64_t tenant_id, int64_t channel_id, int64_t leave_id)
{
	kefu_arena *a = arena_new();
	struct rule rule;
	kefu_err e = assign_channel_rule(db, a, tenant_id, channel_id, &rule);
	int64_t *groups = NULL, *ids = NULL;
	const char **paths;
	size_t ngroups = 0, n = 0;
	if (e == KEFU_OK && rule.id != 0)
		ngroups = rule_group_refs(a, &rule, &groups, &paths);
	if (e == KEFU_OK && ngroups > 0)
		e = members_of(db, a, tenant_id, groups, ngroups, &ids, &n);
	struct user_row *to = NULL;
	size_t nto = 0;
	/* No group named: the default pool, every staff member. */
	if (e == KEFU_OK && (ngroups == 0 || n > 0))
		e = db_users_mail_targets(db, a, tenant_id, ngroups == 0 ? NULL : ids, n, &to, &nto);
	for (size_t i = 0; i < nto && e == KEFU_OK; i++) {
		struct mail_row m = {
		    .kind = "leave_message",
		    .ref_id = leave_id,
		    .to_user_id = to[i].id,
		    .to_addr = to[i].email,
		    .to_name = to[i].name,
		    .lang = to[i].lang,
		};
		e = db_mail_queue(db, tenant_id, &m);
	}
	/* The channel's own address, in addition to the members (once: not
	 * when a member already has it). Language NULL: the server's default. */
	struct channel_row ch;
	if (e == KEFU_OK && (e = db_channel_get(db, a, tenant_id, channel_id, &ch)) == KEFU_OK && ch.notify_email) {
		bool dup = false;
		for (size_t i = 0; i < nto && !dup; i++)
			dup = strcasecmp(to[i].email, ch.notify_email) == 0;
		struct mail_row m = {.kind = "leave_message", .ref_id = leave_id, .to_addr = ch.notify_email};
		if (!dup)
			e = db_mail_queue(db, tenant_id, &m);
	}
	arena_free(a);
	return e;
}

void mail_digest_tick(struct kefu_db *db)
{
	kefu_arena *a = arena_new();
	struct digest_due *due;
	size_t n = 0, queued = 0;
	kefu_err e = db_mail_digest_due(db, a, 500, &due, &n);
	for (size_t i = 0; i < n && e == KEFU_OK; i++) {
		bool mine = false;
		e = db_mail_digest_queue(db, &due[i], &mine);
		queued += mine;
	}
	if (e != KEFU_OK)
		log_warn("mail", "leave digest: %s", kefu_err_code(e));
	else if (queued > 0)
		log_info("mail", "leave digest: %zu queued", queued);
	arena_free(a);
}

struct transcript_req {
	int64_t tenant_id, visitor_id, conv_id;
	const char *addr, *lang;
	struct fault *f;
};

static kefu_err transcript_tx(struct kefu_db *db, void *arg)
{
	struct transcript_req *q = arg;
	kefu_arena *a = arena_new();
	struct conversation_row c;
	int64_t n = 0;
	kefu_err e = db_conversation_get(db, a, q->tenant_id, q->conv_id, true, &c);
	if (e == KEFU_OK && c.visitor_id != q->visitor_id)
		e = KEFU_E_NOT_FOUND; /* another visitor's conversation does not exist for this one */
	else if (e == KEFU_OK && strcmp(c.status, "closed") != 0)
		e = fault_set(q->f, KEFU_E_CONFLICT, NULL,
		              "The transcript can be mailed once the conversation is closed.");
	else if (e == KEFU_OK && (e = db_mail_count(db, a, q->tenant_id, "transcript", q->conv_id, &n)) == KEFU_OK &&
	         n >= MAIL_TRANSCRIPT_MAX)
		e = fault_set(q->f, KEFU_E_RATE_LIMITED, NULL,
		              "This conversation's transcript was mailed often enough.");
	if (e == KEFU_OK) {
		struct mail_row m = {.kind = "transcript", .ref_id = q->conv_id, .to_addr = q->addr, .lang = q->lang};
		e = db_mail_queue(db, q->tenant_id, &m);
	}
	arena_free(a);
	return e;
}

kefu_err mail_transcript_request(struct kefu_db *db, int64_t tenant_id, int64_t visitor_id, int64_t conv_id,
                                 const char *addr, const char *lang, struct fault *f)
{
	if (addr == NULL || !mail_addr_ok(addr))
		return fault_set(f, KEFU_E_INVALID_FIELD, "email", "Not an e-mail address kefu can send to.");
	struct transcript_req q = {tenant_id, visitor_id, conv_id, addr, lang, f};
	return db_tx(db, transcript_tx, &q);
}

const char *mail_visitor_address(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, int64_t visitor_id)
{
	int64_t rid = 0;
	struct crm_record rec;
	if (db_crm_visitor_record(db, a, tenant_id, visitor_id, &rid) != KEFU_OK ||
	    db_crm_record_get(db, a, tenant_id, rid, &rec) != KEFU_OK)
		return NULL;
	const char *addr = crm_record_text(a, &rec, "email");
	return addr && mail_addr_ok(addr) ? addr : NULL;
}
