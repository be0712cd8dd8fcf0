/* api-visitor-insight: visitor insight (docs/visitor-insight.md): page views, the visitor's own stream, the live
 * list, the visitor profile, invitations, and the channels' proactive triggers. */
#include <json-c/json.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "api/events-poll.h"
#include "api/resource.h"
#include "core/json-doc.h"
#include "domain/conversations.h"
#include "domain/insight.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/longpoll.h"
#include "http/parked.h"
#include "http/response.h"
#include "http/router.h"
#include "http/routes.h"
#include "http/server.h"
#include "view/insight-json.h"
#include "view/json.h"

/* Most events one poll answer carries; the client asks again from "next". */
#define EVENTS_PAGE 100
/* The live list's page: default and most. */
#define LIVE_PAGE     50
#define LIVE_PAGE_MAX 200

static const struct visitor_row *me(const struct kefu_req *r)
{
	return &r->caller.visitor->v;
}

/* 201 with what was made: {"id": id}, and its "status" where one is given. */
static kefu_err created(struct kefu_req *r, int64_t id, const char *status)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	if (status != NULL)
		json_object_object_add(o, "status", json_object_new_string(status));
	return resp_json(r, 201, o);
}

/* A page view written (or not): its caller checked on the row its write answered, as for any widget call, and a view
 * the procedure did not write (tracking off, or an origin it did not find listed) goes the way it went before:
 * forbidden, or written on its own. */
static kefu_err pageview_answer(struct kefu_req *r, kefu_err e, const struct pageview_in *in, struct visitor_auth *va,
                                bool found, const struct insight_view *v)
{
	if ((e = auth_visitor_read(r, e != KEFU_OK ? e : found ? KEFU_OK : KEFU_E_NOT_FOUND, va)) != KEFU_OK)
		return e;
	int64_t id = v->id;
	if (v->limited) {
		r->retry_after = v->retry_after;
		e = KEFU_E_RATE_LIMITED;
	} else if (!v->recorded)
		e = insight_pageview(r->db, r->arena, me(r), va->tracking, va->triggers_rev, in, &id, &r->retry_after);
	if (e == KEFU_E_FORBIDDEN)
		return req_fail(r, e, NULL, "This channel does not track visitors.");
	return e != KEFU_OK ? e : created(r, id, NULL);
}

/* A parked page view written, on the batch's thread: answered as its accept thread would have answered it. */
static void pageview_written(void *ctx, struct kefu_db *db, kefu_arena *a, kefu_err e, const struct pageview_in *in,
                             struct visitor_auth *va, bool found, const struct insight_view *v)
{
	struct parked *p = ctx;
	struct kefu_req r = parked_req(p, a);
	r.db = db;
	parked_answer(p, &r, pageview_answer(&r, e, in, va, found, v));
}

/*
 * Its token is read in the page view's own write (insight_pageview_token):
 * with the token read first, a view was two waits and wake-ups of its thread.
 * And the view is parked: the page views' batch thread writes it with the
 * others that arrive meanwhile, in one round trip, and answers it, while this
 * thread goes back to accept the next request rather than sleep through the
 * write and be woken for it (README, "A seventh pass").
 */
