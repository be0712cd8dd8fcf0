# unit tests for src/api
# test_openapi: docs/openapi.json against the compiled route table, both ways (see the file)
check_PROGRAMS += tests/unit/test_openapi
TESTS += tests/unit/test_openapi
tests_unit_test_openapi_SOURCES = tests/unit/test_openapi.c
tests_unit_test_openapi_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_openapi_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
