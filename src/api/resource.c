/* resource: the generic REST handlers every admin resource descriptor is served by. */
#include "api/resource.h"

#include <assert.h>
#include <stddef.h>

#include "http/app.h"
#include "http/response.h"

struct crud_ctx resource_ctx(struct kefu_req *r, struct fault *fault)
{
	return (struct crud_ctx){
	    .db = r->db,
	    .a = r->arena,
	    .who = &r->actor,
	    .fault = fault,
	    .q = req_query(r, "q"),
	    .egress = r->app ? r->app->webhook_allow : NULL,
	};
}

kefu_err resource_fail(struct kefu_req *r, kefu_err e, const struct fault *fault)
{
	if (fault->field == NULL && fault->message == NULL)
		return e;
	return req_fail_fault(r, e, fault);
}

/* The descriptor whose routes[slot] r was routed to. */
static const struct resource *res_of(const struct kefu_req *r, enum resource_route slot)
{
	const struct resource *res =
	    (const struct resource *)((const char *)(r->route - slot) - offsetof(struct resource, routes));
	assert(res->routes[slot].handler == r->route->handler);
	return res;
}

static const struct crud_ops *ops_of(const struct kefu_req *r, enum resource_route slot)
{
	return res_of(r, slot)->ops;
}

/* The context, with a nested resource's parent from the path. */
static struct crud_ctx ctx_of(struct kefu_req *r, enum resource_route slot, struct fault *fault)
{
	struct crud_ctx c = resource_ctx(r, fault);
	if (res_of(r, slot)->nested)
		c.parent_id = r->ids[0];
	return c;
}

/* The item's id: the path's last. */
static int64_t item_id(const struct kefu_req *r, enum resource_route slot)
{
	return r->ids[res_of(r, slot)->nested ? 1 : 0];
}

kefu_err resource_list(struct kefu_req *r)
{
	struct fault f = {0};
	struct crud_ctx c = ctx_of(r, RES_LIST, &f);
	json_object *o;
	kefu_err e = crud_list(&c, ops_of(r, RES_LIST), &o);
	return e != KEFU_OK ? resource_fail(r, e, &f) : resp_json(r, 200, o);
}

kefu_err resource_get(struct kefu_req *r)
{
	struct fault f = {0};
	struct crud_ctx c = ctx_of(r, RES_GET, &f);
	json_object *o;
	kefu_err e = crud_get(&c, ops_of(r, RES_GET), item_id(r, RES_GET), &o);
	return e != KEFU_OK ? resource_fail(r, e, &f) : resp_json(r, 200, o);
}

/* POST (id 0) and PATCH: the body may be empty (a PATCH changing nothing). */
static kefu_err save(struct kefu_req *r, enum resource_route slot, int64_t id, int status)
{
	struct fault f = {0};
	struct crud_ctx c = ctx_of(r, slot, &f);
	json_object *o = NULL;
	kefu_err e = crud_save(&c, ops_of(r, slot), r->json, &id, &o);
	return e != KEFU_OK ? resource_fail(r, e, &f) : resp_json(r, status, o);
}

kefu_err resource_create(struct kefu_req *r)
{
	return save(r, RES_CREATE, 0, 201);
}

kefu_err resource_update(struct kefu_req *r)
{
	return save(r, RES_UPDATE, item_id(r, RES_UPDATE), 200);
}

kefu_err resource_delete(struct kefu_req *r)
{
	struct fault f = {0};
	struct crud_ctx c = ctx_of(r, RES_DELETE, &f);
	kefu_err e = crud_remove(&c, ops_of(r, RES_DELETE), item_id(r, RES_DELETE));
	return e != KEFU_OK ? resource_fail(r, e, &f) : resp_empty(r, 204);
}
