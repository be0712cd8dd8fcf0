/* reports: the definitions of docs/reports.md applied to the recorded facts: ranges of local days, statistics,
 * business-hours time, series and the real-time board. */
#include "domain/reports.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/report-packs.h"
#include "domain/service-hours.h"
#include "store/store-groups.h"
#include "store/store-reports.h"
#include "store/store-rules.h"

/* ---- civil dates and zones ---- */

int64_t report_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's days_from_civil. */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static long offset_at(const char *zone, time_t t)
{
	long off = 0;
	tz_offset(zone, t, &off);
	return off;
}

time_t report_local_midnight(const char *zone, int y, int m, int d)
{
	int64_t local = report_days_from_civil(y, m, d) * 86400;
	/* The instant is local - offset, for an offset in force at that instant: try both offsets around. */
	long o1 = offset_at(zone, (time_t)local), o2 = offset_at(zone, (time_t)(local - o1));
	time_t c1 = (time_t)(local - o1), c2 = (time_t)(local - o2);
	bool ok1 = offset_at(zone, c1) == o1, ok2 = offset_at(zone, c2) == o2;
	if (ok1 && ok2)
		return c1 < c2 ? c1 : c2; /* an overlap: the earlier of the two midnights */
	if (ok1 || ok2)
		return ok1 ? c1 : c2;
	/* Midnight falls in a gap: the day starts at the transition, found by bisection between the two. */
	time_t lo = c1 < c2 ? c1 : c2, hi = c1 < c2 ? c2 : c1;
	long olo = offset_at(zone, lo);
	while (hi - lo > 1) {
		time_t mid = lo + (hi - lo) / 2;
		if (offset_at(zone, mid) == olo)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

static bool parse_date(const char *s, int *y, int *m, int *d)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = atoi(s);
	*m = atoi(s + 5);
	*d = atoi(s + 8);
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (*y < 1971 || *y > 2200 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
		return false;
	bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return !(*m == 2 && *d == 29 && !leap);
}

/* The civil date of day number days, as "YYYY-MM-DD" into out[11]. */
static void date_of_days(int64_t days, char *out, int *y, int *m, int *d)
{
	struct local_time lt;
	tz_civil((time_t)(days * 86400), 0, &lt);
	memcpy(out, lt.date, 11);
	*y = lt.year;
	*m = lt.month;
	*d = lt.day;
}

/* An id filter: digits only, at most 18 of them; zero allowed only where it means "none". */
static bool parse_id(const char *s, bool zero_ok, int64_t *out)
{
	if (s == NULL || s[0] == '\0' || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
		return false;
	*out = strtoll(s, NULL, 10);
	return *out > 0 || zero_ok;
}

kefu_err report_query_parse(struct kefu_db *db, kefu_arena *a, const struct actor *who, const char *from,
                            const char *to, const char *tz, const char *channel_id, const char *group_id,
                            const char *agent_id, struct report_query *q, struct fault *f)
{
	*q = (struct report_query){0};
	if (tz != NULL && tz[0] != '\0') {
		if (strcmp(tz, "UTC") != 0 && !org_timezone_valid(tz))
			return fault_set(f, KEFU_E_INVALID_FIELD, "tz", "not a known IANA time zone");
		long off;
		if (strcmp(tz, "UTC") != 0 && !tz_offset(tz, 0, &off))
			return fault_set(f, KEFU_E_INVALID_FIELD, "tz", "not a known IANA time zone");
		q->tz = arena_strdup(a, tz);
	} else {
		const char *zone = NULL;
		kefu_err e = db_rule_tenant_zone(db, a, who->tenant_id, &zone);
		if (e != KEFU_OK)
			return e;
		q->tz = zone != NULL && zone[0] != '\0' ? zone : "UTC";
	}
	int fy, fm, fd, ty, tm, td;
	if (to != NULL && to[0] != '\0') {
		if (!parse_date(to, &ty, &tm, &td))
			return fault_set(f, KEFU_E_INVALID_FIELD, "to", "a date YYYY-MM-DD");
	} else {
		struct local_time now;
		tz_local(q->tz, time(NULL), &now);
		ty = now.year, tm = now.month, td = now.day;
	}
	int64_t tday = report_days_from_civil(ty, tm, td), fday;
	if (from != NULL && from[0] != '\0') {
		if (!parse_date(from, &fy, &fm, &fd))
			return fault_set(f, KEFU_E_INVALID_FIELD, "from", "a date YYYY-MM-DD");
		fday = report_days_from_civil(fy, fm, fd);
	} else {
		fday = tday - 6;
	}
	if (fday > tday)
		return fault_set(f, KEFU_E_INVALID_FIELD, "from", "from is after to");
	if (tday - fday + 1 > REPORT_MAX_DAYS)
		return fault_set(f, KEFU_E_INVALID_FIELD, "from", "the range is longer than 400 days");
	date_of_days(fday, q->from, &fy, &fm, &fd);
	date_of_days(tday, q->to, &ty, &tm, &td);
	int ny, nm, nd;
	char next[11];
	date_of_days(tday + 1, next, &ny, &nm, &nd);
	q->ndays = (int)(tday - fday + 1);
	q->start = report_local_midnight(q->tz, fy, fm, fd);
	q->end = report_local_midnight(q->tz, ny, nm, nd);
	if (channel_id != NULL && channel_id[0] != '\0') {
		if (!parse_id(channel_id, false, &q->channel_id))
			return fault_set(f, KEFU_E_INVALID_FIELD, "channel_id", "a channel id");
		q->by_channel = true;
	}
	if (group_id != NULL && group_id[0] != '\0') {
		if (!parse_id(group_id, true, &q->group_id))
			return fault_set(f, KEFU_E_INVALID_FIELD, "group_id", "a group id, or 0 for no group");
		q->by_group = true;
	}
	if (agent_id != NULL && agent_id[0] != '\0') {
		if (!parse_id(agent_id, true, &q->agent_id))
			return fault_set(f, KEFU_E_INVALID_FIELD, "agent_id", "a user id, or 0 for no agent");
		q->by_agent = true;
	}
	return KEFU_OK;
}

/* ---- statistics ---- */

/* The sortable key of a double: its bits with the sign flipped, all bits inverted for a negative one, so that
 * unsigned order is numeric order (no NaN here). */
static uint64_t double_key(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof u);
	return u >> 63 ? ~u : u | (UINT64_C(1) << 63);
}

/* Sort v[0..n) ascending: a least-significant-digit radix sort on the keys, a byte a pass, skipping a byte that
 * every value shares. A report sorts tens of thousands of durations six times; qsort's comparison calls were a
 * good share of its CPU. The sorted values are the same, so the percentiles and the mean's sum are too. */
static void sort_doubles(double *v, size_t n)
{
	if (n < 2)
		return;
	uint64_t *k = malloc(n * sizeof *k), *tmp = malloc(n * sizeof *tmp);
	if (k == NULL || tmp == NULL)
		abort();
	for (size_t i = 0; i < n; i++)
		k[i] = double_key(v[i]);
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++)
			count[((k[i] >> shift) & 0xff) + 1]++;
		if (count[((k[0] >> shift) & 0xff) + 1] == n)
			continue;
		for (int b = 0; b < 256; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			tmp[count[(k[i] >> shift) & 0xff]++] = k[i];
		uint64_t *t = k;
		k = tmp;
		tmp = t;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t u = k[i] >> 63 ? k[i] & ~(UINT64_C(1) << 63) : ~k[i];
		memcpy(&v[i], &u, sizeof u);
	}
	free(k);
	free(tmp);
}

/* Milliseconds kept: durations are recorded to the millisecond. */
static double round3(double x)
{
	return round(x * 1000.0) / 1000.0;
}

/* The nearest-rank percentile p (0 < p <= 100) of sorted v[0..n), n > 0. */
static double nearest_rank(const double *v, size_t n, double p)
{
	size_t k = (size_t)ceil(p / 100.0 * (double)n - 1e-9);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

void report_stat_of(double *v, size_t n, struct report_stat *out)
{
	*out = (struct report_stat){.n = (int64_t)n};
	if (n == 0)
		return;
	sort_doubles(v, n);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	out->has = true;
	out->avg = round3(sum / (double)n);
	out->p50 = round3(nearest_rank(v, n, 50));
	out->p90 = round3(nearest_rank(v, n, 90));
}

static void csat_add(struct report_csat *c, int score)
{
	if (score < 1 || score > 5)
		return;
	c->dist[score - 1]++;
	c->count++;
}

static void csat_finish(struct report_csat *c)
{
	c->has = c->count > 0;
	if (!c->has)
		return;
	double sum = 0;
	for (int i = 0; i < 5; i++)
		sum += (double)(c->dist[i] * (i + 1));
	c->avg = round(sum / (double)c->count * 100.0) / 100.0;
}

/* ---- business hours ---- */

double report_business_seconds(const struct service_hours *h, const char *zone, int64_t t0_ms, int64_t t1_ms)
{
	if (t1_ms <= t0_ms)
		return 0;
	if (h == NULL)
		return (double)(t1_ms - t0_ms) / 1000.0;
	int64_t in = 0, t = t0_ms;
	while (t < t1_ms) {
		time_t sec = (time_t)(t >= 0 ? t / 1000 : -((-t + 999) / 1000));
		struct local_time lt;
		tz_local(zone, sec, &lt);
		bool open = hours_open_at(h, &lt);
		bool closed_day = false;
		for (size_t i = 0; i < h->nclosed; i++)
			if (strcmp(h->closed_dates[i], lt.date) == 0)
				closed_day = true;
		/* The next local minute at which the state may change: the end of the open span, else the next
		 * start today, else midnight. */
		int next = 1440;
		for (size_t i = 0; i < h->nweekly[lt.wday] && !closed_day; i++) {
			const struct hours_span *s = &h->weekly[lt.wday][i];
			if (open && lt.minute >= s->start && lt.minute < s->end && s->end < next)
				next = s->end;
			if (!open && s->start > lt.minute && s->start < next)
				next = s->start;
		}
		int64_t into_minute = ((t % 60000) + 60000) % 60000; /* zone offsets are whole minutes */
		int64_t step = (int64_t)(next - lt.minute) * 60000 - into_minute;
		if (step > 3600000)
			step = 3600000; /* look again at least hourly: a DST change moves the wall clock */
		if (step <= 0)
			step = 60000 - into_minute;
		int64_t to = t + step < t1_ms ? t + step : t1_ms;
		if (open)
			in += to - t;
		t = to;
	}
	return (double)in / 1000.0;
}

/* Parsed service hours per group, read once per report. */
struct hours_cache {
	const char *tenant_zone;
	struct group_row *groups;
	size_t ngroups;
	struct service_hours *hours; /* hours[i] for groups[i] */
	bool *has;
};

static kefu_err hours_load(struct kefu_db *db, kefu_arena *a, int64_t tenant_id, struct hours_cache *c)
{
	*c = (struct hours_cache){0};
	kefu_err e = db_rule_tenant_zone(db, a, tenant_id, &c->tenant_zone);
	if (e == KEFU_OK)
		e = db_group_list(db, a, tenant_id, &c->groups, &c->ngroups);
	if (e != KEFU_OK)
		return e;
	c->hours = arena_calloc(a, c->ngroups + 1, sizeof *c->hours);
	c->has = arena_calloc(a, c->ngroups + 1, sizeof *c->has);
	for (size_t i = 0; i < c->ngroups; i++)
		c->has[i] = c->groups[i].service_hours != NULL &&
		            org_hours_parse_text(a, c->groups[i].service_hours, &c->hours[i]) == KEFU_OK;
	return KEFU_OK;
}

/* Business seconds of [t0, t1) for a conversation of group_id (0 or a deleted group: always open). */
static double hours_between(const struct hours_cache *c, int64_t group_id, int64_t t0, int64_t t1)
{
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i].id == group_id && c->has[i])
			return report_business_seconds(&c->hours[i], hours_zone(&c->hours[i], c->tenant_zone), t0, t1);
	return report_business_seconds(NULL, NULL, t0, t1);
}

