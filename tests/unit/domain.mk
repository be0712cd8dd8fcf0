# unit tests for src/domain (test_crm: CRM, identity and quick buttons; test_sniff: upload type sniffing;
# test_webhooks: webhooks and conversation groups)
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
check_PROGRAMS += tests/unit/test_crm
TESTS += tests/unit/test_crm
tests_unit_test_crm_SOURCES = tests/unit/test_crm.c
tests_unit_test_crm_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_crm_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/unit/test_sniff
TESTS += tests/unit/test_sniff
tests_unit_test_sniff_SOURCES = tests/unit/test_sniff.c
tests_unit_test_sniff_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_sniff_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/unit/test_webhooks
TESTS += tests/unit/test_webhooks
tests_unit_test_webhooks_SOURCES = tests/unit/test_webhooks.c
tests_unit_test_webhooks_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_webhooks_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
