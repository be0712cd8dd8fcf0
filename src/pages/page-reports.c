/* page-reports: the console's Reports section: the real-time board and the historical pages (volumes, missed, times,
 * satisfaction, agents, channels and groups), each with server-drawn charts, tables and CSV links. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/channels.h"
#include "domain/org-read.h"
#include "domain/receipts.h"
#include "domain/reports.h"
#include "http/response.h"
#include "http/router.h"
#include "pages/pages.h"
#include "view/chart.h"

/*
 * Every figure comes from the same domain functions (domain/reports.h) as the
 * REST API's, so a page and its CSV link (the API's format=csv with the
 * page's own filters) show the same numbers. A chart is laid out here by
 * view/chart.h and drawn by templates/partial-chart.xhtml; its numbers are
 * also a table beside it.
 */

/* One page being built: the request, its data, the parsed filters and them as a query string. */
struct rp {
	struct kefu_req *r;
	json_object *d, *stats, *charts, *tables;
	struct report_query q;
	const char *qs; /* "from=...&to=...&tz=..." plus the filters set, URL-encoded */
	bool ok;        /* the filters parsed */
	/* What the page's row of the table below asked for, read before its draw(). */
	struct report_summary s;
	struct report_point *pts; /* the day series of its metric, as read */
	struct chart_pt *cp;      /* the same as chart points */
	size_t n;
	bool quiet; /* draw() said in one sentence that there is nothing to show: no figures */
	/* The tenant's channels and groups, read once for the filter form (historical pages only). */
	struct channel_row *ch;
	struct group_row *gr;
	size_t nch, ngr;
};

static const char *const TABS[] = {"live", "volume", "missed", "times", "ratings", "agents", "channels"};
static const char *const WEEKDAYS[] = {"reports.wd_1", "reports.wd_2", "reports.wd_3", "reports.wd_4",
                                       "reports.wd_5", "reports.wd_6", "reports.wd_7"};

static const char *enc(struct rp *p, const char *s)
{
	char *out = NULL;
	return req_url_encode(p->r->arena, s ? s : "", &out) == KEFU_OK && out ? out : "";
}

static const char *num(struct rp *p, double v, bool has)
{
	char buf[64];
	return has ? arena_strdup(p->r->arena, chart_num(buf, sizeof buf, v, true)) : "–";
}

static const char *i64(struct rp *p, int64_t v)
{
	return arena_printf(p->r->arena, "%lld", (long long)v);
}

/* Seconds as the pages print durations: one decimal and the unit; "–" for no value. */
static const char *secs(struct rp *p, double v, bool has)
{
	return has ? arena_printf(p->r->arena, "%s %s", num(p, v, true), page_t(p->r, "reports.unit_s")) : "–";
}

/* Seconds as hours and minutes ("3:07"), for online and away time. */
static const char *hm(struct rp *p, double v)
{
	long m = (long)(v / 60 + 0.5);
	return arena_printf(p->r->arena, "%ld:%02ld", m / 60, m % 60);
}

static void stat(struct rp *p, const char *id, const char *key, const char *value, const char *hint)
{
	json_object *s = json_object_new_object();
	json_object_object_add(s, "id", json_object_new_string(id));
	json_object_object_add(s, "label", json_object_new_string(page_t(p->r, key)));
	json_object_object_add(s, "value", json_object_new_string(value));
	if (hint)
		json_object_object_add(s, "hint", json_object_new_string(hint));
	json_object_array_add(p->stats, s);
}

/* The API's CSV of this page's range and filters: path "summary", "agents", or "timeseries?metric=...". */
static const char *csv(struct rp *p, const char *what)
{
	return arena_printf(p->r->arena, "/api/v1/reports/%s%s%s&format=csv", what, strchr(what, '?') ? "&" : "?",
	                    p->qs);
}

static void add_chart(struct rp *p, json_object *c, const char *csv_href)
{
	if (csv_href)
		json_object_object_add(c, "csv", json_object_new_string(csv_href));
	json_object_array_add(p->charts, c);
}

/* A chart drawn by draw (chart_bars or chart_line) with its title and axes
 * named by catalog keys, added with its CSV link (NULL: none). */
static void chart(struct rp *p,
                  json_object *(*draw)(const char *, const char *, const char *, const char *, const struct chart_pt *,
                                       size_t),
                  const char *id, const char *title_key, const char *x_key, const char *y_key,
                  const struct chart_pt *pts, size_t n, const char *csv_href)
{
	add_chart(p, draw(id, page_t(p->r, title_key), page_t(p->r, x_key), page_t(p->r, y_key), pts, n), csv_href);
}