/* ---- one set of conversations → figures ---- */

static void scope_of(const struct actor *who, const struct report_query *q, struct report_scope *s)
{
	*s = (struct report_scope){.tenant_id = who->tenant_id,
	                           .start_ms = (int64_t)q->start * 1000,
	                           .end_ms = (int64_t)q->end * 1000,
	                           .by_channel = q->by_channel,
	                           .by_group = q->by_group,
	                           .by_agent = q->by_agent,
	                           .channel_id = q->channel_id,
	                           .group_id = q->group_id,
	                           .agent_id = q->agent_id};
}

/* The durations of n conversations: r[0..n), or r[idx[0..n)] when idx is not NULL. */
struct durations {
	double *wait, *first, *handle, *wait_b, *first_b, *handle_b;
	size_t nwait, nfirst, nhandle;
};

static void durations_of(kefu_arena *a, const struct hours_cache *hc, const struct report_conv_row *r,
                         const size_t *idx, size_t n, struct durations *d)
{
	*d = (struct durations){0};
	size_t cap = n ? n : 1;
	d->wait = arena_calloc(a, cap, sizeof(double));
	d->first = arena_calloc(a, cap, sizeof(double));
	d->handle = arena_calloc(a, cap, sizeof(double));
	d->wait_b = arena_calloc(a, cap, sizeof(double));
	d->first_b = arena_calloc(a, cap, sizeof(double));
	d->handle_b = arena_calloc(a, cap, sizeof(double));
	for (size_t i = 0; i < n; i++) {
		const struct report_conv_row *c = &r[idx != NULL ? idx[i] : i];
		if (c->first_assigned_ms < 0)
			continue;
		int64_t fa = c->first_assigned_ms < c->created_ms ? c->created_ms : c->first_assigned_ms;
		d->wait[d->nwait] = (double)(fa - c->created_ms) / 1000.0;
		d->wait_b[d->nwait++] = hours_between(hc, c->group_id, c->created_ms, fa);
		if (c->first_agent_message_ms >= 0) {
			int64_t fm = c->first_agent_message_ms < fa ? fa : c->first_agent_message_ms;
			d->first[d->nfirst] = (double)(fm - fa) / 1000.0;
			d->first_b[d->nfirst++] = hours_between(hc, c->group_id, fa, fm);
		}
		if (c->closed_ms >= 0) {
			int64_t cl = c->closed_ms < fa ? fa : c->closed_ms;
			d->handle[d->nhandle] = (double)(cl - fa) / 1000.0;
			d->handle_b[d->nhandle++] = hours_between(hc, c->group_id, fa, cl);
		}
	}
}