kefu_err api_visitor_pageview(struct kefu_req *r)
{
	char hash[65];
	kefu_err e = auth_visitor_token(r, hash);
	if (e != KEFU_OK)
		return e;
	struct pageview_in in = {.user_agent = req_user_agent(r), .address = r->remote_addr};
	const char *bad = NULL;
	if (r->json != NULL && !json_object_is_type(r->json, json_type_object))
		e = KEFU_E_INVALID_JSON;
	if (e == KEFU_OK)
		e = jb_string(r->json, "url", true, 1, 2000, &in.url, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "title", false, 0, 500, &in.title, &bad);
	if (e == KEFU_OK)
		e = jb_string(r->json, "referrer", false, 0, 2000, &in.referrer, &bad);
	if (e != KEFU_OK) {
		kefu_err who = auth_visitor(r); /* as on any widget route, a bad token answers before a bad body */
		if (who != KEFU_OK)
			return who;
		return e == KEFU_E_INVALID_JSON ? e : req_fail(r, e, bad, NULL);
	}
	if (in.referrer != NULL && in.referrer[0] == '\0')
		in.referrer = NULL;
	const char *origin = auth_origin_open(r) ? NULL : r->origin;
	struct parked *p = parked_take(r);
	if (insight_pageview_token_park(r->db, hash, origin, &in, pageview_written, p))
		return KEFU_OK;
	parked_undo(r, p); /* too many parked already: this one is written on its thread */
	struct visitor_auth *va = arena_alloc(r->arena, sizeof *va);
	bool found = false;
	struct insight_view v;
	e = insight_pageview_token(r->db, r->arena, hash, origin, &in, va, &found, &v);
	return pageview_answer(r, e, &in, va, found, &v);
}

/*
 * The page views' socket, taken by their batcher's thread (insight_pageview_
 * intake): a view sent there is parsed and parked on that thread, which
 * writes it with the batch it is about to take, instead of a request thread
 * woken from accept() to park it and the batcher woken again for it (about
 * 20 µs a request in the sixth pass's measure of the polls' socket; README,
 * "An eighth pass").
 */
#define PAGEVIEW_TAKE_MAX 1024 /* connections taken a turn; the rest wait in the socket's queue for the next */

static struct conn_intake pageview_intake = {.listen_fd = -1, .pageviews = true};
static const struct kefu_app *pageview_app;

static void take_pageviews(void *arg, struct kefu_db *db, kefu_arena *a, int wait_ms)
{
	struct conn_intake *in = arg;
	if (wait_ms > 0) {
		struct pollfd p = {.fd = in->listen_fd, .events = POLLIN};
		(void)poll(&p, 1, wait_ms);
	}
	server_serve_waiting(in, pageview_app, db, a, PAGEVIEW_TAKE_MAX);
}

void api_pageviews_take_from(int fd, const struct kefu_app *app)
{
	pageview_app = app;
	pageview_intake.listen_fd = fd;
	insight_pageview_intake(&app->conf, take_pageviews, &pageview_intake);
}

static kefu_err leave(struct kefu_req *r)
{
	kefu_err e = insight_leave(r->db, me(r));
	return e != KEFU_OK ? e : resp_empty(r, 204);
}

static kefu_err fetch(struct kefu_req *r, const struct poll_args *args, bool final, bool *answered)
{
	json_object *events;
	int64_t next;
	kefu_err e = insight_visitor_events(r->db, r->arena, args->tenant_id, args->id, args->after, EVENTS_PAGE,
	                                    &events, &next);
	return e != KEFU_OK ? e : events_poll_answer(r, events, next, final, answered);
}

/* The final answer of a poll whose stream has nothing after its cursor, as fetch gives it, without the read. */
static kefu_err empty(struct kefu_req *r, const struct poll_args *args)
{
	bool answered;
	return events_poll_answer(r, json_object_new_array(), args->after, true, &answered);
}

/*
 * How long a visitor's empty poll waits: until the latest instant within the
 * wait that lies a whole number of fifths of the wait from the visitor's own
 * phase (a point in the fifth fixed by the visitor's id), less a random trim
 * of up to a fifth of that fifth (at most 1 s): 20 to 25 s for wait=25,
 * different from visitor to visitor. Every answered poll is asked again at
 * once on a new connection; tens of thousands of browsing visitors whose
 * polls were parked together (a burst of arrivals, a worker that stalled)
 * would otherwise come back together every wait, and a wave larger than the
 * worker socket's queue fails in the web server (deploy/README.md,
 * "Long-polls and file descriptors"). A poll asked again at once is at most
 * a trim before its phase, which counts as on it: it waits the whole wait
 * less the larger of its trim and the one before (about 24.3 s of 25 on
 * average, against 22.5 when a random 0 to 5 s came off each wait: a
 * twelfth fewer requests). The trim keeps polls answered together (after a
 * stall) from coming back at one instant at every wait for ever, which the
 * phase alone would do. An empty answer before the wait is what a poll may
 * always get. Returns whole seconds, *trim_ms coming off them.
 */
