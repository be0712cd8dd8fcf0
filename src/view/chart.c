/* chart: the geometry of the console's report charts (bars, a line, a heat map) as JSON that
 * templates/partial-chart.xhtml draws as SVG. */
#include "view/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

/* The drawing's own units (the SVG scales to its box): wide enough for a
 * month of days, the labels' font size fixed in these units by the CSS. */
enum { W = 720, H = 260, ML = 56, MR = 12, MT = 14, MB = 44, HEAT_ROW = 26, HEAT_ML = 48, MAX_XLABELS = 12 };

const char *chart_num(char *buf, size_t len, double v, bool has)
{
	if (!has)
		snprintf(buf, len, "%s", "");
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, len, "%.1f", v);
	else {
		/* Small values keep three significant digits (a 0.02 s response is not "0"), without trailing zeros. */
		snprintf(buf, len, "%.3g", v);
		if (strchr(buf, '.') && !strchr(buf, 'e')) {
			size_t n = strlen(buf);
			while (n > 0 && buf[n - 1] == '0')
				buf[--n] = '\0';
			if (n > 0 && buf[n - 1] == '.')
				buf[--n] = '\0';
		}
	}
	return buf;
}

static double r1(double x)
{
	return round(x * 10) / 10;
}

static void add_d(json_object *o, const char *k, double v)
{
	json_object_object_add(o, k, json_object_new_double(r1(v)));
}

static void add_s(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

/* The smallest of 1, 2, 5 times a power of ten at or above x (x > 0). */
static double nice_step(double x)
{
	double e = pow(10, floor(log10(x))), f = x / e;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * e;
}

static json_object *frame(const char *kind, const char *id, const char *title, const char *x_name, const char *y_name,
                          int height)
{
	json_object *c = json_object_new_object();
	char vb[64];
	snprintf(vb, sizeof vb, "0 0 %d %d", W, height);
	add_s(c, "id", id);
	add_s(c, "kind", kind);
	add_s(c, "title", title);
	add_s(c, "x_name", x_name);
	add_s(c, "y_name", y_name);
	add_s(c, "view_box", vb);
	json_object_object_add(c, "width", json_object_new_int(W));
	json_object_object_add(c, "height", json_object_new_int(height));
	char flag[16]; /* is_bars, is_line, is_heat: what the partial tests */
	snprintf(flag, sizeof flag, "is_%s", kind);
	json_object_object_add(c, flag, json_object_new_boolean(1));
	return c;
}

/* The parts bars and lines share: the value axis with its ticks, the x labels, the table rows. Returns the axis top. */
static double series_frame(json_object *c, const struct chart_pt *p, size_t n, double *slot)
{
	double max = 0;
	bool any = false;
	for (size_t i = 0; i < n; i++)
		if (p[i].has) {
			if (p[i].v > max)
				max = p[i].v;
			if (p[i].v != 0)
				any = true;
		}
	json_object_object_add(c, "empty", json_object_new_boolean(!any));
	double step = nice_step(max > 0 ? max / 4 : 0.25), top = ceil(max / step - 1e-9) * step;
	if (top <= 0)
		top = step;
	const double pw = W - ML - MR, ph = H - MT - MB;
	char buf[64];
	json_object *ticks = json_object_new_array();
	for (int i = 0; i * step <= top + step / 2; i++) {
		double t = i * step;
		json_object *k = json_object_new_object();
		double y = MT + ph - t / top * ph;
		add_d(k, "x1", ML);
		add_d(k, "x2", W - MR);
		add_d(k, "y", y);
		add_d(k, "tx", ML - 6);
		add_d(k, "ty", y + 4);
		add_s(k, "text", chart_num(buf, sizeof buf, round(t / step) * step, true));
		json_object_array_add(ticks, k);
	}
	json_object_object_add(c, "yticks", ticks);
	json_object *axis = json_object_new_object();
	add_d(axis, "x1", ML);
	add_d(axis, "y1", MT + ph);
	add_d(axis, "x2", W - MR);
	add_d(axis, "y2", MT + ph);
	json_object_object_add(c, "axis", axis);

	*slot = n ? pw / (double)n : pw;
	size_t every = n > MAX_XLABELS ? (n + MAX_XLABELS - 1) / MAX_XLABELS : 1;
	json_object *xl = json_object_new_array(), *rows = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *row = json_object_new_object();
		add_s(row, "label", p[i].label);
		add_s(row, "value", chart_num(buf, sizeof buf, p[i].v, p[i].has));
		json_object_array_add(rows, row);
		if (i % every)
			continue;
		json_object *l = json_object_new_object();
		add_d(l, "x", ML + (i + 0.5) * *slot);
		add_d(l, "y", MT + ph + 18);
		add_s(l, "text", p[i].label);
		json_object_array_add(xl, l);
	}
	json_object_object_add(c, "xlabels", xl);
	json_object_object_add(c, "rows", rows);
	return top;
}

static void point_title(char *out, size_t len, const struct chart_pt *p)
{
	char num[64];
	snprintf(out, len, "%s: %s", p->label ? p->label : "", p->has ? chart_num(num, sizeof num, p->v, true) : "-");
}