static bool is(const char *s, const char *want)
{
	return s != NULL && strcmp(s, want) == 0;
}

static bool missed(const struct report_conv_row *c)
{
	return c->first_assigned_ms < 0 && c->closed_queued;
}

/* The figures of conversations r[idx[0..n)] (r[0..n) when idx is NULL), all but the message and leave-message
 * counts. */
static void summarize(kefu_arena *a, const struct hours_cache *hc, const struct report_conv_row *r, const size_t *idx,
                      size_t n, struct report_summary *out)
{
	out->conversations = (int64_t)n;
	for (size_t k = 0; k < n; k++) {
		const struct report_conv_row *c = &r[idx != NULL ? idx[k] : k];
		out->assigned += c->first_assigned_ms >= 0;
		out->missed += missed(c);
		out->offline += c->offline;
		out->out_of_hours += c->out_of_hours;
		out->transfers += c->transfers;
		csat_add(&out->csat, c->score);
	}
	csat_finish(&out->csat);
	struct durations d;
	durations_of(a, hc, r, idx, n, &d);
	report_stat_of(d.wait, d.nwait, &out->wait);
	report_stat_of(d.first, d.nfirst, &out->first_response);
	report_stat_of(d.handle, d.nhandle, &out->handle);
	report_stat_of(d.wait_b, d.nwait, &out->wait_business);
	report_stat_of(d.first_b, d.nfirst, &out->first_response_business);
	report_stat_of(d.handle_b, d.nhandle, &out->handle_business);
}

