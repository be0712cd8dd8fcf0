/* canned: canned replies: validation and saving (tenant-wide ones audited), shared by the API and the console. */
#ifndef KEFU_DOMAIN_CANNED_H
#define KEFU_DOMAIN_CANNED_H

#include <json-c/json.h>

#include "core/err.h"
#include "domain/crud.h"
#include "store/store-canned.h"

/* The most replies a list returns. */
#define CANNED_LIST_MAX 200

/*
 * The admin resource (domain/crud.h): the tenant-wide replies (an agent's
 * own are NOT_FOUND through it), listed by shortcut and searched by c->q,
 * audited as "canned_reply" with the shortcut. Its check reads a POST
 * (base NULL) or PATCH body: shortcut (one word, 1..64, no spaces or
 * slashes: what follows "/" in the composer), title (1..200, default the
 * shortcut), text (1..5000, not blank). crud_write with canned_ops writes
 * an agent's own reply too (owner_user_id set), unaudited.
 */
extern const struct crud_ops canned_ops;
kefu_err canned_check(const struct crud_ctx *c, json_object *in, const struct canned_row *base, struct canned_row *out);
/* The workbench's list (/agent/canned-replies): the tenant's replies and
 * c->who's own, searched by c->q (a leading "/" as typed is dropped), at
 * most CANNED_LIST_MAX, as a new {"items": [...]}. */
kefu_err canned_agent_list(const struct crud_ctx *c, json_object **out);
/* Reply id as c->who sees it: a tenant-wide one or their own (another
 * user's is NOT_FOUND); with own, only their own: a tenant-wide one is
 * FORBIDDEN (admins manage those), with c->fault's message. */
kefu_err canned_agent_row(const struct crud_ctx *c, int64_t id, bool own, struct canned_row *out);
/* The API object (new, caller owns). */
json_object *canned_json(const struct canned_row *c);

#endif
