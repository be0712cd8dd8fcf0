/* service-hours: local time in an IANA zone (TZif reader) and whether a group's service hours are open at an instant.
 */
#ifndef KEFU_DOMAIN_SERVICE_HOURS_H
#define KEFU_DOMAIN_SERVICE_HOURS_H

#include <stdbool.h>
#include <time.h>

#include "domain/org.h"

/* A wall-clock instant in some zone. */
struct local_time {
	int year, month, day; /* civil date */
	int wday;             /* 0 = Monday ... 6 = Sunday (org_weekdays order) */
	int minute;           /* minutes since local midnight */
	char date[11];        /* "YYYY-MM-DD" */
};

/*
 * t (UTC seconds) as wall-clock time in zone (an IANA name; NULL or "" or
 * "UTC" is UTC). Reads /usr/share/zoneinfo/<zone> once per process and
 * caches it (thread-safe); localtime_r is not used because switching TZ is
 * process-wide. Beyond the file's last transition the last offset holds
 * (Debian ships "fat" files with transitions to 2037). false when the zone
 * cannot be read (the result is then UTC).
 */
bool tz_local(const char *zone, time_t t, struct local_time *out);

/* The offset (seconds east of UTC) of zone at t, as tz_local uses it; false (offset 0) when unreadable. */
bool tz_offset(const char *zone, time_t t, long *offset);

/* UTC seconds → civil time at a fixed offset (seconds east of UTC). */
void tz_civil(time_t t, long offset, struct local_time *out);

/*
 * Whether service hours h are open at local time lt: not a closed date, and
 * inside one of the weekday's spans (start inclusive, end exclusive). A
 * weekday without spans is closed all day. h NULL: no service hours, open.
 */
bool hours_open_at(const struct service_hours *h, const struct local_time *lt);

/* The zone the hours use: h->timezone, else tenant_zone, else "UTC". */
const char *hours_zone(const struct service_hours *h, const char *tenant_zone);

#endif
