/* test_assign: the assignment engine's pure parts: strategies with ties and skipping, conditions, service hours across
 * zones, rule documents. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/conditions.h"
#include "domain/org.h"
#include "domain/rules.h"
#include "domain/service-hours.h"
#include "domain/strategy.h"
#include "check-main.h"

/* A member: id, online, live, assigned today, last assignment ms; max 3. */
#define M(id, on, live, today, last)                                                                                   \
	{                                                                                                              \
		id, on, live, 3, today, last                                                                           \
	}

static int pick(enum strategy s, const struct candidate *m, size_t n, int64_t rr)
{
	bool wait;
	return strategy_pick(s, m, n, rr, 0, false, &wait);
}

START_TEST(load_fewest_live_then_longest_idle_then_lowest_id)
{
	struct candidate m[] = {M(30, true, 2, 0, 100), M(10, true, 1, 0, 500), M(20, true, 1, 0, 200)};
	ck_assert_int_eq(pick(STRAT_LOAD, m, 3, 0), 2); /* 20: live 1, assigned longer ago than 10 */
	m[2].last_assigned_ms = 500;
	ck_assert_int_eq(pick(STRAT_LOAD, m, 3, 0), 1); /* same time: lowest id 10 */
	m[1].last_assigned_ms = 0;                      /* never assigned counts as longest */
	m[2].last_assigned_ms = 1;
	ck_assert_int_eq(pick(STRAT_LOAD, m, 3, 0), 1);
	/* Skipping: offline and full members are not available. */
	m[1].online = false;
	m[2].live = 3;
	ck_assert_int_eq(pick(STRAT_LOAD, m, 3, 0), 0);
	m[0].live = 3;
	ck_assert_int_eq(pick(STRAT_LOAD, m, 3, 0), -1);
}
END_TEST

START_TEST(round_robin_order_wraps_and_skips)
{
	struct candidate m[] = {M(5, true, 0, 0, 0), M(3, true, 0, 0, 0), M(9, true, 0, 0, 0)};
	ck_assert_int_eq(pick(STRAT_ROUND_ROBIN, m, 3, 0), 0); /* no history: first member */
	ck_assert_int_eq(pick(STRAT_ROUND_ROBIN, m, 3, 5), 1); /* member order, not id order */
	ck_assert_int_eq(pick(STRAT_ROUND_ROBIN, m, 3, 3), 2);
	ck_assert_int_eq(pick(STRAT_ROUND_ROBIN, m, 3, 9), 0);  /* wraps */
	ck_assert_int_eq(pick(STRAT_ROUND_ROBIN, m, 3, 77), 0); /* last one left the group: first */
	m[1].online = false;
	ck_assert_int_eq(pick(STRAT_ROUND_ROBIN, m, 3, 5), 2); /* skips the unavailable */
	m[2].live = 3;
	ck_assert_int_eq(pick(STRAT_ROUND_ROBIN, m, 3, 5), 0); /* all the way round to itself */
	m[0].online = false;
	ck_assert_int_eq(pick(STRAT_ROUND_ROBIN, m, 3, 5), -1);
}
END_TEST

START_TEST(idle_fewest_today_ties_as_load)
{
	struct candidate m[] = {M(1, true, 0, 4, 10), M(2, true, 2, 1, 300), M(3, true, 1, 1, 200)};
	ck_assert_int_eq(pick(STRAT_IDLE, m, 3, 0), 2); /* 1 today each: 3 idle longer */
	m[2].assigned_today = 5;
	ck_assert_int_eq(pick(STRAT_IDLE, m, 3, 0), 1);
	m[1].live = 3; /* full: skipped even with the fewest today */
	ck_assert_int_eq(pick(STRAT_IDLE, m, 3, 0), 0);
}
END_TEST

