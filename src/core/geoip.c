/* geoip: lookups in the operator's MaxMind-format database through libmaxminddb (optional at build time). */
#ifdef HAVE_CONFIG_H
#include "config.h" /* HAVE_MAXMINDDB */
#endif

#include "core/geoip.h"

#include <stdio.h>
#include <string.h>

#ifdef HAVE_MAXMINDDB
#include <maxminddb.h>

static MMDB_s db;
static bool open_;

int geoip_open(const char *path, char *err, size_t errlen)
{
	if (path == NULL || *path == '\0')
		return 0;
	/* MMDB_MODE_MMAP: the file is mapped once and shared by every thread; lookups only read it. */
	int rc = MMDB_open(path, MMDB_MODE_MMAP, &db);
	if (rc != MMDB_SUCCESS) {
		snprintf(err, errlen, "geoip_database %s: %s", path, MMDB_strerror(rc));
		return -1;
	}
	open_ = true;
	return 0;
}

bool geoip_enabled(void)
{
	return open_;
}

/* The UTF-8 string at the path (a NULL-terminated list of keys) into out; false when absent or not a string. */
static bool string_at(MMDB_entry_s *e, char *out, size_t n, const char *const *path)
{
	MMDB_entry_data_s d;
	out[0] = '\0';
	if (MMDB_aget_value(e, &d, path) != MMDB_SUCCESS || !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return false;
	size_t len = d.data_size < n - 1 ? d.data_size : n - 1;
	memcpy(out, d.utf8_string, len);
	out[len] = '\0';
	return true;
}

bool geoip_lookup(const char *ip, char country[GEOIP_COUNTRY_LEN], char city[GEOIP_CITY_LEN])
{
	country[0] = city[0] = '\0';
	if (!open_ || ip == NULL)
		return false;
	int gai = 0, rc = 0;
	MMDB_lookup_result_s r = MMDB_lookup_string(&db, ip, &gai, &rc);
	if (gai != 0 || rc != MMDB_SUCCESS || !r.found_entry)
		return false;
	static const char *const iso[] = {"country", "iso_code", NULL};
	static const char *const name[] = {"city", "names", "en", NULL};
	char code[8];
	/* Only a two-letter code fits the column; anything else is no country. */
	if (string_at(&r.entry, code, sizeof code, iso) && strlen(code) == 2)
		memcpy(country, code, 3);
	string_at(&r.entry, city, GEOIP_CITY_LEN, name);
	return country[0] != '\0' || city[0] != '\0';
}

void geoip_close(void)
{
	if (open_)
		MMDB_close(&db);
	open_ = false;
}

#else

int geoip_open(const char *path, char *err, size_t errlen)
{
	if (path == NULL || *path == '\0')
		return 0;
	snprintf(err, errlen, "geoip_database is set but kefu was built without libmaxminddb: no country or city");
	return 1;
}

bool geoip_enabled(void)
{
	return false;
}

bool geoip_lookup(const char *ip, char country[GEOIP_COUNTRY_LEN], char city[GEOIP_CITY_LEN])
{
	(void)ip;
	country[0] = city[0] = '\0';
	return false;
}

void geoip_close(void)
{
}

#endif