/* A table: {"id","title","csv","head":[...],"rows":[{"cells":[...]}]}; returns its rows to fill with row(). */
static json_object *table(struct rp *p, const char *id, const char *title_key, const char *csv_href,
                          const char *const *head_keys)
{
	json_object *t = json_object_new_object(), *head = json_object_new_array(), *rows = json_object_new_array();
	json_object_object_add(t, "id", json_object_new_string(id));
	json_object_object_add(t, "title", json_object_new_string(page_t(p->r, title_key)));
	if (csv_href)
		json_object_object_add(t, "csv", json_object_new_string(csv_href));
	for (; *head_keys; head_keys++)
		json_object_array_add(head, json_object_new_string(page_t(p->r, *head_keys)));
	json_object_object_add(t, "head", head);
	json_object_object_add(t, "rows", rows);
	json_object_array_add(p->tables, t);
	return rows;
}

static void row(json_object *rows, const char *const *cells, size_t n)
{
	json_object *r = json_object_new_object(), *c = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(c, json_object_new_string(cells[i] ? cells[i] : ""));
	json_object_object_add(r, "cells", c);
	json_object_array_add(rows, r);
}

static void choice(json_object *list, int64_t id, const char *name, bool checked)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_object_new_string(name ? name : ""));
	page_flag(o, "checked", checked);
	json_object_array_add(list, o);
}

/* The filter lists, each item {"id","name","checked"}. */
static kefu_err choices(struct rp *p, json_object *filters)
{
	struct kefu_req *r = p->r;
	kefu_err e = channel_list(r->db, r->arena, r->caller.tenant_id, &p->ch, &p->nch);
	if (e == KEFU_OK)
		e = org_group_rows(r->db, r->arena, r->caller.tenant_id, &p->gr, &p->ngr);
	const struct channel_row *ch = p->ch;
	const struct group_row *gr = p->gr;
	size_t nch = p->nch, ngr = p->ngr;
	json_object *agents = NULL;
	int64_t sel = p->q.agent_id;
	if (e == KEFU_OK)
		e = page_user_choices(r, &sel, p->ok && p->q.by_agent ? 1 : 0, &agents);
	if (e != KEFU_OK)
		return e;
	json_object *cj = json_object_new_array(), *gj = json_object_new_array();
	for (size_t i = 0; i < nch; i++)
		choice(cj, ch[i].id, ch[i].name, p->ok && p->q.by_channel && p->q.channel_id == ch[i].id);
	for (size_t i = 0; i < ngr; i++)
		choice(gj, gr[i].id, gr[i].name, p->ok && p->q.by_group && p->q.group_id == gr[i].id);
	json_object_object_add(filters, "channels", cj);
	json_object_object_add(filters, "groups", gj);
	json_object_object_add(filters, "agents", agents);
	return KEFU_OK;
}