/* What every summary reads first: the query's scope, its conversations and the service hours they are timed by. */
static kefu_err summary_rows(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct report_query *q,
                             struct report_scope *s, struct report_conv_row **r, size_t *n, struct hours_cache *hc)
{
	scope_of(who, q, s);
	kefu_err e = report_rows(db, a, s, r, n);
	return e != KEFU_OK ? e : hours_load(db, a, who->tenant_id, hc);
}

kefu_err report_summary(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct report_query *q,
                        struct report_summary *out)
{
	*out = (struct report_summary){0};
	struct report_scope s;
	struct report_conv_row *r;
	size_t n;
	struct hours_cache hc;
	kefu_err e = summary_rows(db, a, who, q, &s, &r, &n, &hc);
	if (e == KEFU_OK)
		e = db_report_messages(db, a, &s, &out->messages_visitor, &out->messages_agent);
	if (e == KEFU_OK)
		e = db_report_leave_messages(db, a, &s, &out->leave_messages);
	if (e == KEFU_OK)
		e = db_report_invitations(db, a, &s, &out->invitations);
	if (e != KEFU_OK)
		return e;
	summarize(a, &hc, r, NULL, n, out);
	return KEFU_OK;
}

kefu_err report_summary_parts(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct report_query *q,
                              const int64_t *channels, size_t nchannels, struct report_summary *by_channel,
                              const int64_t *groups, size_t ngroups, struct report_summary *by_group)
{
	struct report_scope s;
	struct report_conv_row *r;
	size_t n;
	struct hours_cache hc;
	kefu_err e = summary_rows(db, a, who, q, &s, &r, &n, &hc);
	if (e != KEFU_OK)
		return e;
	size_t *idx = arena_calloc(a, n ? n : 1, sizeof *idx);
	for (size_t k = 0; k < nchannels + ngroups; k++) {
		bool g = k >= nchannels;
		int64_t key = g ? groups[k - nchannels] : channels[k];
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if ((g ? r[i].group_id : r[i].channel_id) == key)
				idx[m++] = i;
		struct report_summary *out = g ? &by_group[k - nchannels] : &by_channel[k];
		*out = (struct report_summary){0};
		summarize(a, &hc, r, idx, m, out);
	}
	return KEFU_OK;
}

