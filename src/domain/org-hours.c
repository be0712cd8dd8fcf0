/* org-hours: service hours of agent groups: validation, canonical JSON, time zone lookup. */
#include "domain/org.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define ZONEINFO   "/usr/share/zoneinfo"
#define MAX_SPANS  24
#define MAX_CLOSED 366

const char *const org_weekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool org_timezone_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > 64 || name[0] == '/' || strstr(name, "..") != NULL)
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
		      c == '_' || c == '+' || c == '-'))
			return false;
	}
	char path[128];
	snprintf(path, sizeof path, ZONEINFO "/%s", name);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	/* zone.tab, tzdata.zi and friends live there too: only TZif files are zones. */
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return false;
	char magic[4] = {0};
	size_t got = fread(magic, 1, 4, f);
	fclose(f);
	return got == 4 && memcmp(magic, "TZif", 4) == 0;
}

int org_hhmm(const char *s, bool allow_24)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h == 24 && m == 0 && allow_24)
		return 1440;
	if (h > 23 || m > 59)
		return -1;
	return h * 60 + m;
}

static bool date_ok(const char *s)
{
	int y, mo, d;
	char tail;
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3)
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1970 || mo < 1 || mo > 12 || d < 1)
		return false;
	int max = mdays[mo - 1];
	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

static int day_index(const char *key)
{
	for (int i = 0; i < 7; i++)
		if (strcmp(key, org_weekdays[i]) == 0)
			return i;
	return -1;
}

static kefu_err spans(kefu_arena *a, json_object *arr, struct hours_span **out, size_t *n)
{
	if (!json_object_is_type(arr, json_type_array))
		return KEFU_E_INVALID_FIELD;
	size_t len = json_object_array_length(arr);
	if (len > MAX_SPANS)
		return KEFU_E_INVALID_FIELD;
	*out = arena_calloc(a, len + 1, sizeof **out);
	*n = len;
	for (size_t i = 0; i < len; i++) {
		json_object *pair = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(pair, json_type_array) || json_object_array_length(pair) != 2)
			return KEFU_E_INVALID_FIELD;
		json_object *s = json_object_array_get_idx(pair, 0), *e = json_object_array_get_idx(pair, 1);
		if (!json_object_is_type(s, json_type_string) || !json_object_is_type(e, json_type_string))
			return KEFU_E_INVALID_FIELD;
		int start = org_hhmm(json_object_get_string(s), false), end = org_hhmm(json_object_get_string(e), true);
		if (start < 0 || end < 0 || start >= end)
			return KEFU_E_INVALID_FIELD;
		(*out)[i] = (struct hours_span){start, end};
	}
	return KEFU_OK;
}

kefu_err org_hours_parse(kefu_arena *a, json_object *in, struct service_hours *out, const char **bad)
{
	*out = (struct service_hours){0};
	*bad = "service_hours";
	if (!json_object_is_type(in, json_type_object))
		return KEFU_E_INVALID_FIELD;
	json_object *v;
	if (json_object_object_get_ex(in, "timezone", &v) && v != NULL) {
		*bad = "service_hours.timezone";
		if (!json_object_is_type(v, json_type_string) || !org_timezone_valid(json_object_get_string(v)))
			return KEFU_E_INVALID_FIELD;
		out->timezone = json_object_get_string(v);
	}
	if (json_object_object_get_ex(in, "weekly", &v) && v != NULL) {
		*bad = "service_hours.weekly";
		if (!json_object_is_type(v, json_type_object))
			return KEFU_E_INVALID_FIELD;
		json_object_object_foreach(v, key, val)
		{
			int d = day_index(key);
			if (d < 0)
				return KEFU_E_INVALID_FIELD;
			*bad = arena_printf(a, "service_hours.weekly.%s", key);
			if (spans(a, val, &out->weekly[d], &out->nweekly[d]) != KEFU_OK)
				return KEFU_E_INVALID_FIELD;
		}
	}
	if (json_object_object_get_ex(in, "closed_dates", &v) && v != NULL) {
		*bad = "service_hours.closed_dates";
		if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) > MAX_CLOSED)
			return KEFU_E_INVALID_FIELD;
		size_t len = json_object_array_length(v);
		out->closed_dates = arena_calloc(a, len + 1, sizeof *out->closed_dates);
		for (size_t i = 0; i < len; i++) {
			json_object *d = json_object_array_get_idx(v, i);
			if (!json_object_is_type(d, json_type_string) || !date_ok(json_object_get_string(d)))
				return KEFU_E_INVALID_FIELD;
			out->closed_dates[i] = json_object_get_string(d);
		}
		out->nclosed = len;
	}
	*bad = NULL;
	return KEFU_OK;
}

static json_object *hhmm_json(int m)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
	return json_object_new_string(buf);
}

json_object *org_hours_json(const struct service_hours *h)
{
	json_object *o = json_object_new_object();
	if (h->timezone != NULL)
		json_object_object_add(o, "timezone", json_object_new_string(h->timezone));
	json_object *w = json_object_new_object();
	for (int d = 0; d < 7; d++) {
		if (h->nweekly[d] == 0)
			continue;
		json_object *arr = json_object_new_array();
		for (size_t i = 0; i < h->nweekly[d]; i++) {
			json_object *pair = json_object_new_array();
			json_object_array_add(pair, hhmm_json(h->weekly[d][i].start));
			json_object_array_add(pair, hhmm_json(h->weekly[d][i].end));
			json_object_array_add(arr, pair);
		}
		json_object_object_add(w, org_weekdays[d], arr);
	}
	json_object_object_add(o, "weekly", w);
	json_object *c = json_object_new_array();
	for (size_t i = 0; i < h->nclosed; i++)
		json_object_array_add(c, json_object_new_string(h->closed_dates[i]));
	json_object_object_add(o, "closed_dates", c);
	return o;
}

static void put_json(void *p)
{
	json_object_put(p);
}

kefu_err org_hours_parse_text(kefu_arena *a, const char *text, struct service_hours *out)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (o == NULL)
		return KEFU_E_INTERNAL;
	arena_defer(a, put_json, o);
	const char *bad;
	return org_hours_parse(a, o, out, &bad) == KEFU_OK ? KEFU_OK : KEFU_E_INTERNAL;
}
