/* geoip: country and city of an address from the operator's MaxMind-format database (geoip_database), when kefu was
 * built with libmaxminddb and one is named; never downloaded, never required. */
#ifndef KEFU_GEOIP_H
#define KEFU_GEOIP_H

#include <stdbool.h>
#include <stddef.h>

/* Sizes of what geoip_lookup writes: an ISO 3166-1 alpha-2 code, a city's name. */
#define GEOIP_COUNTRY_LEN 3
#define GEOIP_CITY_LEN    201

/*
 * Open the database at path for the whole process (path NULL or empty: none;
 * lookups then find nothing). 0; -1 with err filled when the file cannot be
 * read as a MaxMind DB. Built without libmaxminddb, a named path is ignored
 * with 1 (the caller says so once). Call before any lookup; not thread-safe.
 */
int geoip_open(const char *path, char *err, size_t errlen);
/* Whether a database is open. */
bool geoip_enabled(void);
/*
 * The country's iso_code and the city's English name for address text ip.
 * Each is "" when the database has none; false when nothing was found (no
 * database, not an address, not in it). Thread-safe.
 */
bool geoip_lookup(const char *ip, char country[GEOIP_COUNTRY_LEN], char city[GEOIP_CITY_LEN]);
/* Close the database (tests, the end of the process). */
void geoip_close(void);

#endif
