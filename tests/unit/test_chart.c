/* test_chart: the report charts' geometry (view/chart.h) and their drawing by templates/partial-chart.xhtml. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "view/chart.h"
#include "view/i18n.h"
#include "view/template.h"
#include "check-main.h"
#include "check-templates.h"

static json_object *get(json_object *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *k = strtok(buf, "."); k && o; k = strtok(NULL, ".")) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(k));
		else if (!json_object_object_get_ex(o, k, &o))
			return NULL;
	}
	return o;
}

static double num(json_object *o, const char *path)
{
	json_object *v = get(o, path);
	ck_assert_msg(v != NULL, "no %s", path);
	return json_object_get_double(v);
}

START_TEST(bars_scale_to_a_round_top)
{
	struct chart_pt p[] = {{"a", 10, true}, {"b", 0, true}, {"c", 37, true}, {"d", 0, false}};
	json_object *c = chart_bars("x", "T", "X", "Y", p, 4);
	/* 37 over four ticks: step 10, top 40; zero and missing values draw no bar. */
	ck_assert_int_eq((int)json_object_array_length(get(c, "bars")), 2);
	ck_assert_int_eq((int)json_object_array_length(get(c, "yticks")), 5);
	ck_assert_str_eq(json_object_get_string(get(c, "yticks.4.text")), "40");
	double h10 = num(c, "bars.0.h"), h37 = num(c, "bars.1.h");
	ck_assert(h10 > 0 && h37 > h10);
	ck_assert(fabs(h37 / h10 - 3.7) < 0.05);
	/* A bar stands on the axis. */
	ck_assert(fabs(num(c, "bars.1.y") + h37 - num(c, "axis.y1")) < 0.2);
	/* The numbers as rows, a missing one as "". */
	ck_assert_str_eq(json_object_get_string(get(c, "rows.2.value")), "37");
	ck_assert_str_eq(json_object_get_string(get(c, "rows.3.value")), "");
	ck_assert(!json_object_get_boolean(get(c, "empty")));
	json_object_put(c);
}
END_TEST

START_TEST(line_breaks_at_nulls)
{
	struct chart_pt p[] = {{"a", 1.5, true}, {"b", 2, true}, {"c", 0, false}, {"d", 3, true}};
	json_object *c = chart_line("x", "T", "X", "Y", p, 4);
	const char *d = json_object_get_string(get(c, "path"));
	ck_assert_int_eq(d[0], 'M');
	ck_assert_ptr_nonnull(strchr(d, 'L'));
	/* The point after the gap starts a new run. */
	ck_assert_ptr_nonnull(strchr(d + 1, 'M'));
	ck_assert_int_eq((int)json_object_array_length(get(c, "dots")), 3);
	ck_assert_str_eq(json_object_get_string(get(c, "rows.0.value")), "1.5");
	json_object_put(c);
}
END_TEST

START_TEST(empty_series_has_an_axis)
{
	struct chart_pt p[] = {{"a", 0, true}, {"b", 0, false}};
	json_object *c = chart_bars("x", "T", "X", "Y", p, 2);
	ck_assert(json_object_get_boolean(get(c, "empty")));
	ck_assert_int_eq((int)json_object_array_length(get(c, "bars")), 0);
	ck_assert(json_object_array_length(get(c, "yticks")) >= 2);
	json_object_put(c);
	c = chart_bars("x", "T", "X", "Y", NULL, 0);
	ck_assert(json_object_get_boolean(get(c, "empty")));
	json_object_put(c);
}
END_TEST

START_TEST(heat_shades_by_share_of_max)
{
	const char *rows[] = {"Mon", "Tue"}, *cols[] = {"00", "01", "02"};
	double v[] = {0, 1, 10, 5, 0, 2.5};
	json_object *c = chart_heat("h", "T", "X", "Y", rows, 2, cols, 3, v);
	ck_assert_str_eq(json_object_get_string(get(c, "cells.0.class")), "heat-0");
	ck_assert_str_eq(json_object_get_string(get(c, "cells.2.class")), "heat-5");
	ck_assert_str_eq(json_object_get_string(get(c, "cells.3.class")), "heat-3");
	ck_assert_str_eq(json_object_get_string(get(c, "cells.2.text")), "10");
	ck_assert_str_eq(json_object_get_string(get(c, "cells.0.text")), "");
	ck_assert_str_eq(json_object_get_string(get(c, "grid.1.values.2")), "2.5");
	ck_assert_int_eq((int)json_object_array_length(get(c, "cells")), 6);
	json_object_put(c);
}
END_TEST

START_TEST(numbers_keep_small_values)
{
	char b[64];
	ck_assert_str_eq(chart_num(b, sizeof b, 42, true), "42");
	ck_assert_str_eq(chart_num(b, sizeof b, 62.967, true), "63.0");
	ck_assert_str_eq(chart_num(b, sizeof b, 4.6667, true), "4.67");
	ck_assert_str_eq(chart_num(b, sizeof b, 0.0213, true), "0.0213");
	ck_assert_str_eq(chart_num(b, sizeof b, 0.5, true), "0.5");
	ck_assert_str_eq(chart_num(b, sizeof b, 1, false), "");
	/* Ticks of a tiny range are not all "0". */
	struct chart_pt p[] = {{"a", 0.02, true}, {"b", 0.004, true}};
	json_object *c = chart_bars("x", "T", "X", "Y", p, 2);
	ck_assert_str_eq(json_object_get_string(get(c, "yticks.1.text")), "0.005");
	ck_assert_str_eq(json_object_get_string(get(c, "yticks.4.text")), "0.02");
	json_object_put(c);
}
END_TEST

/* The project's partial draws what the module computed, as SVG, with the numbers as a table. */
START_TEST(partial_draws_svg_and_table)
{
	char err[512] = "";
	struct check_tpl tree = check_tree();
	struct chart_pt p[] = {{"12-01", 4, true}, {"12-02", 8, true}};
	json_object *d = json_object_new_object(), *c = chart_bars("chart-x", "Per day", "Day", "Count", p, 2);
	json_object_object_add(c, "csv", json_object_new_string("/api/v1/reports/summary?format=csv"));
	json_object_object_add(d, "chart", c);
	char *out;
	size_t len;
	ck_assert_msg(tpl_render(tree.t, "partial-chart", d, "en", &out, &len, err, sizeof err) == 0, "%s", err);
	check_has_all(out,
	              (const char *const[]){"<svg class=\"chart-svg\" role=\"img\" viewBox=\"0 0 720 260\"",
	                                    "aria-label=\"Per day\"", "<rect class=\"bar\"", "<title>12-02: 8</title>",
	                                    "<th scope=\"row\">12-01</th><td class=\"num\">4</td>",
	                                    "href=\"/api/v1/reports/summary?format=csv\"", NULL});
	free(out);
	json_object_put(d);
	check_tpl_free(tree);
}
END_TEST

int main(void)
{
	return check_run(check_suite("chart", "chart",
	                             CHECK_TESTS(bars_scale_to_a_round_top, line_breaks_at_nulls,
	                                         empty_series_has_an_axis, heat_shades_by_share_of_max,
	                                         numbers_keep_small_values, partial_draws_svg_and_table)));
}