START_TEST(owner_present_absent_not_member_each_fallback)
{
	struct candidate m[] = {M(1, true, 2, 0, 0), M(2, true, 0, 0, 0), M(3, true, 1, 0, 0)};
	bool wait;
	ck_assert_int_eq(strategy_pick(STRAT_ACCOUNT_OWNER, m, 3, 0, 1, false, &wait), 0); /* owner available */
	ck_assert(!wait);
	ck_assert_int_eq(strategy_pick(STRAT_CONTACT_OWNER, m, 3, 0, 1, true, &wait), 0);
	m[0].online = false;                                                               /* owner a member but away */
	ck_assert_int_eq(strategy_pick(STRAT_ACCOUNT_OWNER, m, 3, 0, 1, false, &wait), 1); /* fallback load */
	ck_assert(!wait);
	ck_assert_int_eq(strategy_pick(STRAT_ACCOUNT_OWNER, m, 3, 0, 1, true, &wait), -1); /* fallback queue */
	ck_assert(wait);
	m[0].online = true;
	m[0].live = 3; /* owner busy */
	ck_assert_int_eq(strategy_pick(STRAT_CONTACT_OWNER, m, 3, 0, 1, true, &wait), -1);
	ck_assert(wait);
	/* Owner not a member, or no owner: load whatever the fallback. */
	ck_assert_int_eq(strategy_pick(STRAT_ACCOUNT_OWNER, m, 3, 0, 42, true, &wait), 1);
	ck_assert(!wait);
	ck_assert_int_eq(strategy_pick(STRAT_ACCOUNT_OWNER, m, 3, 0, 0, true, &wait), 1);
	ck_assert(!wait);
}
END_TEST

START_TEST(verdicts)
{
	struct candidate m[] = {M(1, false, 0, 0, 0), M(2, false, 0, 0, 0)};
	int p;
	bool wait;
	ck_assert_int_eq(strategy_verdict(false, STRAT_LOAD, m, 2, 0, 0, false, &p, &wait), VERDICT_OUT_OF_HOURS);
	ck_assert_int_eq(strategy_verdict(true, STRAT_LOAD, m, 2, 0, 0, false, &p, &wait), VERDICT_OFFLINE);
	ck_assert_int_eq(strategy_verdict(true, STRAT_LOAD, m, 0, 0, 0, false, &p, &wait), VERDICT_OFFLINE);
	m[1].online = true;
	m[1].live = 3;
	ck_assert_int_eq(strategy_verdict(true, STRAT_LOAD, m, 2, 0, 0, false, &p, &wait), VERDICT_QUEUE);
	m[1].live = 2;
	ck_assert_int_eq(strategy_verdict(true, STRAT_LOAD, m, 2, 0, 0, false, &p, &wait), VERDICT_ASSIGN);
	ck_assert_int_eq(p, 1);
}
END_TEST

/* ---- conditions ---- */

static json_object *J(const char *s)
{
	return json_tokener_parse(s);
}

static bool eval(const char *cond, const struct cond_facts *f)
{
	json_object *c = J(cond);
	const char *bad;
	ck_assert_int_eq(cond_check(c, &bad), KEFU_OK);
	bool r = cond_eval(c, f);
	json_object_put(c);
	return r;
}

