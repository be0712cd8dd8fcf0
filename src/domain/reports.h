/* reports: the figures of the Reports API (docs/reports.md) over a date range in a time zone, and the real-time board.
 */
#ifndef KEFU_DOMAIN_REPORTS_H
#define KEFU_DOMAIN_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/err.h"
#include "domain/org.h"
#include "store/db.h"
#include "store/store-reports.h"

/* The longest range a report covers (days), and an hourly series (days). */
#define REPORT_MAX_DAYS        400
#define REPORT_MAX_HOURLY_DAYS 62

/*
 * What a report is over: the local days [from, to] (inclusive) in zone tz,
 * as the UTC instants [start, end) of their first and past-last midnight,
 * and the filters. A filter is off unless its by_* is set; by_group with
 * group_id 0 selects the conversations (and leave messages) of no group,
 * by_agent with agent_id 0 those of no agent, so the groups (agents) with
 * "none" partition the total.
 */
struct report_query {
	char from[11], to[11]; /* "YYYY-MM-DD" */
	const char *tz;        /* IANA name */
	time_t start, end;     /* UTC, [start, end) */
	int ndays;
	bool by_channel, by_group, by_agent;
	int64_t channel_id, group_id, agent_id;
};

/*
 * Fill q from the request's text (each may be NULL: from and to default to
 * the last 7 days ending today in the zone, tz to the tenant's). Refuses
 * (KEFU_E_INVALID_FIELD, f names the field) a malformed date, an unknown zone,
 * from after to, a range over REPORT_MAX_DAYS, or a malformed id.
 */
kefu_err report_query_parse(struct kefu_db *db, kefu_arena *a, const struct actor *who, const char *from,
                            const char *to, const char *tz, const char *channel_id, const char *group_id,
                            const char *agent_id, struct report_query *q, struct fault *f);

/* avg/p50/p90 of a set of durations in seconds; has false (all null) over nothing. */
struct report_stat {
	int64_t n;
	bool has;
	double avg, p50, p90;
};

/* Satisfaction: count of ratings, their mean (has false: none) and the count per score 1..5 (dist[0] is score 1). */
struct report_csat {
	int64_t count;
	bool has;
	double avg;
	int64_t dist[5];
};

struct report_summary {
	int64_t conversations, assigned, missed, offline, out_of_hours, leave_messages, transfers;
	int64_t messages_visitor, messages_agent;
	struct report_stat wait, first_response, handle;
	/* The same, counting only time inside the group's service hours. */
	struct report_stat wait_business, first_response_business, handle_business;
	struct report_csat csat;
	struct report_invitations invitations; /* sent in the range (by the day they were sent) */
};

kefu_err report_summary(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct report_query *q,
                        struct report_summary *out);

/*
 * The summary of each part of q's conversations, from one read of the range: by_channel[k] over those of channel
 * channels[k], by_group[k] over those of group groups[k] (0: no group), each as report_summary with that filter
 * added, except that messages_* and leave_messages are not counted (0). The console's "per channel and group" page.
 */
kefu_err report_summary_parts(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct report_query *q,
                              const int64_t *channels, size_t nchannels, struct report_summary *by_channel,
                              const int64_t *groups, size_t ngroups, struct report_summary *by_group);

struct report_agent {
	int64_t id;
	const char *name;
	int64_t conversations;
	struct report_stat first_response, handle, first_response_business, handle_business;
	struct report_csat csat;
	double online_seconds, away_seconds;
};

/* One row per staff member (not deleted, or with conversations in range), by name then id. */
kefu_err report_agents(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct report_query *q,
                       struct report_agent **rows, size_t *n);

/* A point of a series: the start of its interval (UTC) and its offset there; has false: null. */
struct report_point {
	time_t t;
	long offset;   /* seconds east of UTC at t in the query's zone */
	char text[48]; /* RFC 3339 with that offset: "2026-12-06T00:00:00+08:00" */
	bool has;
	double value;
};

/*
 * metric: conversations, missed, wait_p50, first_response_p50, csat_avg;
 * interval: hour or day (NULL: day). Every interval of the range is a point.
 * Refuses (KEFU_E_INVALID_FIELD, f->field "metric" or "interval") other names, or
 * an hourly range over REPORT_MAX_HOURLY_DAYS.
 */
kefu_err report_timeseries(struct kefu_db *db, kefu_arena *a, const struct actor *who, const struct report_query *q,
                           const char *metric, const char *interval, struct report_point **points, size_t *n,
                           struct fault *f);

struct report_group_live {
	int64_t id;
	const char *name;
	int64_t waiting, live, agents_online;
};

struct report_realtime {
	int64_t waiting;
	bool has_longest;
	double longest_wait_seconds;
	int64_t live;
	int64_t agents_online, agents_away, agents_offline;
	struct report_group_live *groups;
	size_t ngroups;
};

/* Now: queued conversations, the longest wait among them, assigned ones, staff by status, per group. */
kefu_err report_realtime(struct kefu_db *db, kefu_arena *a, const struct actor *who, struct report_realtime *out);

/* ---- the math, exposed for the unit tests ---- */

/* avg, p50, p90 of v[0..n) (sorted here): nearest-rank percentiles (docs/reports.md). */
void report_stat_of(double *v, size_t n, struct report_stat *out);

/*
 * The UTC instant of local midnight starting civil date y-m-d in zone (the
 * first instant of that date there, when midnight falls in a DST gap).
 */
time_t report_local_midnight(const char *zone, int y, int m, int d);

/* Seconds of [t0_ms, t1_ms) (UTC milliseconds) inside service hours h (NULL: always open) in zone (hours_zone()). */
double report_business_seconds(const struct service_hours *h, const char *zone, int64_t t0_ms, int64_t t1_ms);

/* Days since 1970-01-01 of civil date y-m-d (proleptic Gregorian). */
int64_t report_days_from_civil(int y, int m, int d);

#endif
