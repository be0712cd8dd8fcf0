/* json: the small JSON value helpers every view shares (times, ids), and the field-table writer. */
#include "view/json.h"

#include <string.h>

json_object *json_time(const char *dt)
{
	if (dt == NULL)
		return NULL;
	char buf[32];
	/* DATETIME text is "YYYY-MM-DD HH:MM:SS[.fff]"; the sessions run in UTC. */
	if (strlen(dt) < 19)
		return json_object_new_string(dt);
	/* Copied, not snprintf'd: every time in every answer comes through here (a message's post among them). */
	memcpy(buf, dt, 10);
	buf[10] = 'T';
	memcpy(buf + 11, dt + 11, 8);
	buf[19] = 'Z';
	return json_object_new_string_len(buf, 20);
}

json_object *json_id(int64_t id)
{
	return id == 0 ? NULL : json_object_new_int64(id);
}

json_object *json_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *json_nonempty(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

json_object *json_parsed(const char *text)
{
	return text ? json_tokener_parse(text) : NULL;
}

json_object *json_named(int64_t id, const char *name)
{
	if (id == 0)
		return NULL;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "name", json_str(name));
	return o;
}

json_object *json_items(json_object *items)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "items", items);
	return o;
}

json_object *json_page(json_object *items, int64_t next_after)
{
	json_object *o = json_items(items);
	json_object_object_add(o, "next_after", json_id(next_after));
	return o;
}

static json_object *field_value(const void *row, const struct json_field *f)
{
	const char *at = (const char *)row + f->offset;
	int64_t i;
	const char *s;
	json_object *v;
	switch (f->kind) {
	case JSON_INT: return json_object_new_int(*(const int *)(const void *)at);
	case JSON_BOOL: return json_object_new_boolean(*(const bool *)(const void *)at);
	case JSON_FN: return f->fn(row);
	case JSON_I64:
	case JSON_ID: memcpy(&i, at, sizeof i); return f->kind == JSON_ID ? json_id(i) : json_object_new_int64(i);
	case JSON_STR:
	case JSON_NONEMPTY:
	case JSON_TIME:
	case JSON_PARSED:
	case JSON_ARRAY:
	case JSON_OBJECT: break;
	}
	memcpy(&s, at, sizeof s);
	switch (f->kind) {
	case JSON_STR: return json_str(s);
	case JSON_NONEMPTY: return json_nonempty(s);
	case JSON_TIME: return json_time(s);
	case JSON_PARSED: return json_parsed(s);
	default:
		v = json_parsed(s);
		return v ? v : f->kind == JSON_ARRAY ? json_object_new_array() : json_object_new_object();
	}
}

json_object *json_fields(json_object *o, const void *row, const struct json_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_object_object_add(o, f[i].name, field_value(row, &f[i]));
	return o;
}

json_object *json_rows(const void *rows, size_t n, size_t size, const struct json_field *f, size_t nf)
{
	json_object *items = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++)
		json_object_array_add(items,
		                      json_fields(json_object_new_object(), (const char *)rows + i * size, f, nf));
	return items;
}
