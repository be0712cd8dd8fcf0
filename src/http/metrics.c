/* metrics: lock-free per-route counters and latency histograms. */
#include "http/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/router.h"
#include "store/db.h"

#define MAX_ROUTES 512
#define NCLASS     5 /* 1xx..5xx */
static const double buckets_ms[] = {1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000};
#define NBUCKETS (sizeof buckets_ms / sizeof buckets_ms[0])

struct route_stats {
	atomic_uint_fast64_t by_class[NCLASS];
	atomic_uint_fast64_t bucket[NBUCKETS + 1];
	atomic_uint_fast64_t sum_us;
};

/* One extra slot for requests that matched no route. */
static struct route_stats stats[MAX_ROUTES + 1];
static atomic_int_fast64_t inflight;
static atomic_uint_fast64_t db_errors;

void metrics_request(const struct route *route, int status, double ms)
{
	size_t n, i = route ? router_index(route) : MAX_ROUTES;
	router_all(&n);
	if (i >= n || i >= MAX_ROUTES)
		i = MAX_ROUTES;
	struct route_stats *s = &stats[i];
	int cls = status / 100 - 1;
	if (cls >= 0 && cls < NCLASS)
		atomic_fetch_add(&s->by_class[cls], 1);
	size_t b = 0;
	while (b < NBUCKETS && ms > buckets_ms[b])
		b++;
	atomic_fetch_add(&s->bucket[b], 1);
	atomic_fetch_add(&s->sum_us, (uint64_t)(ms * 1000.0));
}

void metrics_inflight(int delta)
{
	atomic_fetch_add(&inflight, delta);
}

void metrics_db_error(void)
{
	atomic_fetch_add(&db_errors, 1);
}

struct out {
	kefu_arena *a;
	char *buf;
	size_t len, cap;
};

static void add(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(o->a, fmt, ap);
	va_end(ap);
	size_t n = strlen(s);
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->cap + n + 1) * 2;
		char *nb = arena_alloc(o->a, cap);
		if (o->len > 0)
			memcpy(nb, o->buf, o->len);
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n + 1);
	o->len += n;
}

static void route_series(struct out *o, const char *label, const struct route_stats *s)
{
	uint64_t total = 0;
	for (int c = 0; c < NCLASS; c++) {
		uint64_t v = atomic_load(&s->by_class[c]);
		if (v)
			add(o, "kefu_http_requests_total{%s,code=\"%dxx\"} %llu\n", label, c + 1,
			    (unsigned long long)v);
	}
	for (size_t b = 0; b <= NBUCKETS; b++)
		total += atomic_load(&s->bucket[b]);
	if (total == 0)
		return;
	uint64_t cum = 0;
	for (size_t b = 0; b < NBUCKETS; b++) {
		cum += atomic_load(&s->bucket[b]);
		add(o, "kefu_http_request_duration_seconds_bucket{%s,le=\"%g\"} %llu\n", label, buckets_ms[b] / 1000.0,
		    (unsigned long long)cum);
	}
	add(o, "kefu_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %llu\n", label, (unsigned long long)total);
	add(o, "kefu_http_request_duration_seconds_sum{%s} %.6f\n", label, (double)atomic_load(&s->sum_us) / 1e6);
	add(o, "kefu_http_request_duration_seconds_count{%s} %llu\n", label, (unsigned long long)total);
}

char *metrics_render(kefu_arena *a, int64_t parked)
{
	struct out o = {.a = a};
	add(&o, "# HELP kefu_http_requests_total Requests answered, by route and status class.\n"
	        "# TYPE kefu_http_requests_total counter\n"
	        "# HELP kefu_http_request_duration_seconds Time to answer, by route.\n"
	        "# TYPE kefu_http_request_duration_seconds histogram\n");
	size_t n;
	const struct route *const *all = router_all(&n);
	for (size_t i = 0; i < n && i < MAX_ROUTES; i++)
		route_series(&o, arena_printf(a, "method=\"%s\",route=\"%s\"", all[i]->method, all[i]->pattern),
		             &stats[i]);
	route_series(&o, "method=\"\",route=\"unmatched\"", &stats[MAX_ROUTES]);
	add(&o,
	    "# HELP kefu_http_requests_in_flight Requests being handled now.\n"
	    "# TYPE kefu_http_requests_in_flight gauge\n"
	    "kefu_http_requests_in_flight %lld\n",
	    (long long)atomic_load(&inflight));
	add(&o,
	    "# HELP kefu_db_errors_total Requests that failed because the database was unavailable.\n"
	    "# TYPE kefu_db_errors_total counter\nkefu_db_errors_total %llu\n",
	    (unsigned long long)atomic_load(&db_errors));
	add(&o,
	    "# HELP kefu_db_tx_retries_total Transactions retried after a deadlock or lock wait timeout.\n"
	    "# TYPE kefu_db_tx_retries_total counter\nkefu_db_tx_retries_total %llu\n",
	    (unsigned long long)db_tx_retries());
	add(&o,
	    "# HELP kefu_longpoll_parked Long-polls waiting in this process.\n"
	    "# TYPE kefu_longpoll_parked gauge\nkefu_longpoll_parked %lld\n",
	    (long long)parked);
	add(&o, "kefu_process_id %ld\n", (long)getpid());
	return o.buf;
}