/* Start a page: the frame, the tabs (carrying the filters), the filter form, the parsed query. */
static kefu_err begin(struct rp *p, struct kefu_req *r, const char *tab, const char *heading_key, bool filters)
{
	memset(p, 0, sizeof *p);
	p->r = r;
	p->d = page_frame(r, "reports");
	p->stats = json_object_new_array();
	p->charts = json_object_new_array();
	p->tables = json_object_new_array();
	json_object_object_add(p->d, "stats", p->stats);
	json_object_object_add(p->d, "charts", p->charts);
	json_object_object_add(p->d, "tables", p->tables);
	json_object_object_add(p->d, "heading", json_object_new_string(page_t(r, heading_key)));
	json_object *t = json_object_new_object();
	json_object_object_add(t, tab, json_object_new_string("page"));
	json_object_object_add(p->d, "tab", t);

	const char *from = req_query(r, "from"), *to = req_query(r, "to"), *tz = req_query(r, "tz"),
	           *ch = req_query(r, "channel_id"), *gr = req_query(r, "group_id"), *ag = req_query(r, "agent_id");
	/* An empty select ("any") is no filter. */
	ch = ch && *ch ? ch : NULL;
	gr = gr && *gr ? gr : NULL;
	ag = ag && *ag ? ag : NULL;
	struct fault f = {0};
	kefu_err e = KEFU_OK;
	if (filters) {
		e = report_query_parse(r->db, r->arena, &r->actor, from && *from ? from : NULL, to && *to ? to : NULL,
		                       tz && *tz ? tz : NULL, ch, gr, ag, &p->q, &f);
		if (e != KEFU_OK && !page_form_error(e))
			return e;
		p->ok = e == KEFU_OK;
		if (!p->ok)
			page_set_error(r, p->d, e, f.field);
	} else
		p->ok = true;

	const char *qs = "";
	if (filters && p->ok) {
		qs = arena_printf(r->arena, "from=%s&to=%s&tz=%s", p->q.from, p->q.to, enc(p, p->q.tz));
		if (p->q.by_channel)
			qs = arena_printf(r->arena, "%s&channel_id=%lld", qs, (long long)p->q.channel_id);
		if (p->q.by_group)
			qs = arena_printf(r->arena, "%s&group_id=%lld", qs, (long long)p->q.group_id);
		if (p->q.by_agent)
			qs = arena_printf(r->arena, "%s&agent_id=%lld", qs, (long long)p->q.agent_id);
	} else if (!filters) {
		/* The board keeps whatever range the historical pages had, for the way back. */
		const char *keep[] = {"from", "to", "tz", "channel_id", "group_id", "agent_id"};
		for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
			const char *v = req_query(r, keep[i]);
			if (v && *v)
				qs = arena_printf(r->arena, "%s%s%s=%s", qs, *qs ? "&" : "", keep[i], enc(p, v));
		}
	}
	p->qs = qs;
	json_object *tabs = json_object_new_object();
	for (size_t i = 0; i < sizeof TABS / sizeof *TABS; i++) {
		const char *base = i == 0 ? "/console/reports" : arena_printf(r->arena, "/console/reports/%s", TABS[i]);
		json_object_object_add(tabs, TABS[i],
		                       json_object_new_string(*qs ? arena_printf(r->arena, "%s?%s", base, qs) : base));
	}
	json_object_object_add(p->d, "tabs", tabs);

	if (filters) {
		json_object *fo = json_object_new_object();
		json_object_object_add(fo, "action", json_object_new_string(r->path));
		json_object_object_add(fo, "from", json_object_new_string(p->ok ? p->q.from : from ? from : ""));
		json_object_object_add(fo, "to", json_object_new_string(p->ok ? p->q.to : to ? to : ""));
		json_object_object_add(fo, "tz", json_object_new_string(p->ok ? p->q.tz : tz ? tz : ""));
		json_object_object_add(p->d, "filters", fo);
		e = choices(p, fo);
		if (e != KEFU_OK)
			return e;
		if (p->ok)
			json_object_object_add(p->d, "summary_csv", json_object_new_string(csv(p, "summary")));
	}
	json_object_object_add(p->d, "ready", json_object_new_boolean(p->ok));
	return KEFU_OK;
}

static kefu_err finish(struct rp *p, kefu_err e)
{
	if (e != KEFU_OK) {
		json_object_put(p->d);
		return page_fail(p->r, e);
	}
	return page_render(p->r, "reports", p->d);
}

/* A day or hour series of metric as chart points labelled "MM-DD" (day) or "MM-DD HH" (hour). */
static kefu_err series(struct rp *p, const char *metric, const char *interval, struct report_point **pts,
                       struct chart_pt **cp, size_t *n)
{
	struct fault f = {0};
	kefu_err e = report_timeseries(p->r->db, p->r->arena, &p->r->actor, &p->q, metric, interval, pts, n, &f);
	if (e != KEFU_OK)
		return e;
	*cp = arena_calloc(p->r->arena, *n ? *n : 1, sizeof **cp);
	bool hour = interval && strcmp(interval, "hour") == 0;
	for (size_t i = 0; i < *n; i++) {
		const char *t = (*pts)[i].text; /* "YYYY-MM-DDTHH:..." in the zone */
		(*cp)[i].label = hour ? arena_printf(p->r->arena, "%.5s %.2s", t + 5, t + 11)
		                      : arena_printf(p->r->arena, "%.5s", t + 5);
		(*cp)[i].v = (*pts)[i].value;
		(*cp)[i].has = (*pts)[i].has;
	}
	return KEFU_OK;
}

/* Monday 0 .. Sunday 6 of a civil date (days from 1970-01-01, a Thursday). */
static int weekday(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400, doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	return (int)(((days % 7) + 7 + 3) % 7);
}

/* ---- the real-time board ---- */