START_TEST(conditions_each_operator_each_kind)
{
	struct cond_facts f = {
	    J("{\"phone\":\"15912345678\",\"identified\":true,\"page_url\":\"https://shop.example/cart\","
	      "\"locale\":\"zh-CN\",\"plan\":\"gold\",\"age\":42}"),
	    J("{\"topic\":\"sales\"}"), J("{\"level\":\"VIP\",\"city\":\"上海\"}"), NULL};
	ck_assert(eval("{\"field\":\"visitor.phone\",\"op\":\"eq\",\"value\":\"15912345678\"}", &f));
	ck_assert(!eval("{\"field\":\"visitor.phone\",\"op\":\"ne\",\"value\":\"15912345678\"}", &f));
	ck_assert(eval("{\"field\":\"visitor.phone\",\"op\":\"prefix\",\"value\":\"159\"}", &f));
	ck_assert(eval("{\"field\":\"visitor.phone\",\"op\":\"contains\",\"value\":\"1234\"}", &f));
	ck_assert(eval("{\"field\":\"visitor.identified\",\"op\":\"eq\",\"value\":true}", &f));
	ck_assert(eval("{\"field\":\"visitor.identified\",\"op\":\"eq\",\"value\":\"true\"}", &f));
	ck_assert(!eval("{\"field\":\"visitor.identified\",\"op\":\"eq\",\"value\":false}", &f));
	ck_assert(eval("{\"field\":\"visitor.page_url\",\"op\":\"prefix\",\"value\":\"https://shop.example/\"}", &f));
	ck_assert(!eval("{\"field\":\"visitor.page_url\",\"op\":\"prefix\",\"value\":\"https://other/\"}", &f));
	ck_assert(eval("{\"field\":\"visitor.locale\",\"op\":\"in\",\"value\":[\"en\",\"zh-CN\"]}", &f));
	ck_assert(!eval("{\"field\":\"visitor.locale\",\"op\":\"in\",\"value\":[\"en\"]}", &f));
	ck_assert(eval("{\"field\":\"visitor.plan\",\"op\":\"exists\"}", &f));
	ck_assert(eval("{\"field\":\"visitor.nothing\",\"op\":\"exists\",\"value\":false}", &f));
	ck_assert(!eval("{\"field\":\"visitor.nothing\",\"op\":\"exists\"}", &f));
	ck_assert(eval("{\"field\":\"visitor.age\",\"op\":\"eq\",\"value\":42}", &f));
	ck_assert(eval("{\"field\":\"visitor.age\",\"op\":\"in\",\"value\":[41,42]}", &f));
	ck_assert(eval("{\"field\":\"prechat.topic\",\"op\":\"eq\",\"value\":\"sales\"}", &f));
	ck_assert(eval("{\"field\":\"prechat.topic\",\"op\":\"ne\",\"value\":\"support\"}", &f));
	ck_assert(eval("{\"field\":\"prechat.missing\",\"op\":\"ne\",\"value\":\"x\"}", &f)); /* absent: ne holds */
	ck_assert(!eval("{\"field\":\"prechat.missing\",\"op\":\"contains\",\"value\":\"x\"}", &f));
	ck_assert(eval("{\"field\":\"account.level\",\"op\":\"eq\",\"value\":\"VIP\"}", &f));
	ck_assert(!eval("{\"field\":\"account.level\",\"op\":\"eq\",\"value\":\"vip\"}", &f)); /* case-sensitive */
	ck_assert(eval("{\"field\":\"account.city\",\"op\":\"contains\",\"value\":\"海\"}", &f));
	struct cond_facts none = {NULL, NULL, NULL, NULL};
	ck_assert(!eval("{\"field\":\"account.level\",\"op\":\"eq\",\"value\":\"VIP\"}", &none));
	/* match: all of them, or "all". */
	json_object *m = J("{\"all\":[{\"field\":\"visitor.plan\",\"op\":\"eq\",\"value\":\"gold\"},"
	                   "{\"field\":\"prechat.topic\",\"op\":\"eq\",\"value\":\"support\"}]}");
	ck_assert(!cond_match(m, &f));
	json_object_put(m);
	m = J("\"all\"");
	ck_assert(cond_match(m, &f));
	json_object_put(m);
	json_object_put(f.visitor);
	json_object_put(f.prechat);
	json_object_put(f.account);
}
END_TEST