static int phased_wait(int64_t visitor_id, int wait_s, int *trim_ms)
{
	*trim_ms = 0;
	if (wait_s < 5)
		return wait_s;
	int64_t period = (int64_t)(wait_s / 5) * 1000, wait_ms = (int64_t)wait_s * 1000;
	int64_t slack = period < 5000 ? period / 5 : 1000; /* the largest trim */
	uint64_t h = (uint64_t)visitor_id * 0x9E3779B97F4A7C15u;
	h ^= h >> 29;
	int64_t phase = (int64_t)(h % (uint64_t)period);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	int64_t latest = now + wait_ms + slack;
	int64_t end = latest - ((latest - phase) % period + period) % period;
	uint64_t j = (h ^ (uint64_t)ts.tv_nsec) * 0xC2B2AE3D27D4EB4Fu;
	end -= (int64_t)((j >> 33) % (uint64_t)slack);
	int64_t ms = end - now < wait_ms ? end - now : wait_ms;
	int s = (int)((ms + 999) / 1000);
	*trim_ms = (int)((int64_t)s * 1000 - ms);
	return s;
}

/* The visitor's own stream, parked as the agent stream is (http/longpoll.h):
 * an invitation wakes it within one tailer tick. Holding it keeps the
 * visitor live. The one route the poll socket serves (http/routes.h). */
kefu_err api_visitor_events(struct kefu_req *r)
{
	int64_t after;
	int wait_s;
	kefu_err e = events_poll_params(r, &after, &wait_s);
	if (e != KEFU_OK)
		return e;
	/* Its caller resolved by the tailer with the other polls of its tick, in one read (a browsing visitor's poll
	 * costs no round trip of its own); one that answers at once (wait 0) here. */
	if (r->caller.kind != CALLER_VISITOR) {
		if (wait_s > 0 && longpoll_defer(r, api_visitor_events))
			return KEFU_OK;
		if ((e = auth_visitor(r)) != KEFU_OK)
			return e;
	}
	const struct visitor_row *v = me(r);
	int trim_ms;
	wait_s = phased_wait(v->id, wait_s, &trim_ms);
	e = insight_poll(r->db, r->arena, v, r->caller.visitor->tracking, r->caller.visitor->live_ms, wait_s);
	if (e == KEFU_E_FORBIDDEN)
		return req_fail(r, e, NULL, "This channel does not track visitors.");
	if (e != KEFU_OK)
		return e;
	struct poll_args args = {.stream = POLL_VISITOR,
	                         .tenant_id = v->tenant_id,
	                         .id = v->id,
	                         .after = after,
	                         .wait_s = wait_s,
	                         .trim_ms = trim_ms,
	                         .caller_id = v->id,
	                         .whole_stream = true,
	                         .empty = empty};
	return longpoll_serve(r, &args, fetch);
}

static kefu_err dismiss(struct kefu_req *r)
{
	struct invitation_row inv;
	kefu_err e = insight_dismiss(r->db, r->arena, me(r), r->ids[0], &inv);
	if (e != KEFU_OK)
		return e;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(inv.id));
	json_object_object_add(o, "status", json_object_new_string(inv.status));
	return resp_json(r, 200, o);
}