static kefu_err live(struct rp *p)
{
	struct kefu_req *r = p->r;
	struct report_realtime rt = {0};
	kefu_err e = report_realtime(r->db, r->arena, &r->actor, &rt);
	if (e != KEFU_OK)
		return e;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%d %H:%M:%S UTC", &tm);
	json_object_object_add(p->d, "as_of", json_object_new_string(now));
	stat(p, "rt-waiting", "reports.waiting", i64(p, rt.waiting), NULL);
	stat(p, "rt-longest", "reports.longest_wait", secs(p, rt.longest_wait_seconds, rt.has_longest), NULL);
	stat(p, "rt-live", "reports.live", i64(p, rt.live), NULL);
	stat(p, "rt-online", "reports.agents_online", i64(p, rt.agents_online), NULL);
	stat(p, "rt-away", "reports.agents_away", i64(p, rt.agents_away), NULL);
	stat(p, "rt-offline", "reports.agents_offline", i64(p, rt.agents_offline), NULL);

	static const char *const head[] = {"reports.group", "reports.waiting", "reports.live", "reports.agents_online",
	                                   NULL};
	json_object *rows = table(p, "rt-groups", "reports.by_group", "/api/v1/reports/realtime?format=csv", head);
	struct chart_pt *wp = arena_calloc(r->arena, rt.ngroups + 1, sizeof *wp);
	for (size_t i = 0; i < rt.ngroups; i++) {
		const struct report_group_live *g = &rt.groups[i];
		const char *name = g->name ? g->name : page_t(r, "reports.no_group");
		const char *cells[] = {name, i64(p, g->waiting), i64(p, g->live), i64(p, g->agents_online)};
		row(rows, cells, 4);
		wp[i] = (struct chart_pt){name, (double)g->waiting, true};
	}
	struct chart_pt ap[] = {{page_t(r, "reports.st_online"), (double)rt.agents_online, true},
	                        {page_t(r, "reports.st_away"), (double)rt.agents_away, true},
	                        {page_t(r, "reports.st_offline"), (double)rt.agents_offline, true}};
	chart(p, chart_bars, "chart-agents-status", "reports.agents_by_status", "reports.status", "reports.agents", ap,
	      3, NULL);
	chart(p, chart_bars, "chart-waiting-group", "reports.waiting_by_group", "reports.group", "reports.waiting", wp,
	      rt.ngroups, NULL);
	return KEFU_OK;
}

/* ---- volumes: per day, per hour of day, weekday x hour ---- */

static kefu_err volume(struct rp *p)
{
	struct kefu_req *r = p->r;
	static const char *const inv_head[] = {"reports.kind", "reports.n", NULL};
	json_object *inv = table(p, "tb-invitations", "reports.invitations", csv(p, "summary"), inv_head);
	const struct {
		const char *key;
		int64_t n;
	} invs[] = {{"reports.inv_sent", p->s.invitations.sent},
	            {"reports.inv_accepted", p->s.invitations.accepted},
	            {"reports.inv_dismissed", p->s.invitations.dismissed},
	            {"reports.inv_by_agents", p->s.invitations.sent - p->s.invitations.proactive},
	            {"reports.inv_by_triggers", p->s.invitations.proactive}};
	for (size_t i = 0; i < sizeof invs / sizeof *invs; i++) {
		const char *cells[] = {page_t(r, invs[i].key), i64(p, invs[i].n)};
		row(inv, cells, 2);
	}
	chart(p, chart_bars, "chart-by-day", "reports.by_day", "reports.day", "reports.conversations", p->cp, p->n,
	      csv(p, "timeseries?metric=conversations&interval=day"));

	if (p->q.ndays > REPORT_MAX_HOURLY_DAYS) {
		json_object_object_add(p->d, "info", json_object_new_string(page_t(r, "reports.hourly_too_long")));
		return KEFU_OK;
	}
	struct report_point *pts;
	struct chart_pt *cp;
	size_t n = 0;
	kefu_err e = series(p, "conversations", "hour", &pts, &cp, &n);
	if (e != KEFU_OK)
		return e;
	double by_hour[24] = {0}, heat[7 * 24] = {0};
	for (size_t i = 0; i < n; i++) {
		int y, m, d, h;
		if (sscanf(pts[i].text, "%4d-%2d-%2dT%2d", &y, &m, &d, &h) != 4 || h < 0 || h > 23 || !pts[i].has)
			continue;
		by_hour[h] += pts[i].value;
		heat[weekday(y, m, d) * 24 + h] += pts[i].value;
	}
	struct chart_pt hp[24];
	const char *hours[24], *days[7];
	for (int h = 0; h < 24; h++) {
		hours[h] = arena_printf(r->arena, "%02d", h);
		hp[h] = (struct chart_pt){hours[h], by_hour[h], true};
	}
	for (int k = 0; k < 7; k++)
		days[k] = page_t(r, WEEKDAYS[k]);
	const char *hcsv = csv(p, "timeseries?metric=conversations&interval=hour");
	chart(p, chart_bars, "chart-by-hour", "reports.by_hour", "reports.hour", "reports.conversations", hp, 24, hcsv);
	add_chart(p,
	          chart_heat("chart-heat", page_t(r, "reports.heat"), page_t(r, "reports.hour"),
	                     page_t(r, "reports.weekday"), days, 7, hours, 24, heat),
	          hcsv);
	return KEFU_OK;
}