/* ---- per agent ---- */

struct by_agent {
	int64_t agent;
	size_t i;
};

static int cmp_by_agent(const void *x, const void *y)
{
	const struct by_agent *p = x, *q = y;
	if (p->agent != q->agent)
		return p->agent < q->agent ? -1 : 1;
	return (p->i > q->i) - (p->i < q->i);
}

/* Seconds user spent in status want within [start, cap) by the log rows of that user (sorted by time). */
static void status_time(const struct report_status_row *l, size_t n, int64_t start, int64_t cap, double *online,
                        double *away)
{
	*online = *away = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t t0 = l[i].at_ms < start ? start : l[i].at_ms;
		int64_t t1 = i + 1 < n ? l[i + 1].at_ms : cap;
		if (t1 > cap)
			t1 = cap;
		if (t1 <= t0)
			continue;
		if (is(l[i].status, "online"))
			*online += (double)(t1 - t0) / 1000.0;
		else if (is(l[i].status, "away"))
			*away += (double)(t1 - t0) / 1000.0;
	}
	*online = round3(*online);
	*away = round3(*away);
}

kefu_err report_agents(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct report_query *q,
                       struct report_agent **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	struct report_scope s;
	scope_of(who, q, &s);
	struct report_conv_row *r;
	size_t nr, nu, nl;
	struct report_user_row *u;
	struct report_status_row *l;
	struct hours_cache hc;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	int64_t cap = s.end_ms < now_ms ? s.end_ms : now_ms;
	kefu_err e = report_rows(db, a, &s, &r, &nr);
	if (e == KEFU_OK)
		e = db_report_staff(db, a, who->tenant_id, &u, &nu);
	if (e == KEFU_OK)
		e = db_report_status_log(db, a, who->tenant_id, s.start_ms, s.end_ms, &l, &nl);
	if (e == KEFU_OK)
		e = hours_load(db, a, who->tenant_id, &hc);
	if (e != KEFU_OK)
		return e;
	*rows = arena_calloc(a, nu ? nu : 1, sizeof **rows);
	/* The conversations by agent, once: each agent's are then one run of idx. */
	struct by_agent *ba = arena_calloc(a, nr ? nr : 1, sizeof *ba);
	for (size_t i = 0; i < nr; i++)
		ba[i] = (struct by_agent){.agent = r[i].agent_user_id, .i = i};
	qsort(ba, nr, sizeof *ba, cmp_by_agent);
	size_t *idx = arena_calloc(a, nr ? nr : 1, sizeof *idx);
	for (size_t i = 0; i < nr; i++)
		idx[i] = ba[i].i;
	for (size_t k = 0; k < nu; k++) {
		if (q->by_agent && q->agent_id != u[k].id)
			continue;
		struct report_agent *x = &(*rows)[*n];
		*x = (struct report_agent){.id = u[k].id, .name = u[k].name};
		size_t lo = 0, hi = nr; /* the first of this agent's */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (ba[mid].agent < u[k].id)
				lo = mid + 1;
			else
				hi = mid;
		}
		size_t first = lo;
		while (lo < nr && ba[lo].agent == u[k].id) {
			x->conversations++;
			csat_add(&x->csat, r[ba[lo].i].score);
			lo++;
		}
		if (u[k].deleted && x->conversations == 0)
			continue;
		csat_finish(&x->csat);
		struct durations d;
		durations_of(a, &hc, r, idx + first, lo - first, &d);
		report_stat_of(d.first, d.nfirst, &x->first_response);
		report_stat_of(d.handle, d.nhandle, &x->handle);
		report_stat_of(d.first_b, d.nfirst, &x->first_response_business);
		report_stat_of(d.handle_b, d.nhandle, &x->handle_business);
		size_t b = 0;
		while (b < nl && l[b].user_id != u[k].id)
			b++;
		size_t end = b;
		while (end < nl && l[end].user_id == u[k].id)
			end++;
		status_time(l + b, end - b, s.start_ms, cap, &x->online_seconds, &x->away_seconds);
		(*n)++;
	}
	return KEFU_OK;
}

