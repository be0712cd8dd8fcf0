/* test_webhooks: webhook URL parsing, signatures, the retry schedule and subscription validation; conversation-group
 * match validation. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/egress.h"
#include "domain/cgroups.h"
#include "domain/webhooks.h"
#include "check-main.h"

START_TEST(urls)
{
	kefu_arena *a = arena_new();
	struct webhook_url u;
	ck_assert_int_eq(webhook_parse_url(a, "http://crm.example/hook?x=1", &u), 0);
	ck_assert(!u.tls);
	ck_assert_str_eq(u.host, "crm.example");
	ck_assert_str_eq(u.port, "80");
	ck_assert_str_eq(u.path, "/hook?x=1");
	ck_assert_int_eq(webhook_parse_url(a, "https://crm.example", &u), 0);
	ck_assert(u.tls);
	ck_assert_str_eq(u.port, "443");
	ck_assert_str_eq(u.path, "/");
	ck_assert_int_eq(webhook_parse_url(a, "http://127.0.0.1:8081?a=b", &u), 0);
	ck_assert_str_eq(u.port, "8081");
	ck_assert_str_eq(u.path, "/?a=b");
	ck_assert_int_eq(webhook_parse_url(a, "http://[::1]:9000/x", &u), 0);
	ck_assert_str_eq(u.host, "::1");
	ck_assert_str_eq(u.port, "9000");
	/* What could smuggle a header, credentials or another scheme. */
	const char *bad[] = {"ftp://x/",
	                     "http://",
	                     "http:///x",
	                     "http://u:p@x/",
	                     "http://x/a b",
	                     "http://x/\r\nHost: y",
	                     "http://x:0/",
	                     "http://x:65536/",
	                     "http://x:12a/",
	                     "http://x/#frag",
	                     "http://[::1/",
	                     "http://x y/",
	                     "javascript:alert(1)",
	                     NULL};
	for (size_t i = 0; bad[i]; i++)
		ck_assert_msg(webhook_parse_url(a, bad[i], &u) != 0, "%s accepted", bad[i]);
	arena_free(a);
}
END_TEST

/* RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?". */
START_TEST(signature)
{
	char sig[72];
	const char *body = "what do ya want for nothing?";
	ck_assert_int_eq(webhook_sign("Jefe", body, strlen(body), sig), 0);
	ck_assert_str_eq(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}
END_TEST

START_TEST(backoff)
{
	for (int i = 0; i < 200; i++) {
		int64_t d1 = webhook_backoff_ms(1, 1000, 60000), d3 = webhook_backoff_ms(3, 1000, 60000),
		        d30 = webhook_backoff_ms(30, 1000, 60000);
		ck_assert(d1 >= 500 && d1 <= 1000);
		ck_assert(d3 >= 2000 && d3 <= 4000);
		ck_assert(d30 >= 30000 && d30 <= 60000); /* capped, and no overflow */
	}
}
END_TEST

START_TEST(subscription_check)
{
	kefu_arena *a = arena_new();
	struct webhook_row w;
	const char *bad = NULL, *why = NULL;
	/* crm.example is listed by name, so it is never looked up (tests send
	 * no traffic anywhere, DNS included). */
	char err[200];
	struct egress_allow *allow = egress_allow_parse("crm.example", err, sizeof err);
	ck_assert_ptr_nonnull(allow);
	json_object *in = json_tokener_parse("{\"url\":\"https://crm.example/h\",\"events\":[\"conversation.closed\","
	                                     "\"visitor.identified\",\"conversation.closed\"]}");
	ck_assert_int_eq(webhook_check(a, in, NULL, allow, &w, &bad, &why), KEFU_OK);
	ck_assert_str_eq(w.events, "conversation.closed,visitor.identified");
	ck_assert(w.enabled);
	ck_assert(strlen(w.secret) >= 24);
	json_object_put(in);
	in = json_tokener_parse(
	    "{\"url\":\"https://crm.example/h\",\"events\":[\"conversation.closed,visitor.identified\"]}");
	ck_assert_int_eq(webhook_check(a, in, NULL, allow, &w, &bad, &why), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "events");
	json_object_put(in);
	in = json_tokener_parse("{\"secret\":\"has a space inside it\"}");
	struct webhook_row base = {
	    .id = 1, .url = "http://x/", .secret = "s", .events = "conversation.closed", .enabled = true};
	ck_assert_int_eq(webhook_check(a, in, &base, allow, &w, &bad, &why), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "secret");
	json_object_put(in);
	/* Addresses: literals only, so nothing is resolved through DNS. */
	const char *refused[] = {"http://10.0.0.1/",  "http://169.254.169.254/",      "http://[::1]:81/",
	                         "http://127.0.0.1/", "http://[::ffff:192.168.1.1]/", NULL};
	for (size_t i = 0; refused[i]; i++) {
		in = json_object_new_object();
		json_object_object_add(in, "url", json_object_new_string(refused[i]));
		json_object_object_add(in, "events", json_tokener_parse("[\"conversation.closed\"]"));
		ck_assert_msg(webhook_check(a, in, NULL, allow, &w, &bad, &why) == KEFU_E_INVALID_FIELD, "%s",
		              refused[i]);
		ck_assert_str_eq(bad, "url");
		ck_assert_ptr_nonnull(why);
		/* A PATCH that changes the URL is held to the same rule. */
		json_object_object_del(in, "events");
		ck_assert_int_eq(webhook_check(a, in, &base, allow, &w, &bad, &why), KEFU_E_INVALID_FIELD);
		json_object_put(in);
	}
	in = json_tokener_parse("{\"url\":\"https://93.184.215.14:8443/h\",\"events\":[\"conversation.closed\"]}");
	ck_assert_int_eq(webhook_check(a, in, NULL, NULL, &w, &bad, &why), KEFU_OK);
	json_object_put(in);
	/* A PATCH without a url leaves the stored one alone (the sender checks it). */
	in = json_tokener_parse("{\"enabled\":false}");
	struct webhook_row old = base;
	old.url = "http://10.0.0.1/";
	ck_assert_int_eq(webhook_check(a, in, &old, NULL, &w, &bad, &why), KEFU_OK);
	json_object_put(in);
	egress_allow_free(allow);
	arena_free(a);
}
END_TEST

START_TEST(cgroup_match)
{
	kefu_arena *a = arena_new();
	struct cgroup_row g;
	const char *bad = NULL;
	json_object *in =
	    json_tokener_parse("{\"name\":\"VIP\",\"match\":{\"all\":[{\"field\":\"visitor.plan\",\"op\":\"eq\","
	                       "\"value\":\"vip\"},{\"field\":\"conversation.channel_id\",\"op\":\"in\","
	                       "\"value\":[1,2]}]}}");
	ck_assert_int_eq(cgroup_check(a, in, NULL, &g, &bad), KEFU_OK);
	ck_assert_int_eq(g.priority, 100);
	json_object_put(in);
	in = json_tokener_parse(
	    "{\"name\":\"x\",\"match\":{\"all\":[{\"field\":\"visitor.plan\",\"op\":\"eq\",\"value\":\"a\"},"
	    "{\"field\":\"conversation.rule_id\",\"op\":\"contains\",\"value\":1}]}}");
	ck_assert_int_eq(cgroup_check(a, in, NULL, &g, &bad), KEFU_E_INVALID_FIELD);
	ck_assert_str_eq(bad, "match.all[1].op");
	json_object_put(in);
	arena_free(a);
}
END_TEST

int main(void)
{
	return check_run(
	    check_suite("webhooks", "all", CHECK_TESTS(urls, signature, backoff, subscription_check, cgroup_match)));
}
