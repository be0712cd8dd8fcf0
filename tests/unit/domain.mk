# unit tests for src/domain
check_PROGRAMS += tests/unit/test_assign
TESTS += tests/unit/test_assign
tests_unit_test_assign_SOURCES = tests/unit/test_assign.c
tests_unit_test_assign_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_assign_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/unit/test_reports
TESTS += tests/unit/test_reports
tests_unit_test_reports_SOURCES = tests/unit/test_reports.c
tests_unit_test_reports_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_reports_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
