/* api-attachments: downloading an uploaded file, safely (sniffed type, nosniff, never active content inline). */
#include <string.h>

#include "crypto/hash.h"
#include "domain/conversations.h"
#include "domain/sniff.h"
#include "http/auth.h"
#include "http/response.h"
#include "http/router.h"

/*
 * Who may read an attachment: who may read its conversation (docs/openapi.json
 * "Security rules"), and nobody else: 404, whether the id exists or not.
 *
 * An <img src> cannot send X-Visitor-Token, so every attachment has a random
 * access token (128 bits, from the CSPRNG) and its URL carries it:
 * /api/v1/attachments/{id}?t=TOKEN. The URL only ever reaches the two sides
 * of the conversation (in MESSAGE objects), so knowing it is being one of
 * them. Tokens are stored in the clear, unlike session tokens: they unlock
 * data that lives beside them in the same table, so hashing would protect
 * nothing.
 *
 * By id alone, the caller is checked as the conversation's routes check
 * them (conv_find): a signed-in admin of the tenant, the agent the
 * conversation is assigned to, or its visitor (X-Visitor-Token). An agent
 * of the same tenant who may not read the conversation cannot read its
 * files by counting ids either.
 */
static kefu_err authorise(struct kefu_req *r, int64_t id, int64_t *tenant_id)
{
	const char *t = req_query(r, "t");
	if (t != NULL && *t) {
		struct attachment_row a;
		kefu_err e = conv_attachment_by_id(r->db, r->arena, id, &a);
		if (e != KEFU_OK)
			return e;
		size_t n = strlen(a.access_token);
		if (strlen(t) != n || !crypto_equal(t, a.access_token, n))
			return KEFU_E_NOT_FOUND;
		*tenant_id = a.tenant_id;
		return KEFU_OK;
	}
	struct conv_actor who;
	if (r->caller.kind == CALLER_USER)
		who = (struct conv_actor){.kind = CONV_AGENT,
		                          .tenant_id = r->caller.tenant_id,
		                          .user_id = r->caller.user_id,
		                          .admin = r->caller.admin};
	else if (r->caller.kind == CALLER_NONE && r->visitor_token != NULL) {
		kefu_err e = auth_visitor(r);
		if (e == KEFU_E_UNAUTHENTICATED || e == KEFU_E_ORIGIN)
			return KEFU_E_NOT_FOUND;
		if (e != KEFU_OK)
			return e;
		who = (struct conv_actor){
		    .kind = CONV_VISITOR, .tenant_id = r->caller.tenant_id, .visitor_id = r->caller.visitor_id};
	} else
		return KEFU_E_NOT_FOUND;
	struct attachment_row a;
	struct conversation_row c;
	kefu_err e = conv_attachment_get(r->db, r->arena, who.tenant_id, id, false, &a);
	if (e == KEFU_OK)
		e = conv_find(r->db, r->arena, &who, a.conversation_id, &c);
	if (e == KEFU_OK)
		*tenant_id = who.tenant_id;
	return e;
}

/* A filename for the legacy filename= parameter: printable ASCII only. */
static char *ascii_name(kefu_arena *a, const char *name)
{
	char *s = arena_strdup(a, name);
	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e || *p == '"' || *p == '\\' || *p == ';')
			*p = '_';
	return s;
}

/* RFC 5987 attr-chars stay; every other byte is %XX. */
static char *ext_value(kefu_arena *a, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = arena_alloc(a, strlen(name) * 3 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("!#$&+-.^_`|~", *p) != NULL)
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}

static kefu_err download(struct kefu_req *r)
{
	int64_t tenant_id;
	kefu_err e = authorise(r, r->ids[0], &tenant_id);
	struct attachment_row a;
	if (e == KEFU_OK)
		e = conv_attachment_get(r->db, r->arena, tenant_id, r->ids[0], true, &a);
	if (e != KEFU_OK)
		return e;
	const char *etag = arena_printf(r->arena, "\"%s\"", a.sha256);
	resp_header(r, "ETag", etag);
	resp_header(r, "Cache-Control", "private, max-age=86400");
	/* Even if a browser ignored the type, nothing here may run as a page. */
	resp_header(r, "Content-Security-Policy", "default-src 'none'; sandbox");
	bool image = sniff_is_image(a.mime);
	resp_header(r, "Content-Disposition",
	            arena_printf(r->arena, "%s; filename=\"%s\"; filename*=UTF-8''%s", image ? "inline" : "attachment",
	                         ascii_name(r->arena, a.name), ext_value(r->arena, a.name)));
	const char *inm = r->if_none_match;
	if (inm != NULL && (strstr(inm, etag) != NULL || strcmp(inm, "*") == 0))
		return resp_empty(r, 304);
	/* The stored type was sniffed at upload; only the four image types are
	 * ever labelled as what they are. */
	return resp_bytes(r, 200, image ? a.mime : "application/octet-stream", a.data, (size_t)a.size);
}

const struct route api_attachments_routes[] = {
    {"GET", "/api/v1/attachments/{id}", download, AUTH_NONE, BODY_NONE},
    ROUTES_END,
};
