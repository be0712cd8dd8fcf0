/* json: the small JSON value helpers every view shares (times, ids), and the field tables that turn a row struct
 * into its JSON object. */
#ifndef KEFU_VIEW_JSON_H
#define KEFU_VIEW_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* RFC 3339 UTC from a DATETIME text ("2026-11-24 08:00:00.123" →
 * "2026-11-24T08:00:00Z"); NULL stays JSON null. Caller owns the result. */
json_object *json_time(const char *datetime);
/* A 64-bit id, or JSON null for 0. */
json_object *json_id(int64_t id);
/* A string, or JSON null for NULL. */
json_object *json_str(const char *s);
/* A string, or JSON null for NULL or "" (a fact that may be unknown). */
json_object *json_nonempty(const char *s);
/* The value of a JSON text the store keeps (canonical, written by us), or
 * JSON null for NULL. */
json_object *json_parsed(const char *text);
/* {"id", "name"} of a person or channel (name null when unknown), or JSON
 * null for id 0. */
json_object *json_named(int64_t id, const char *name);

/*
 * A view as a table, one row per member, in the order the object shows
 * them (as openradtool's generated JSON writers do it from the struct):
 *
 *	static const struct json_field canned_fields[] = {
 *	    JSON_FIELD(struct canned_row, id, I64),
 *	    JSON_FIELD_AS("language", struct facts, locale, NONEMPTY),
 *	    JSON_FIELD_FN("scope", scope_of),
 *	};
 *	json_fields(o, row, canned_fields, JSON_NFIELDS(canned_fields));
 *
 * The member's C type is checked at compile time against the kind.
 */
enum json_kind {
	JSON_I64,      /* int64_t */
	JSON_INT,      /* int */
	JSON_ID,       /* int64_t, 0 → null (json_id): an id or a count that may be none */
	JSON_BOOL,     /* bool */
	JSON_STR,      /* const char *, NULL → null (json_str) */
	JSON_NONEMPTY, /* const char *, NULL or "" → null (json_nonempty) */
	JSON_TIME,     /* const char * DATETIME → RFC 3339 (json_time) */
	JSON_PARSED,   /* const char * JSON text → its value (json_parsed) */
	JSON_ARRAY,    /* const char * JSON text → its value, [] for NULL or not JSON */
	JSON_OBJECT,   /* const char * JSON text → its value, {} for NULL or not JSON */
	JSON_FN,       /* made by .fn from the whole row */
};

struct json_field {
	const char *name;
	enum json_kind kind;
	size_t offset;                       /* of the member in the row */
	json_object *(*fn)(const void *row); /* JSON_FN: a new value (or NULL for null) */
};

#define JSON_CTYPE_I64(x)   _Generic((x), int64_t : 0)
#define JSON_CTYPE_INT(x)   _Generic((x), int : 0)
#define JSON_CTYPE_ID(x)    _Generic((x), int64_t : 0)
#define JSON_CTYPE_BOOL(x)  _Generic((x), bool : 0)
#define JSON_CTYPE_STR(x)   _Generic((x), const char * : 0, char * : 0)
#define JSON_CTYPE_NONEMPTY JSON_CTYPE_STR
#define JSON_CTYPE_TIME     JSON_CTYPE_STR
#define JSON_CTYPE_PARSED   JSON_CTYPE_STR
#define JSON_CTYPE_ARRAY    JSON_CTYPE_STR
#define JSON_CTYPE_OBJECT   JSON_CTYPE_STR

/* The member m of row type T as name, of kind K (I64, INT, ID, BOOL, STR, NONEMPTY, TIME, PARSED, ARRAY, OBJECT).
 * The sizeof term adds 0: it is there so that a member of another type than K reads does not compile. */
#define JSON_FIELD_AS(name, T, m, K)                                                                                   \
	{                                                                                                              \
		(name), JSON_##K, offsetof(T, m) + sizeof(JSON_CTYPE_##K(((T *)0)->m)) * 0, NULL                       \
	}
/* The same, under the member's own name. */
#define JSON_FIELD(T, m, K) JSON_FIELD_AS(#m, T, m, K)
/* A member computed from the whole row. */
#define JSON_FIELD_FN(name, f)                                                                                         \
	{                                                                                                              \
		(name), JSON_FN, 0, (f)                                                                                \
	}
#define JSON_NFIELDS(t) (sizeof(t) / sizeof((t)[0]))

/* A list's answer: {"items": items}, and {"items", "next_after"} for a page
 * of one (next_after 0, the last page: null). Take items. */
json_object *json_items(json_object *items);
json_object *json_page(json_object *items, int64_t next_after);

/* Adds the n fields of row to o; returns o. */
json_object *json_fields(json_object *o, const void *row, const struct json_field *f, size_t n);
/* [the fields of each of the n rows, size bytes apart]: a list's items. */
json_object *json_rows(const void *rows, size_t n, size_t size, const struct json_field *f, size_t nf);
#define JSON_ROWS(rows, n, t) json_rows((rows), (n), sizeof *(rows), (t), JSON_NFIELDS(t))
/* A new object of row's fields by table t; the caller owns it. */
#define JSON_VIEW(row, t) json_fields(json_object_new_object(), (row), (t), JSON_NFIELDS(t))

#endif
