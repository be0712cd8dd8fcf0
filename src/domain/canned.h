/* canned: canned replies: validation and saving (tenant-wide ones audited), shared by the API and the console. */
#ifndef KEFU_DOMAIN_CANNED_H
#define KEFU_DOMAIN_CANNED_H

#include <json-c/json.h>

#include "core/err.h"
#include "http/request.h"
#include "store/store-canned.h"

/* Check a POST (base NULL) or PATCH body into out: shortcut (one word,
 * 1..64, no spaces or slashes: what follows "/" in the composer), title
 * (1..200, default the shortcut), text (1..5000, not blank). On a bad field
 * returns req_fail(r, KEFU_E_INVALID_FIELD, field, message). */
kefu_err canned_check(struct kefu_req *r, json_object *in, const struct canned_row *base, struct canned_row *out);

/* Create ('c', sets c->id), update ('u') or delete ('d') c in r's tenant, in
 * one transaction with an audit entry when it is tenant-wide. */
kefu_err canned_save(struct kefu_req *r, char action, struct canned_row *c);

#endif