json_object *chart_bars(const char *id, const char *title, const char *x_name, const char *y_name,
                        const struct chart_pt *p, size_t n)
{
	json_object *c = frame("bars", id, title, x_name, y_name, H);
	double slot, top = series_frame(c, p, n, &slot), ph = H - MT - MB;
	json_object *bars = json_object_new_array();
	char t[256];
	for (size_t i = 0; i < n; i++) {
		if (!p[i].has || p[i].v <= 0)
			continue;
		json_object *b = json_object_new_object();
		double h = p[i].v / top * ph;
		add_d(b, "x", ML + i * slot + slot * 0.15);
		add_d(b, "w", slot * 0.7);
		add_d(b, "y", MT + ph - h);
		add_d(b, "h", h);
		point_title(t, sizeof t, &p[i]);
		add_s(b, "title", t);
		json_object_array_add(bars, b);
	}
	json_object_object_add(c, "bars", bars);
	return c;
}

json_object *chart_line(const char *id, const char *title, const char *x_name, const char *y_name,
                        const struct chart_pt *p, size_t n)
{
	json_object *c = frame("line", id, title, x_name, y_name, H);
	double slot, top = series_frame(c, p, n, &slot), ph = H - MT - MB;
	json_object *dots = json_object_new_array();
	size_t cap = n * 32 + 1, used = 0;
	char *d = malloc(cap), t[256];
	d[0] = '\0';
	bool pen = false;
	for (size_t i = 0; i < n; i++) {
		if (!p[i].has) {
			pen = false;
			continue;
		}
		double x = r1(ML + (i + 0.5) * slot), y = r1(MT + ph - p[i].v / top * ph);
		int k = snprintf(d + used, cap - used, "%s%s%g %g", used ? " " : "", pen ? "L" : "M", x, y);
		if (k > 0 && (size_t)k < cap - used)
			used += (size_t)k;
		pen = true;
		json_object *o = json_object_new_object();
		add_d(o, "cx", x);
		add_d(o, "cy", y);
		point_title(t, sizeof t, &p[i]);
		add_s(o, "title", t);
		json_object_array_add(dots, o);
	}
	add_s(c, "path", d);
	free(d);
	json_object_object_add(c, "dots", dots);
	return c;
}

json_object *chart_heat(const char *id, const char *title, const char *x_name, const char *y_name,
                        const char *const *rows, size_t nr, const char *const *cols, size_t nc, const double *v)
{
	int height = MT + (int)nr * HEAT_ROW + 30;
	json_object *c = frame("heat", id, title, x_name, y_name, height);
	double max = 0, cw = nc ? (W - HEAT_ML - MR) / (double)nc : 0;
	for (size_t i = 0; i < nr * nc; i++)
		if (v[i] > max)
			max = v[i];
	json_object_object_add(c, "empty", json_object_new_boolean(max <= 0));
	json_object *cells = json_object_new_array(), *grid = json_object_new_array(), *yl = json_object_new_array(),
	            *xl = json_object_new_array(), *colnames = json_object_new_array();
	char buf[64], t[256];
	for (size_t r = 0; r < nr; r++) {
		json_object *g = json_object_new_object(), *vals = json_object_new_array();
		add_s(g, "label", rows[r]);
		json_object *l = json_object_new_object();
		add_d(l, "x", HEAT_ML - 6);
		add_d(l, "y", MT + r * HEAT_ROW + HEAT_ROW / 2.0 + 4);
		add_s(l, "text", rows[r]);
		json_object_array_add(yl, l);
		for (size_t k = 0; k < nc; k++) {
			double x = v[r * nc + k];
			int level = x <= 0 || max <= 0 ? 0 : 1 + (int)floor(x / max * 4.999);
			json_object *cell = json_object_new_object();
			add_d(cell, "x", HEAT_ML + k * cw);
			add_d(cell, "y", MT + r * HEAT_ROW);
			add_d(cell, "w", cw - 1);
			add_d(cell, "h", HEAT_ROW - 1);
			add_d(cell, "tx", HEAT_ML + k * cw + cw / 2);
			add_d(cell, "ty", MT + r * HEAT_ROW + HEAT_ROW / 2.0 + 4);
			snprintf(t, sizeof t, "heat-%d", level);
			add_s(cell, "class", t);
			chart_num(buf, sizeof buf, x, true);
			add_s(cell, "text", x > 0 ? buf : "");
			snprintf(t, sizeof t, "%s %s: %s", rows[r], cols[k], buf);
			add_s(cell, "title", t);
			json_object_array_add(cells, cell);
			json_object_array_add(vals, json_object_new_string(buf));
		}
		json_object_object_add(g, "values", vals);
		json_object_array_add(grid, g);
	}
	for (size_t k = 0; k < nc; k++) {
		json_object_array_add(colnames, json_object_new_string(cols[k]));
		if (k % 2)
			continue; /* every other hour keeps the labels apart on a phone */
		json_object *l = json_object_new_object();
		add_d(l, "x", HEAT_ML + k * cw + cw / 2);
		add_d(l, "y", MT + nr * HEAT_ROW + 18);
		add_s(l, "text", cols[k]);
		json_object_array_add(xl, l);
	}
	json_object_object_add(c, "cells", cells);
	json_object_object_add(c, "grid", grid);
	json_object_object_add(c, "wide", json_object_new_boolean(1));
	json_object_object_add(c, "cols", colnames);
	json_object_object_add(c, "ylabels", yl);
	json_object_object_add(c, "xlabels", xl);
	return c;
}
