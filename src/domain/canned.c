/* canned: canned replies: validation and saving (tenant-wide ones audited), shared by the API and the console. */
#include "domain/canned.h"

#include <string.h>

#include "http/json-body.h"
#include "store/store-audit.h"

/* shortcut: what follows "/" in the workbench input, so one word: no
 * spaces or control characters, 1..64 code points; title defaults to it. */
kefu_err canned_check(struct kefu_req *r, json_object *in, const struct canned_row *base, struct canned_row *out)
{
	const char *bad = NULL, *shortcut = NULL, *title = NULL, *text = NULL;
	bool create = base == NULL;
	if (base)
		*out = *base;
	kefu_err e = jb_string(in, "shortcut", create, 1, 64, &shortcut, &bad);
	if (e == KEFU_OK && shortcut) {
		for (const unsigned char *p = (const unsigned char *)shortcut; *p; p++)
			if (*p <= 0x20 || *p == 0x7f || *p == '/')
				return req_fail(r, KEFU_E_INVALID_FIELD, "shortcut",
				                "One word, without spaces or slashes.");
		out->shortcut = shortcut;
	}
	if (e == KEFU_OK)
		e = jb_string(in, "title", false, 1, 200, &title, &bad);
	if (e == KEFU_OK)
		e = jb_string(in, "text", create, 1, 5000, &text, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	if (text) {
		if (strspn(text, " \t\r\n") == strlen(text))
			return req_fail(r, KEFU_E_INVALID_FIELD, "text", "The reply is empty.");
		out->text = text;
	}
	if (title)
		out->title = title;
	else if (create)
		out->title = out->shortcut;
	return KEFU_OK;
}

struct write_ctx {
	struct kefu_req *r;
	struct canned_row c;
	char action; /* c u d */
};

static kefu_err write_tx(struct kefu_db *db, void *p)
{
	struct write_ctx *w = p;
	int64_t t = w->r->caller.tenant_id;
	kefu_err e = w->action == 'c'   ? db_canned_create(db, t, &w->c, &w->c.id)
	             : w->action == 'u' ? db_canned_update(db, t, &w->c)
	                                : db_canned_delete(db, t, w->c.owner_user_id, w->c.id);
	if (e != KEFU_OK || w->c.owner_user_id != 0)
		return e;
	/* Tenant-wide replies are admin settings: audited. */
	json_object *sum = json_object_new_object();
	json_object_object_add(sum, "shortcut", json_object_new_string(w->c.shortcut));
	return audit_record(db, &w->r->actor,
	                    w->action == 'c'   ? "create"
	                    : w->action == 'u' ? "update"
	                                       : "delete",
	                    "canned_reply", w->c.id, sum);
}

kefu_err canned_save(struct kefu_req *r, char action, struct canned_row *c)
{
	struct write_ctx w = {.r = r, .c = *c, .action = action};
	kefu_err e = db_tx(r->db, write_tx, &w);
	c->id = w.c.id;
	return e;
}
