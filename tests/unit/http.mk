# unit tests for src/http
check_PROGRAMS += tests/unit/test_parse
TESTS += tests/unit/test_parse
tests_unit_test_parse_SOURCES = tests/unit/test_parse.c
tests_unit_test_parse_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_parse_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_router
TESTS += tests/unit/test_router
tests_unit_test_router_SOURCES = tests/unit/test_router.c
tests_unit_test_router_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_router_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