/* ---- missed and offline ---- */

static kefu_err missed(struct rp *p)
{
	struct kefu_req *r = p->r;
	const struct report_summary s = p->s;
	chart(p, chart_bars, "chart-missed-day", "reports.missed_by_day", "reports.day", "reports.missed", p->cp, p->n,
	      csv(p, "timeseries?metric=missed&interval=day"));
	struct chart_pt kinds[] = {{page_t(r, "reports.missed"), (double)s.missed, true},
	                           {page_t(r, "reports.offline"), (double)s.offline, true},
	                           {page_t(r, "reports.out_of_hours"), (double)s.out_of_hours, true},
	                           {page_t(r, "reports.leave_messages"), (double)s.leave_messages, true}};
	chart(p, chart_bars, "chart-unserved", "reports.unserved", "reports.kind", "reports.conversations", kinds, 4,
	      csv(p, "summary"));
	return KEFU_OK;
}

/* ---- waiting, first response and handle times ---- */

static void stat_row(struct rp *p, json_object *rows, const char *key, const struct report_stat *s)
{
	const char *cells[] = {page_t(p->r, key), i64(p, s->n), secs(p, s->avg, s->has), secs(p, s->p50, s->has),
	                       secs(p, s->p90, s->has)};
	row(rows, cells, 5);
}

static kefu_err times(struct rp *p)
{
	const struct report_summary *s = &p->s;
	struct report_point *fpts;
	struct chart_pt *fc;
	size_t fn = 0;
	kefu_err e = series(p, "first_response_p50", "day", &fpts, &fc, &fn);
	if (e != KEFU_OK)
		return e;
	static const char *const head[] = {"reports.measure", "reports.n",   "reports.avg",
	                                   "reports.p50",     "reports.p90", NULL};
	json_object *rows = table(p, "times-table", "reports.times_table", csv(p, "summary"), head);
	stat_row(p, rows, "reports.wait", &s->wait);
	stat_row(p, rows, "reports.first_response", &s->first_response);
	stat_row(p, rows, "reports.handle", &s->handle);
	stat_row(p, rows, "reports.wait_business", &s->wait_business);
	stat_row(p, rows, "reports.first_response_business", &s->first_response_business);
	stat_row(p, rows, "reports.handle_business", &s->handle_business);
	chart(p, chart_line, "chart-wait-day", "reports.wait_by_day", "reports.day", "reports.seconds", p->cp, p->n,
	      csv(p, "timeseries?metric=wait_p50&interval=day"));
	chart(p, chart_line, "chart-first-response-day", "reports.first_response_by_day", "reports.day",
	      "reports.seconds", fc, fn, csv(p, "timeseries?metric=first_response_p50&interval=day"));
	return KEFU_OK;
}

/* ---- satisfaction ---- */

