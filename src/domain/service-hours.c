/* service-hours: a small TZif reader with a per-process cache, civil dates, and the open/closed test. */
#include "domain/service-hours.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZONEINFO   "/usr/share/zoneinfo"
#define ZONE_CACHE 64

struct zone {
	char name[72];
	size_t n;     /* transitions */
	int64_t *at;  /* transition instants, ascending */
	int32_t *off; /* offset in force from at[i] */
	int32_t off0; /* before the first transition */
	bool ok;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct zone cache[ZONE_CACHE];
static size_t ncache;

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Parse a TZif file's data block (v1 with 4-byte times, v2+ with 8). */
static bool parse_tzif(const unsigned char *b, size_t len, struct zone *z)
{
	if (len < 44 || memcmp(b, "TZif", 4) != 0)
		return false;
	size_t off = 0;
	int tsize = 4;
	for (int pass = 0; pass < 2; pass++) {
		if (off + 44 > len || memcmp(b + off, "TZif", 4) != 0)
			return false;
		char version = (char)b[off + 4];
		const unsigned char *h = b + off + 20;
		size_t isut = be32(h), isstd = be32(h + 4), leap = be32(h + 8), timecnt = be32(h + 12),
		       typecnt = be32(h + 16), charcnt = be32(h + 20);
		if (timecnt > 5000 || typecnt == 0 || typecnt > 256 || charcnt > 4096 || leap > 1000)
			return false;
		size_t body = timecnt * tsize + timecnt + typecnt * 6 + charcnt + leap * (tsize + 4) + isstd + isut;
		const unsigned char *p = b + off + 44;
		if (off + 44 + body > len)
			return false;
		if (pass == 0 && version >= '2') {
			off += 44 + body; /* skip the 32-bit block, read the 64-bit one */
			tsize = 8;
			continue;
		}
		const unsigned char *idx = p + timecnt * tsize, *types = idx + timecnt;
		z->n = timecnt;
		z->at = calloc(timecnt + 1, sizeof *z->at);
		z->off = calloc(timecnt + 1, sizeof *z->off);
		if (z->at == NULL || z->off == NULL)
			return false;
		for (size_t i = 0; i < timecnt; i++) {
			z->at[i] = tsize == 8 ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
			size_t ti = idx[i];
			if (ti >= typecnt)
				return false;
			z->off[i] = (int32_t)be32(types + ti * 6);
		}
		/* Before the first transition: the first standard-time type (RFC 8536 3.2). */
		z->off0 = (int32_t)be32(types);
		for (size_t t = 0; t < typecnt; t++)
			if (types[t * 6 + 4] == 0) {
				z->off0 = (int32_t)be32(types + t * 6);
				break;
			}
		return true;
	}
	return false;
}

static bool load_zone(const char *name, struct zone *z)
{
	memset(z, 0, sizeof *z);
	snprintf(z->name, sizeof z->name, "%s", name);
	if (!org_timezone_valid(name))
		return false;
	char path[160];
	snprintf(path, sizeof path, ZONEINFO "/%s", name);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	unsigned char buf[65536];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	z->ok = parse_tzif(buf, len, z);
	return z->ok;
}

/* The offset (seconds east of UTC) of zone name at t; false when unknown. */
static bool zone_offset(const char *name, time_t t, long *offset)
{
	*offset = 0;
	pthread_mutex_lock(&cache_lock);
	struct zone *z = NULL, tmp;
	for (size_t i = 0; i < ncache; i++)
		if (strcmp(cache[i].name, name) == 0)
			z = &cache[i];
	if (z == NULL) {
		load_zone(name, &tmp);
		if (ncache < ZONE_CACHE) {
			cache[ncache] = tmp;
			z = &cache[ncache++];
		} else {
			z = &tmp; /* a full cache reads the file each time rather than grow without bound */
		}
	}
	bool ok = z->ok;
	if (ok) {
		long off = z->off0;
		size_t lo = 0, hi = z->n; /* last transition <= t */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (z->at[mid] <= (int64_t)t)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0)
			off = z->off[lo - 1];
		*offset = off;
	}
	if (z == &tmp) {
		free(tmp.at);
		free(tmp.off);
	}
	pthread_mutex_unlock(&cache_lock);
	return ok;
}

void tz_civil(time_t t, long offset, struct local_time *out)
{
	int64_t s = (int64_t)t + offset;
	int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	int64_t secs = s - days * 86400;
	out->minute = (int)(secs / 60);
	out->wday = (int)(((days + 3) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	/* Howard Hinnant's days_from_civil inverse. */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	out->year = (int)(y + (m <= 2));
	out->month = (int)m;
	out->day = (int)d;
	int yy = ((out->year % 10000) + 10000) % 10000;
	out->date[0] = (char)('0' + yy / 1000);
	out->date[1] = (char)('0' + yy / 100 % 10);
	out->date[2] = (char)('0' + yy / 10 % 10);
	out->date[3] = (char)('0' + yy % 10);
	out->date[4] = '-';
	out->date[5] = (char)('0' + out->month / 10);
	out->date[6] = (char)('0' + out->month % 10);
	out->date[7] = '-';
	out->date[8] = (char)('0' + out->day / 10);
	out->date[9] = (char)('0' + out->day % 10);
	out->date[10] = '\0';
}

bool tz_offset(const char *zone, time_t t, long *offset)
{
	*offset = 0;
	if (zone == NULL || zone[0] == '\0' || strcmp(zone, "UTC") == 0)
		return true;
	return zone_offset(zone, t, offset);
}

bool tz_local(const char *zone, time_t t, struct local_time *out)
{
	long off = 0;
	bool ok = tz_offset(zone, t, &off);
	tz_civil(t, off, out);
	return ok;
}

bool hours_open_at(const struct service_hours *h, const struct local_time *lt)
{
	if (h == NULL)
		return true;
	for (size_t i = 0; i < h->nclosed; i++)
		if (strcmp(h->closed_dates[i], lt->date) == 0)
			return false;
	for (size_t i = 0; i < h->nweekly[lt->wday]; i++)
		if (lt->minute >= h->weekly[lt->wday][i].start && lt->minute < h->weekly[lt->wday][i].end)
			return true;
	return false;
}

const char *hours_zone(const struct service_hours *h, const char *tenant_zone)
{
	if (h != NULL && h->timezone != NULL && h->timezone[0] != '\0')
		return h->timezone;
	return tenant_zone != NULL && tenant_zone[0] != '\0' ? tenant_zone : "UTC";
}
