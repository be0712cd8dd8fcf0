/* chart: the geometry of the console's report charts (bars, a line, a heat map) as JSON that
 * templates/partial-chart.xhtml draws as SVG. */
#ifndef KEFU_CHART_H
#define KEFU_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json_object.h>

/*
 * Charts are drawn by the server: this module computes every coordinate and
 * label, the template only places them, so a chart needs no script and
 * prints like the rest of the page. Every chart also carries its numbers as
 * rows (`rows`, or `grid` for a heat map), which the partial shows as a
 * table: the chart is a picture of a table, never the only place a number is.
 *
 * The object: {"id", "kind" ("bars"|"line"|"heat"), "title", "x_name",
 * "y_name", "view_box", "width", "height", "empty" (nothing but zeros and
 * nulls), "yticks": [{"x1","x2","y","tx","ty","text"}], "xlabels":
 * [{"x","y","text"}], "axis": {"x1","y1","x2","y2"}, and by kind "bars":
 * [{"x","y","w","h","title"}]; "path" (the line's "d", null points break
 * it), "dots": [{"cx","cy","title"}]; "cells": [{"x","y","w","h","class"
 * ("heat-0".."heat-5"), "text","tx","ty","title"}], "cols" and "grid":
 * [{"label","values":[text]}], "wide" (true: the whole row of a grid); "rows": [{"label","value"}] for bars and
 * lines, values as text ("" for null)}. The caller may add "csv" (a link).
 */

/* One point of a series: its x label and its value (has == false: no value, e.g. an average over nothing). */
struct chart_pt {
	const char *label;
	double v;
	bool has;
};

/* Bars or a line over n points. id is the figure's element id, title its
 * accessible name, x_name and y_name the axes' (and the table's column)
 * names. Strings are copied. Returns a new object (the caller owns it). */
json_object *chart_bars(const char *id, const char *title, const char *x_name, const char *y_name,
                        const struct chart_pt *p, size_t n);
json_object *chart_line(const char *id, const char *title, const char *x_name, const char *y_name,
                        const struct chart_pt *p, size_t n);

/* A heat map of nr rows x nc columns, v row-major (nr * nc values, all
 * present). Shade classes split the range 0..max in five steps. */
json_object *chart_heat(const char *id, const char *title, const char *x_name, const char *y_name,
                        const char *const *rows, size_t nr, const char *const *cols, size_t nc, const double *v);

/* A value as the charts print it: an integer without decimals, from 10 on
 * one decimal, below three significant digits; "" for no value. Writes
 * into buf. */
const char *chart_num(char *buf, size_t len, double v, bool has);

#endif