static kefu_err live(struct kefu_req *r)
{
	int64_t limit;
	kefu_err e = req_query_int(r, "limit", 1, LIVE_PAGE_MAX, LIVE_PAGE, &limit);
	if (e != KEFU_OK)
		return e;
	const char *cursor = req_query(r, "cursor");
	if (cursor != NULL && cursor[0] == '\0')
		cursor = NULL;
	struct live_row *rows;
	size_t n;
	const char *next;
	e = insight_live(r->db, r->arena, &r->actor, cursor, (int)limit, &rows, &n, &next);
	if (e == KEFU_E_INVALID_FIELD)
		return req_fail(r, e, "cursor", NULL);
	if (e != KEFU_OK)
		return e;
	json_object *items = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items, insight_live_json(&rows[i]));
	json_object *o = json_object_new_object();
	json_object_object_add(o, "items", items);
	json_object_object_add(o, "next_cursor", next ? json_object_new_string(next) : NULL);
	return resp_json(r, 200, o);
}

static kefu_err profile(struct kefu_req *r)
{
	struct live_row x;
	struct pageview_row *views;
	size_t nviews;
	kefu_err e = insight_visitor(r->db, r->arena, &r->actor, r->ids[0], &x, &views, &nviews);
	struct conversation_row *convs = NULL;
	size_t nconvs = 0;
	if (e == KEFU_OK)
		e = conv_list_visitor(r->db, r->arena, r->actor.tenant_id, x.visitor_id, 20, &convs, &nconvs);
	if (e != KEFU_OK)
		return e;
	json_object *o = insight_live_json(&x);
	json_object *pv = json_object_new_array_ext((int)nviews);
	for (size_t i = 0; i < nviews; i++)
		json_object_array_add(pv, insight_pageview_json(&views[i]));
	json_object_object_add(o, "pageviews", pv);
	json_object *cs = json_object_new_array_ext((int)nconvs);
	for (size_t i = 0; i < nconvs; i++) {
		json_object *c = json_object_new_object();
		json_object_object_add(c, "id", json_object_new_int64(convs[i].id));
		json_object_object_add(c, "status", json_object_new_string(convs[i].status));
		json_object_object_add(c, "created_at", json_time(convs[i].created_at));
		json_object_array_add(cs, c);
	}
	json_object_object_add(o, "conversations", cs);
	return resp_json(r, 200, o);
}

static kefu_err invite(struct kefu_req *r)
{
	const char *text, *bad = NULL;
	kefu_err e = jb_string(r->json, "text", true, 1, 2000, &text, &bad);
	if (e != KEFU_OK)
		return req_fail(r, e, bad, NULL);
	int64_t id = 0;
	e = insight_invite(r->db, r->arena, &r->actor, r->ids[0], text, &id);
	if (e == KEFU_E_CONFLICT)
		return req_fail(r, e, NULL, "The visitor is not on the site now, or is already in a conversation.");
	return e != KEFU_OK ? e : created(r, id, "sent");
}

const struct route api_visitor_insight_routes[] = {
    {"POST", "/api/v1/widget/visitors/me/pageviews", api_visitor_pageview, AUTH_VISITOR_TOKEN, BODY_JSON},
    {"POST", "/api/v1/widget/visitors/me/leave", leave, AUTH_VISITOR, BODY_JSON},
    {"GET", "/api/v1/widget/visitors/me/events", api_visitor_events, AUTH_VISITOR_TOKEN, BODY_NONE},
    {"POST", "/api/v1/widget/invitations/{id}/dismiss", dismiss, AUTH_VISITOR, BODY_JSON},
    {"GET", "/api/v1/agent/visitors/live", live, AUTH_STAFF, BODY_NONE},
    {"GET", "/api/v1/agent/visitors/{id}", profile, AUTH_STAFF, BODY_NONE},
    {"POST", "/api/v1/agent/visitors/{id}/invite", invite, AUTH_STAFF, BODY_JSON},
    ROUTES_END,
};

const struct resource res_triggers =
    RESOURCE("/api/v1/admin/channels/{channel_id}/triggers", &trigger_ops, .nested = true);