static kefu_err ratings(struct rp *p)
{
	struct kefu_req *r = p->r;
	const struct report_summary s = p->s;
	struct rating_comment *cm;
	size_t ncm = 0;
	struct rating_filter flt = {p->q.by_channel, p->q.by_group, p->q.by_agent,
	                            p->q.channel_id, p->q.group_id, p->q.agent_id};
	kefu_err e =
	    receipts_comments(r->db, r->arena, r->caller.tenant_id, p->q.start, p->q.end, &flt, 100, &cm, &ncm);
	if (e != KEFU_OK)
		return e;
	if (s.csat.count == 0) {
		/* No ratings: a sentence, not "– out of 5" over empty charts. */
		json_object_object_add(p->d, "empty", json_object_new_string(page_t(r, "ratings.none")));
		p->quiet = true;
		return KEFU_OK;
	}
	struct chart_pt dist[5];
	for (int k = 0; k < 5; k++)
		dist[k] = (struct chart_pt){arena_printf(r->arena, "%d ★", k + 1), (double)s.csat.dist[k], true};
	chart(p, chart_bars, "chart-csat-dist", "reports.csat_distribution", "reports.score", "reports.csat_count",
	      dist, 5, csv(p, "summary"));
	chart(p, chart_line, "chart-csat-day", "reports.csat_by_day", "reports.day", "reports.csat_avg", p->cp, p->n,
	      csv(p, "timeseries?metric=csat_avg&interval=day"));
	static const char *const head[] = {"reports.rated_at", "history.agent", "reports.score", "reports.comment",
	                                   NULL};
	json_object *rows = table(p, "csat-comments", "reports.comments", NULL, head);
	for (size_t i = 0; i < ncm; i++) {
		const char *cells[] = {cm[i].created_at, cm[i].agent_name ? cm[i].agent_name : "–", i64(p, cm[i].score),
		                       cm[i].comment};
		row(rows, cells, 4);
	}
	return KEFU_OK;
}

/* ---- per agent ---- */

static kefu_err agents(struct rp *p)
{
	struct kefu_req *r = p->r;
	struct report_agent *ag;
	size_t n = 0;
	kefu_err e = report_agents(r->db, r->arena, &r->actor, &p->q, &ag, &n);
	if (e != KEFU_OK)
		return e;
	static const char *const head[] = {"history.agent",
	                                   "reports.conversations",
	                                   "reports.first_response_avg",
	                                   "reports.first_response_p50",
	                                   "reports.handle_avg",
	                                   "reports.handle_p50",
	                                   "reports.csat_avg",
	                                   "reports.csat_count",
	                                   "reports.online_time",
	                                   "reports.away_time",
	                                   NULL};
	json_object *rows = table(p, "agents-table", "reports.agents_table", csv(p, "agents"), head);
	struct chart_pt *cp = arena_calloc(r->arena, n + 1, sizeof *cp),
	                *fp = arena_calloc(r->arena, n + 1, sizeof *fp);
	for (size_t i = 0; i < n; i++) {
		const struct report_agent *a = &ag[i];
		const char *cells[] = {a->name ? a->name : "",
		                       i64(p, a->conversations),
		                       secs(p, a->first_response.avg, a->first_response.has),
		                       secs(p, a->first_response.p50, a->first_response.has),
		                       secs(p, a->handle.avg, a->handle.has),
		                       secs(p, a->handle.p50, a->handle.has),
		                       num(p, a->csat.avg, a->csat.has),
		                       i64(p, a->csat.count),
		                       hm(p, a->online_seconds),
		                       hm(p, a->away_seconds)};
		row(rows, cells, 10);
		cp[i] = (struct chart_pt){a->name, (double)a->conversations, true};
		fp[i] = (struct chart_pt){a->name, a->first_response.p50, a->first_response.has};
	}
	chart(p, chart_bars, "chart-agent-conversations", "reports.conversations_by_agent", "history.agent",
	      "reports.conversations", cp, n, csv(p, "agents"));
	chart(p, chart_bars, "chart-agent-first-response", "reports.first_response_by_agent", "history.agent",
	      "reports.seconds", fp, n, csv(p, "agents"));
	return KEFU_OK;
}

/* ---- per channel and per group: the summary of each channel (group), the rest of the filters kept ---- */

static void part_row(struct rp *p, json_object *rows, const char *name, const struct report_summary *s)
{
	const char *cells[] = {name,
	                       i64(p, s->conversations),
	                       i64(p, s->missed),
	                       i64(p, s->transfers),
	                       secs(p, s->wait.p50, s->wait.has),
	                       secs(p, s->first_response.p50, s->first_response.has),
	                       secs(p, s->handle.p50, s->handle.has),
	                       num(p, s->csat.avg, s->csat.has)};
	row(rows, cells, 8);
}