START_TEST(conditions_refused)
{
	static const char *const bad[][2] = {
	    {"{\"field\":\"crm.x\",\"op\":\"eq\",\"value\":\"1\"}", "field"},
	    {"{\"field\":\"visitor.\",\"op\":\"eq\",\"value\":\"1\"}", "field"},
	    {"{\"field\":\"visitor.a b\",\"op\":\"eq\",\"value\":\"1\"}", "field"},
	    {"{\"field\":\"visitor.a\",\"op\":\"like\",\"value\":\"1\"}", "op"},
	    {"{\"field\":\"visitor.a\",\"op\":\"eq\"}", "value"},
	    {"{\"field\":\"visitor.a\",\"op\":\"eq\",\"value\":[1]}", "value"},
	    {"{\"field\":\"visitor.a\",\"op\":\"in\",\"value\":[]}", "value"},
	    {"{\"field\":\"visitor.a\",\"op\":\"in\",\"value\":[{}]}", "value"},
	    {"{\"field\":\"visitor.a\",\"op\":\"contains\",\"value\":3}", "value"},
	    {"{\"field\":\"visitor.a\",\"op\":\"exists\",\"value\":\"yes\"}", "value"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_object *c = J(bad[i][0]);
		const char *why;
		ck_assert_int_eq(cond_check(c, &why), KEFU_E_INVALID_FIELD);
		ck_assert_str_eq(why, bad[i][1]);
		json_object_put(c);
	}
}
END_TEST

/* The proactive triggers' conditions: page.* only where a page is known, and the number comparisons. */
START_TEST(conditions_page_and_numbers)
{
	struct cond_facts f = {.visitor = J("{\"pages_viewed\":3,\"device\":\"mobile\",\"returning\":true,"
	                                    "\"plan_level\":\"7\",\"plan\":\"gold\"}"),
	                       .page = J("{\"url\":\"https://shop.example/pricing?x=1\",\"title\":\"价格\"}")};
	const char *bad;
	json_object *c = J("{\"field\":\"page.url\",\"op\":\"contains\",\"value\":\"/pricing\"}");
	/* a rule's conditions have no page: refused there, taken for a trigger */
	ck_assert_int_eq(cond_check(c, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "field");
	ck_assert_int_eq(cond_check_page(c, &bad), KEFU_OK);
	ck_assert(cond_eval(c, &f));
	json_object_put(c);
	static const struct {
		const char *cond;
		bool holds;
	} cases[] = {
	    {"{\"field\":\"page.title\",\"op\":\"eq\",\"value\":\"价格\"}", true},
	    {"{\"field\":\"page.referrer\",\"op\":\"exists\",\"value\":false}", true},
	    {"{\"field\":\"visitor.pages_viewed\",\"op\":\"gte\",\"value\":3}", true},
	    {"{\"field\":\"visitor.pages_viewed\",\"op\":\"gte\",\"value\":4}", false},
	    {"{\"field\":\"visitor.pages_viewed\",\"op\":\"lte\",\"value\":3.5}", true},
	    {"{\"field\":\"visitor.plan_level\",\"op\":\"gte\",\"value\":5}", true}, /* a number as text */
	    {"{\"field\":\"visitor.plan\",\"op\":\"gte\",\"value\":1}", false},      /* not a number */
	    {"{\"field\":\"visitor.missing\",\"op\":\"lte\",\"value\":1}", false},
	    {"{\"field\":\"visitor.device\",\"op\":\"in\",\"value\":[\"mobile\",\"tablet\"]}", true},
	    {"{\"field\":\"visitor.returning\",\"op\":\"eq\",\"value\":true}", true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = J(cases[i].cond);
		ck_assert_msg(cond_check_page(c, &bad) == KEFU_OK, "%s refused", cases[i].cond);
		ck_assert_msg(cond_eval(c, &f) == cases[i].holds, "%s", cases[i].cond);
		json_object_put(c);
	}
	/* gte and lte want a number */
	c = J("{\"field\":\"visitor.pages_viewed\",\"op\":\"gte\",\"value\":\"3\"}");
	ck_assert_int_eq(cond_check_page(c, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "value");
	json_object_put(c);
	json_object *m = J("{\"all\":[{\"field\":\"page.url\",\"op\":\"prefix\",\"value\":\"https://\"}]}");
	kefu_arena *a = arena_new();
	ck_assert_int_eq(cond_check_match(a, m, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "all[0].field");
	ck_assert_int_eq(cond_check_match_page(a, m, &bad), KEFU_OK);
	arena_free(a);
	json_object_put(m);
	json_object_put(f.visitor);
	json_object_put(f.page);
}
END_TEST

/* ---- service hours ---- */

/* 2026-11-23 is a Monday. */
#define MON_2026_11_23_0000Z 1795392000

START_TEST(civil_dates)
{
	struct local_time lt;
	tz_civil(MON_2026_11_23_0000Z, 0, &lt);
	ck_assert_str_eq(lt.date, "2026-11-23");
	ck_assert_int_eq(lt.wday, 0);
	ck_assert_int_eq(lt.minute, 0);
	tz_civil(0, 0, &lt);
	ck_assert_str_eq(lt.date, "1970-01-01");
	ck_assert_int_eq(lt.wday, 3);
	tz_civil(951782400, 0, &lt); /* 2000-02-29 */
	ck_assert_str_eq(lt.date, "2000-02-29");
	tz_civil(MON_2026_11_23_0000Z, -3600, &lt);
	ck_assert_str_eq(lt.date, "2026-11-22");
	ck_assert_int_eq(lt.wday, 6);
	ck_assert_int_eq(lt.minute, 23 * 60);
}
END_TEST

START_TEST(zones_and_dst)
{
	struct local_time lt;
	ck_assert(tz_local("Asia/Shanghai", MON_2026_11_23_0000Z, &lt));
	ck_assert_int_eq(lt.minute, 8 * 60);
	ck_assert_str_eq(lt.date, "2026-11-23");
	/* New York: EST in November (UTC-5), EDT in July (UTC-4). */
	ck_assert(tz_local("America/New_York", MON_2026_11_23_0000Z, &lt));
	ck_assert_str_eq(lt.date, "2026-11-22");
	ck_assert_int_eq(lt.minute, 19 * 60);
	ck_assert(tz_local("America/New_York", 1783296000 /* 2026-07-06T00:00Z */, &lt));
	ck_assert_int_eq(lt.minute, 20 * 60);
	ck_assert(tz_local(NULL, MON_2026_11_23_0000Z, &lt));
	ck_assert_int_eq(lt.minute, 0);
	ck_assert(!tz_local("Mars/Olympus", MON_2026_11_23_0000Z, &lt)); /* unknown: UTC */
	ck_assert_int_eq(lt.minute, 0);
}
END_TEST

START_TEST(hours_open_closed_dates_and_missing_days)
{
	kefu_arena *a = arena_new();
	struct service_hours h;
	json_object *in =
	    J("{\"timezone\":\"Asia/Shanghai\",\"weekly\":{\"mon\":[[\"09:00\",\"12:00\"],[\"13:00\",\"18:00\"]],"
	      "\"sun\":[[\"20:00\",\"24:00\"]]},\"closed_dates\":[\"2026-11-30\"]}");
	const char *bad;
	ck_assert_int_eq(org_hours_parse(a, in, &h, &bad), KEFU_OK);
	struct local_time lt;
	/* Monday 2026-11-23 08:59 / 09:00 / 12:00 / 17:59 / 18:00 in Shanghai. */
	time_t mon = MON_2026_11_23_0000Z - 8 * 3600;
	int probes[][2] = {{8 * 60 + 59, 0}, {9 * 60, 1}, {12 * 60, 0}, {13 * 60, 1}, {17 * 60 + 59, 1}, {18 * 60, 0}};
	for (size_t i = 0; i < 6; i++) {
		tz_local(hours_zone(&h, "UTC"), mon + probes[i][0] * 60, &lt);
		ck_assert_int_eq(hours_open_at(&h, &lt), probes[i][1]);
	}
	/* Sunday 23:30 Shanghai is Sunday 15:30 UTC: open there, though UTC says 15:30. */
	tz_local("Asia/Shanghai", mon - 24 * 3600 + (23 * 60 + 30) * 60, &lt);
	ck_assert_int_eq(lt.wday, 6);
	ck_assert(hours_open_at(&h, &lt));
	/* Tuesday is missing: closed all day. */
	tz_local("Asia/Shanghai", mon + 24 * 3600 + 10 * 3600, &lt);
	ck_assert(!hours_open_at(&h, &lt));
	/* A closed date on a Monday. */
	tz_local("Asia/Shanghai", mon + 7 * 24 * 3600 + 10 * 3600, &lt);
	ck_assert_str_eq(lt.date, "2026-11-30");
	ck_assert(!hours_open_at(&h, &lt));
	/* No hours at all: open. Zone fallback to the tenant's. */
	ck_assert(hours_open_at(NULL, &lt));
	ck_assert_str_eq(hours_zone(NULL, "Europe/Berlin"), "Europe/Berlin");
	ck_assert_str_eq(hours_zone(NULL, NULL), "UTC");
	json_object_put(in);
	arena_free(a);
}
END_TEST

START_TEST(idle_day_resets_at_local_midnight)
{
	/* 15:59 UTC and 16:00 UTC are different days in Shanghai: the counter resets. */
	struct local_time a, b;
	tz_local("Asia/Shanghai", MON_2026_11_23_0000Z + 15 * 3600 + 59 * 60, &a);
	tz_local("Asia/Shanghai", MON_2026_11_23_0000Z + 16 * 3600, &b);
	ck_assert_str_ne(a.date, b.date);
	tz_local("UTC", MON_2026_11_23_0000Z + 15 * 3600 + 59 * 60, &a);
	tz_local("UTC", MON_2026_11_23_0000Z + 16 * 3600, &b);
	ck_assert_str_eq(a.date, b.date);
}
END_TEST

/* ---- rule documents ---- */

START_TEST(rule_defaults_and_paths)
{
	kefu_arena *a = arena_new();
	struct rule r;
	const char *bad;
	json_object *in =
	    J("{\"name\":\"R\",\"routing\":{\"routes\":[{\"group_id\":3,\"match\":{\"all\":["
	      "{\"field\":\"visitor.plan\",\"op\":\"eq\",\"value\":\"gold\"}]}}],\"fallback_group_id\":4}}");
	ck_assert_int_eq(rule_parse(a, in, &r, &bad), KEFU_OK);
	ck_assert_int_eq(r.max_concurrent, 5);
	ck_assert_int_eq(r.priority, 100);
	ck_assert_int_eq(r.strategy, STRAT_LOAD);
	ck_assert_int_eq(r.nroutes, 1);
	ck_assert_int_eq(r.routes[0].group_id, 3);
	ck_assert_int_eq(r.fallback_group_id, 4);
	int64_t *ids;
	const char **paths;
	ck_assert_uint_eq(rule_group_refs(a, &r, &ids, &paths), 2);
	ck_assert_str_eq(paths[0], "routing.routes[0].group_id");
	ck_assert_str_eq(paths[1], "routing.fallback_group_id");
	json_object_put(in);

	/* PATCH merge keeps siblings; a bad condition names its path. */
	json_object *patch = J("{\"routing\":{\"routes\":[{\"group_id\":3,\"match\":{\"all\":[{\"field\":\"visitor.x\","
	                       "\"op\":\"exists\",\"value\":1}]}}]}}");
	json_object *merged = rule_merge(a, r.doc, patch);
	ck_assert_int_eq(rule_parse(a, merged, &r, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "routing.routes[0].match.all[0].value");
	json_object_put(patch);
	arena_free(a);
}
END_TEST

/* Every field at fault is reported, in document order, the first also as the single fault. */
START_TEST(rule_reports_every_fault)
{
	kefu_arena *a = arena_new();
	struct rule r;
	struct fault f = {0};
	json_object *in =
	    J("{\"name\":\"\",\"max_concurrent\":0,\"routing\":{\"routes\":[{\"group_id\":1},{\"match\":\"all\"},"
	      "{\"group_id\":2,\"match\":{\"all\":[{\"field\":\"x.y\",\"op\":\"eq\",\"value\":1}]}}]},"
	      "\"leave_message\":{\"fields\":[{\"name\":\"a\"},{\"name\":\"a\"}]}}");
	ck_assert_int_eq(rule_parse_all(a, in, &r, &f), KEFU_E_INVALID_FIELD);
	ck_assert_uint_eq(f.nall, 5);
	ck_assert_str_eq(f.field, "name");
	ck_assert_str_eq(f.all[0].field, "name");
	ck_assert_str_eq(f.all[1].field, "max_concurrent");
	ck_assert_str_eq(f.all[2].field, "routing.routes[1].group_id");
	ck_assert_str_eq(f.all[3].field, "routing.routes[2].match.all[0].field");
	ck_assert_str_eq(f.all[4].field, "leave_message.fields[1].name");
	for (size_t i = 0; i < f.nall; i++)
		ck_assert_ptr_nonnull(f.all[i].message);
	json_object_put(in);
	arena_free(a);
}
END_TEST

START_TEST(leave_form_check)
{
	kefu_arena *a = arena_new();
	struct rule r;
	const char *bad, *canon;
	json_object *in =
	    J("{\"name\":\"R\",\"leave_message\":{\"enabled\":true,\"fields\":[{\"name\":\"email\",\"type\":"
	      "\"email\",\"required\":true},{\"name\":\"note\",\"type\":\"textarea\"}]}}");
	ck_assert_int_eq(rule_parse(a, in, &r, &bad), KEFU_OK);
	json_object *f = J("{\"email\":\"a@b.cn\",\"other\":\"x\"}");
	ck_assert_int_eq(rule_leave_check(a, &r, f, &canon, &bad), KEFU_OK);
	ck_assert_str_eq(canon, "{\"email\":\"a@b.cn\"}");
	json_object_put(f);
	f = J("{\"email\":\"not-an-email\"}");
	ck_assert_int_eq(rule_leave_check(a, &r, f, &canon, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "fields.email");
	json_object_put(f);
	json_object_put(in);
	arena_free(a);
}
END_TEST

int main(void)
{
	return check_run(check_suite(
	    "assign", "pure",
	    CHECK_TESTS(load_fewest_live_then_longest_idle_then_lowest_id, round_robin_order_wraps_and_skips,
	                idle_fewest_today_ties_as_load, owner_present_absent_not_member_each_fallback, verdicts,
	                conditions_each_operator_each_kind, conditions_refused, conditions_page_and_numbers,
	                civil_dates, zones_and_dst, hours_open_closed_dates_and_missing_days,
	                idle_day_resets_at_local_midnight, rule_defaults_and_paths, leave_form_check,
	                rule_reports_every_fault)));
}
