/* test_conv_json: a stream entry's EVENT object (view/conv-json.h): a stored body printed as stored, with its seq and
 * conversation added, exactly as parsing and printing it gave it. */
#include <check.h>
#include <string.h>

#include <json-c/json.h>

#include "store/store-events.h"
#include "view/conv-json.h"
#include "view/json.h"
#include "check-main.h"

/* The event as a client reads it, and the same parsed and printed again: both must be the JSON text want. */
static void check_event(const char *body, int64_t seq, int64_t conversation, bool with_conversation, const char *want)
{
	struct stream_entry x = {.cursor = seq, .seq = seq, .conversation_id = conversation, .body = body};
	json_object *o = conv_event_json(&x, with_conversation);
	json_object *events = json_object_new_array();
	json_object_array_add(events, o);
	const char *text = json_object_to_json_string_ext(events, JSON_C_TO_STRING_PLAIN);
	json_object *back = json_tokener_parse(text);
	ck_assert_msg(back != NULL, "not JSON: %s", text);
	json_object *wanted = json_tokener_parse(want);
	ck_assert_msg(json_object_equal(json_object_array_get_idx(back, 0), wanted), "%s, want [%s]", text, want);
	json_object_put(wanted);
	json_object_put(back);
	json_object_put(events);
}

START_TEST(a_stored_body_gets_its_seq_and_conversation)
{
	check_event("{\"type\":\"status\",\"status\":\"assigned\"}", 7, 12, true,
	            "{\"type\":\"status\",\"status\":\"assigned\",\"seq\":7,\"conversation_id\":12}");
	check_event("{\"type\":\"status\"}", 7, 12, false, "{\"type\":\"status\",\"seq\":7}");
	/* an agent's notice of no conversation (a visitor appearing) has none */
	check_event("{\"type\":\"visitor\",\"visitor\":{\"visitor_id\":3,\"conversation_id\":null}}", 9, 0, true,
	            "{\"type\":\"visitor\",\"visitor\":{\"visitor_id\":3,\"conversation_id\":null},\"seq\":9}");
	check_event("{}", 1, 0, true, "{\"seq\":1}");
	check_event(" { } \n", 1, 4, true, "{\"seq\":1,\"conversation_id\":4}");
}
END_TEST

START_TEST(a_body_that_names_its_conversation_says_it_once)
{
	/* a staff notice (conv_tell_staff) carries it already */
	struct stream_entry x = {.seq = 5, .conversation_id = 8, .body = "{\"type\":\"note\",\"conversation_id\":8}"};
	json_object *o = conv_event_json(&x, true);
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	ck_assert_ptr_eq(strstr(strstr(text, "conversation_id") + 1, "conversation_id"), NULL);
	json_object_put(o);
	check_event("{\"type\":\"note\",\"conversation_id\":8}", 5, 8, true,
	            "{\"type\":\"note\",\"conversation_id\":8,\"seq\":5}");
}
END_TEST

START_TEST(a_body_that_is_no_object_is_an_empty_event)
{
	check_event("[1,2]", 2, 0, true, "{\"seq\":2}");
	check_event("not json", 2, 0, true, "{\"seq\":2}");
}
END_TEST

/* A DATETIME's text as an answer's time: ISO 8601 in UTC to the second (a fraction dropped), anything too short for
 * one as it is. */
START_TEST(a_time_is_iso_to_the_second)
{
	const char *cases[][2] = {{"2026-12-08 02:20:07", "2026-12-08T02:20:07Z"},
	                          {"2026-12-08 02:20:07.123", "2026-12-08T02:20:07Z"},
	                          {"1999-01-31 23:59:59.999999", "1999-01-31T23:59:59Z"},
	                          {"2026-12-08", "2026-12-08"},
	                          {"", ""}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		json_object *t = json_time(cases[i][0]);
		ck_assert_str_eq(json_object_get_string(t), cases[i][1]);
		ck_assert_int_eq(json_object_get_string_len(t), (int)strlen(cases[i][1]));
		json_object_put(t);
	}
	ck_assert_ptr_null(json_time(NULL));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("conv_json");
	check_case(s, "event",
	           CHECK_TESTS(a_stored_body_gets_its_seq_and_conversation,
	                       a_body_that_names_its_conversation_says_it_once,
	                       a_body_that_is_no_object_is_an_empty_event));
	check_case(s, "time", CHECK_TESTS(a_time_is_iso_to_the_second));
	return check_run(s);
}