static kefu_err channels(struct rp *p)
{
	struct kefu_req *r = p->r;
	/* the lists the filter form read (a historical page always has it) */
	const struct channel_row *ch = p->ch;
	const struct group_row *gr = p->gr;
	size_t nch = p->nch, ngr = p->ngr;
	kefu_err e;
	static const char *const head[] = {"reports.name",       "reports.conversations", "reports.missed",
	                                   "reports.transfers",  "reports.wait_p50",      "reports.first_response_p50",
	                                   "reports.handle_p50", "reports.csat_avg",      NULL};
	/* Every part's summary from one read of the range (report_summary_parts), not one report per part. */
	int64_t *ckeys = arena_calloc(r->arena, nch + 1, sizeof *ckeys),
	        *gkeys = arena_calloc(r->arena, ngr + 1, sizeof *gkeys);
	struct report_summary *cs = arena_calloc(r->arena, nch + 1, sizeof *cs),
	                      *gs = arena_calloc(r->arena, ngr + 1, sizeof *gs);
	const char **cnames = arena_calloc(r->arena, nch + 1, sizeof *cnames),
	           **gnames = arena_calloc(r->arena, ngr + 1, sizeof *gnames);
	size_t ncp = 0, ngp = 0;
	for (size_t i = 0; i < nch; i++)
		if (!p->q.by_channel || p->q.channel_id == ch[i].id) {
			cnames[ncp] = ch[i].name;
			ckeys[ncp++] = ch[i].id;
		}
	/* Every group, then the conversations of none: the rows add up to the total. */
	for (size_t i = 0; i <= ngr; i++) {
		int64_t id = i < ngr ? gr[i].id : 0;
		if (p->q.by_group && p->q.group_id != id)
			continue;
		gnames[ngp] = i < ngr ? gr[i].name : page_t(r, "reports.no_group");
		gkeys[ngp++] = id;
	}
	if ((e = report_summary_parts(r->db, r->arena, &r->actor, &p->q, ckeys, ncp, cs, gkeys, ngp, gs)) != KEFU_OK)
		return e;
	json_object *crow = table(p, "channels-table", "reports.by_channel", csv(p, "summary"), head);
	struct chart_pt *cp = arena_calloc(r->arena, nch + 1, sizeof *cp);
	for (size_t i = 0; i < ncp; i++) {
		part_row(p, crow, cnames[i], &cs[i]);
		cp[i] = (struct chart_pt){cnames[i], (double)cs[i].conversations, true};
	}
	json_object *grow = table(p, "groups-table", "reports.by_group", csv(p, "summary"), head);
	struct chart_pt *gp = arena_calloc(r->arena, ngr + 2, sizeof *gp);
	for (size_t i = 0; i < ngp; i++) {
		part_row(p, grow, gnames[i], &gs[i]);
		gp[i] = (struct chart_pt){gnames[i], (double)gs[i].conversations, true};
	}
	chart(p, chart_bars, "chart-by-channel", "reports.by_channel", "history.channel", "reports.conversations", cp,
	      ncp, csv(p, "summary"));
	chart(p, chart_bars, "chart-by-group", "reports.by_group", "reports.group", "reports.conversations", gp, ngp,
	      csv(p, "summary"));
	return KEFU_OK;
}

/* ---- the pages: what each reads before drawing, and its figures ---- */

/* How a figure of struct report_summary reads. */
enum stat_as {
	STAT_COUNT, /* an int64_t */
	STAT_P50,   /* the median of a struct report_stat, in seconds */
	STAT_MEAN,  /* the mean of a struct report_csat */
};

/* One figure above a page's charts. */
struct stat_spec {
	const char *id, *label;
	size_t at; /* offsetof(struct report_summary, ...) */
	enum stat_as as;
	const char *hint; /* a catalog key, or NULL */
};

#define COUNT(id, label, field, hint)                                                                                  \
	{                                                                                                              \
		id, label, offsetof(struct report_summary, field), STAT_COUNT, hint                                    \
	}
#define P50(id, label, field)                                                                                          \
	{                                                                                                              \
		id, label, offsetof(struct report_summary, field), STAT_P50, NULL                                      \
	}

static const struct stat_spec VOLUME_STATS[] = {
    COUNT("st-conversations", "reports.conversations", conversations, NULL),
    COUNT("st-assigned", "reports.assigned", assigned, NULL),
    COUNT("st-transfers", "reports.transfers", transfers, NULL),
    COUNT("st-msg-visitor", "reports.messages_visitor", messages_visitor, NULL),
    COUNT("st-msg-agent", "reports.messages_agent", messages_agent, NULL),
    {0},
};
static const struct stat_spec MISSED_STATS[] = {
    COUNT("st-conversations", "reports.conversations", conversations, NULL),
    COUNT("st-missed", "reports.missed", missed, "reports.missed_hint"),
    COUNT("st-offline", "reports.offline", offline, "reports.offline_hint"),
    COUNT("st-out-of-hours", "reports.out_of_hours", out_of_hours, NULL),
    COUNT("st-leave", "reports.leave_messages", leave_messages, NULL),
    {0},
};
static const struct stat_spec TIMES_STATS[] = {
    P50("st-wait-p50", "reports.wait_p50", wait),
    P50("st-first-response-p50", "reports.first_response_p50", first_response),
    P50("st-handle-p50", "reports.handle_p50", handle),
    COUNT("st-transfers", "reports.transfers", transfers, NULL),
    {0},
};
static const struct stat_spec RATINGS_STATS[] = {
    COUNT("st-csat-count", "reports.csat_count", csat.count, NULL),
    {"st-csat-avg", "reports.csat_avg", offsetof(struct report_summary, csat), STAT_MEAN, "ratings.out_of_5"},
    {0},
};

