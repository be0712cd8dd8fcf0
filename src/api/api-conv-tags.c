/* api-conv-tags: tags on conversations from the workbench (list, add, remove), the tag vocabulary agents pick from,
 * and /admin/tags, the vocabulary as an admin resource. */
#include <json-c/json.h>

#include "api/conv-actions.h"
#include "api/resource.h"
#include "core/json-doc.h"
#include "domain/tags.h"
#include "http/response.h"
#include "http/router.h"
#include "view/json.h"

/* The console's form (/console/tags): a name and a colour. */
const struct resource res_tags =
    RESOURCE("/api/v1/admin/tags", &tag_ops,
             .form = (const struct form_field[]){{"name", FORM_TEXT}, {"color", FORM_TEXT_OR_NULL}, {NULL, 0}});

static kefu_err items(struct kefu_req *r, const struct tag_row *rows, size_t n, bool with_count)
{
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(list, tag_json(&rows[i], with_count));
	return resp_json(r, 200, json_items(list));
}

static kefu_err vocabulary(struct kefu_req *r)
{
	struct tag_row *rows;
	size_t n;
	kefu_err e = tag_vocabulary(r->db, r->arena, r->caller.tenant_id, &rows, &n);
	return e != KEFU_OK ? e : items(r, rows, n, true);
}

static kefu_err list(struct kefu_req *r)
{
	struct conv_actor who = conv_agent_actor(r);
	struct tag_row *rows;
	size_t n;
	kefu_err e = conv_tags(r->db, r->arena, &who, r->ids[0], &rows, &n);
	return e != KEFU_OK ? e : items(r, rows, n, false);
}

/* POST {"name"} (a new name joins the vocabulary) or {"tag_id"}: 201 with the
 * TAG when added, 200 when the conversation already had it. */
static kefu_err add(struct kefu_req *r)
{
	const char *name = NULL, *bad = NULL;
	int64_t tag_id = 0;
	bool has_id = false;
	kefu_err e = jb_id(r->json, "tag_id", false, &tag_id, &has_id, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "name", !has_id, 1, 1000, &name, &bad);
	if (e == KEFU_OK && has_id && name != NULL)
		return req_fail(r, KEFU_E_INVALID_FIELD, "name", "Give a name or a tag_id, not both.");
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	struct conv_actor who = conv_agent_actor(r);
	struct tag_row t;
	bool added = false;
	e = conv_tag_add(r->db, r->arena, &who, r->ids[0], tag_id, name, &t, &added);
	if (e == KEFU_E_INVALID_FIELD)
		return req_fail(r, e, has_id ? "tag_id" : "name", NULL);
	return e != KEFU_OK ? e : resp_json(r, added ? 201 : 200, tag_json(&t, false));
}

static kefu_err remove_tag(struct kefu_req *r)
{
	struct conv_actor who = conv_agent_actor(r);
	kefu_err e = conv_tag_remove(r->db, r->arena, &who, r->ids[0], r->ids[1]);
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

const struct route api_conv_tags_routes[] = {
    {"GET", "/api/v1/agent/tags", vocabulary, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/agent/conversations/{id}/tags", list, AUTH_STAFF, BODY_NONE},
    {"POST", "/api/v1/agent/conversations/{id}/tags", add, AUTH_STAFF, BODY_JSON},
    {"DELETE", "/api/v1/agent/conversations/{id}/tags/{tag_id}", remove_tag, AUTH_STAFF, BODY_NONE},
    ROUTES_END,
};
