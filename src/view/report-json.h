/* report-json: the Reports API's JSON objects (docs/openapi.json) and their CSV form. */
#ifndef KEFU_VIEW_REPORT_JSON_H
#define KEFU_VIEW_REPORT_JSON_H

#include <stddef.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "domain/reports.h"

json_object *report_summary_json(const struct report_summary *s);
json_object *report_agents_json(const struct report_agent *rows, size_t n); /* {"items": [...]} */
json_object *report_points_json(const struct report_point *p, size_t n);    /* {"points": [...]} */
json_object *report_realtime_json(const struct report_realtime *r);

/*
 * The CSV of a report's JSON (RFC 4180, CRLF): the columns are the JSON
 * field names, nested ones joined with "_"; a list (the member named list,
 * e.g. "items" or "points") gives one row per element, anything else one
 * row of the object's members that are not lists. null is an empty cell,
 * a number is written as in the JSON. A text starting with = + - @ gets a
 * leading ' so a spreadsheet does not run it as a formula.
 */
char *report_csv(kefu_arena *a, json_object *doc, const char *list, size_t *len);

#endif