/* One page of the section; the routes below name the same paths. */
struct report_page {
	const char *path;
	const char *tab;               /* its entry of TABS */
	const char *heading;           /* a catalog key */
	bool filters;                  /* the historical pages' range and filters; the board has none */
	bool summary;                  /* reads report_summary() into p->s */
	const char *metric;            /* reads this day series into p->pts, p->cp, or NULL */
	const struct stat_spec *stats; /* its figures from p->s, or NULL */
	kefu_err (*draw)(struct rp *p);
};

static const struct report_page PAGES[] = {
    {"/console/reports", "live", "reports.live_title", false, false, NULL, NULL, live},
    {"/console/reports/volume", "volume", "reports.volume_title", true, true, "conversations", VOLUME_STATS, volume},
    {"/console/reports/missed", "missed", "reports.missed_title", true, true, "missed", MISSED_STATS, missed},
    {"/console/reports/times", "times", "reports.times_title", true, true, "wait_p50", TIMES_STATS, times},
    {"/console/reports/ratings", "ratings", "reports.ratings_title", true, true, "csat_avg", RATINGS_STATS, ratings},
    {"/console/reports/agents", "agents", "reports.agents_title", true, false, NULL, NULL, agents},
    {"/console/reports/channels", "channels", "reports.channels_title", true, false, NULL, NULL, channels},
};

static void stats(struct rp *p, const struct stat_spec *st)
{
	for (; st && st->id; st++) {
		const char *at = (const char *)&p->s + st->at, *v;
		if (st->as == STAT_COUNT) {
			v = i64(p, *(const int64_t *)at);
		} else if (st->as == STAT_P50) {
			const struct report_stat *x = (const struct report_stat *)at;
			v = secs(p, x->p50, x->has);
		} else {
			const struct report_csat *x = (const struct report_csat *)at;
			v = num(p, x->avg, x->has);
		}
		stat(p, st->id, st->label, v, st->hint ? page_t(p->r, st->hint) : NULL);
	}
}

/* Every page: the frame and filters, what its row reads, its drawing, its figures. */
static kefu_err report_page(struct kefu_req *r)
{
	PAGE_NEED_SESSION(r);
	const struct report_page *pg = PAGES;
	while (strcmp(pg->path, r->route->pattern) != 0)
		pg++; /* the routes below are these paths */
	struct rp p;
	kefu_err e = begin(&p, r, pg->tab, pg->heading, pg->filters);
	if (e != KEFU_OK || !p.ok)
		return finish(&p, e);
	if (pg->summary)
		e = report_summary(r->db, r->arena, &r->actor, &p.q, &p.s);
	if (e == KEFU_OK && pg->metric)
		e = series(&p, pg->metric, "day", &p.pts, &p.cp, &p.n);
	if (e == KEFU_OK)
		e = pg->draw(&p);
	if (e == KEFU_OK && !p.quiet)
		stats(&p, pg->stats);
	return finish(&p, e);
}

const struct route page_reports_routes[] = {
    {"GET", "/console/reports", report_page, AUTH_PAGE_ADMIN, BODY_NONE},
    {"GET", "/console/reports/volume", report_page, AUTH_PAGE_ADMIN, BODY_NONE},
    {"GET", "/console/reports/missed", report_page, AUTH_PAGE_ADMIN, BODY_NONE},
    {"GET", "/console/reports/times", report_page, AUTH_PAGE_ADMIN, BODY_NONE},
    {"GET", "/console/reports/ratings", report_page, AUTH_PAGE_ADMIN, BODY_NONE},
    {"GET", "/console/reports/agents", report_page, AUTH_PAGE_ADMIN, BODY_NONE},
    {"GET", "/console/reports/channels", report_page, AUTH_PAGE_ADMIN, BODY_NONE},
    ROUTES_END,
};