/* ---- series ---- */

static void point_text(struct report_point *p)
{
	struct local_time lt;
	tz_civil(p->t, p->offset, &lt);
	long off = p->offset < 0 ? -p->offset : p->offset;
	snprintf(p->text, sizeof p->text, "%sT%02d:%02d:00%c%02d:%02d", lt.date, lt.minute / 60, lt.minute % 60,
	         p->offset < 0 ? '-' : '+', (int)(off / 3600 % 100), (int)(off / 60 % 60));
}

kefu_err report_timeseries(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct report_query *q,
                           const char *metric, const char *interval, struct report_point **points, size_t *n,
                           struct fault *f)
{
	*points = NULL;
	*n = 0;
	enum { M_CONV, M_MISSED, M_WAIT, M_FIRST, M_CSAT } m;
	if (metric == NULL || metric[0] == '\0')
		return fault_set(f, KEFU_E_INVALID_FIELD, "metric", "metric is required");
	if (strcmp(metric, "conversations") == 0)
		m = M_CONV;
	else if (strcmp(metric, "missed") == 0)
		m = M_MISSED;
	else if (strcmp(metric, "wait_p50") == 0)
		m = M_WAIT;
	else if (strcmp(metric, "first_response_p50") == 0)
		m = M_FIRST;
	else if (strcmp(metric, "csat_avg") == 0)
		m = M_CSAT;
	else
		return fault_set(f, KEFU_E_INVALID_FIELD, "metric",
		                 "one of conversations, missed, wait_p50, first_response_p50, csat_avg");
	bool hourly = false;
	if (interval != NULL && interval[0] != '\0' && strcmp(interval, "day") != 0) {
		if (strcmp(interval, "hour") != 0)
			return fault_set(f, KEFU_E_INVALID_FIELD, "interval", "hour or day");
		if (q->ndays > REPORT_MAX_HOURLY_DAYS)
			return fault_set(f, KEFU_E_INVALID_FIELD, "interval", "hourly series cover at most 62 days");
		hourly = true;
	}
	/* The intervals' starts, and one past the last. */
	size_t np = hourly ? (size_t)((q->end - q->start + 3599) / 3600) : (size_t)q->ndays;
	time_t *edge = arena_calloc(a, np + 1, sizeof *edge);
	int y, mo, d;
	char buf[11];
	int64_t fday = 0;
	if (!hourly) {
		parse_date(q->from, &y, &mo, &d);
		fday = report_days_from_civil(y, mo, d);
	}
	for (size_t i = 0; i < np; i++) {
		if (hourly) {
			edge[i] = q->start + (time_t)i * 3600;
		} else {
			date_of_days(fday + (int64_t)i, buf, &y, &mo, &d);
			edge[i] = report_local_midnight(q->tz, y, mo, d);
		}
	}
	edge[np] = q->end;

	struct report_scope s;
	scope_of(who, q, &s);
	struct report_conv_row *r;
	size_t nr;
	struct hours_cache hc = {0};
	kefu_err e = report_rows(db, a, &s, &r, &nr);
	if (e != KEFU_OK)
		return e;
	*points = arena_calloc(a, np ? np : 1, sizeof **points);
	size_t k = 0; /* rows are in created order: an interval's are one run, from first to k */
	for (size_t i = 0; i < np; i++) {
		struct report_point *p = &(*points)[i];
		p->t = edge[i];
		p->offset = offset_at(q->tz, p->t);
		point_text(p);
		size_t first = k;
		int64_t count = 0, nmissed = 0;
		struct report_csat cs = {0};
		while (k < nr && r[k].created_ms < (int64_t)edge[i + 1] * 1000) {
			count++;
			nmissed += missed(&r[k]);
			csat_add(&cs, r[k].score);
			k++;
		}
		switch (m) {
		case M_CONV: p->has = true, p->value = (double)count; break;
		case M_MISSED: p->has = true, p->value = (double)nmissed; break;
		case M_CSAT:
			csat_finish(&cs);
			p->has = cs.has, p->value = cs.avg;
			break;
		case M_WAIT:
		case M_FIRST: {
			struct durations du;
			durations_of(a, &hc, r + first, NULL, k - first, &du);
			struct report_stat st;
			if (m == M_WAIT)
				report_stat_of(du.wait, du.nwait, &st);
			else
				report_stat_of(du.first, du.nfirst, &st);
			p->has = st.has, p->value = st.p50;
			break;
		}
		}
	}
	*n = np;
	return KEFU_OK;
}

/* ---- now ---- */

kefu_err report_realtime(struct kefu_db *db, kefu_arena *a, const struct actor *who, struct report_realtime *out)
{
	*out = (struct report_realtime){0};
	struct report_live_row *lv;
	size_t nlv, nu, ng;
	int64_t now_ms;
	struct report_user_row *u;
	struct group_row *g;
	kefu_err e = db_report_live(db, a, who->tenant_id, &lv, &nlv, &now_ms);
	if (e == KEFU_OK)
		e = db_report_staff(db, a, who->tenant_id, &u, &nu);
	if (e == KEFU_OK)
		e = db_group_list(db, a, who->tenant_id, &g, &ng);
	if (e != KEFU_OK)
		return e;
	int64_t oldest = -1;
	for (size_t i = 0; i < nlv; i++) {
		out->waiting += lv[i].waiting;
		out->live += lv[i].live;
		if (lv[i].oldest_wait_ms >= 0 && (oldest < 0 || lv[i].oldest_wait_ms < oldest))
			oldest = lv[i].oldest_wait_ms;
	}
	if (oldest >= 0) {
		out->has_longest = true;
		out->longest_wait_seconds = round3((double)(now_ms > oldest ? now_ms - oldest : 0) / 1000.0);
	}
	for (size_t i = 0; i < nu; i++) {
		if (u[i].deleted)
			continue;
		if (is(u[i].status, "online"))
			out->agents_online++;
		else if (is(u[i].status, "away"))
			out->agents_away++;
		else
			out->agents_offline++;
	}
	out->groups = arena_calloc(a, ng ? ng : 1, sizeof *out->groups);
	out->ngroups = ng;
	for (size_t k = 0; k < ng; k++) {
		struct report_group_live *x = &out->groups[k];
		*x = (struct report_group_live){.id = g[k].id, .name = g[k].name};
		for (size_t i = 0; i < nlv; i++)
			if (lv[i].group_id == g[k].id) {
				x->waiting = lv[i].waiting;
				x->live = lv[i].live;
			}
		int64_t *ids;
		size_t nm;
		if ((e = db_group_effective_members(db, a, who->tenant_id, g[k].id, &ids, &nm)) != KEFU_OK)
			return e;
		for (size_t j = 0; j < nm; j++)
			for (size_t i = 0; i < nu; i++)
				if (u[i].id == ids[j] && !u[i].deleted && is(u[i].status, "online"))
					x->agents_online++;
	}
	return KEFU_OK;
}
