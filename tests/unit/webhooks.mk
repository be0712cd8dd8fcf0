# unit tests for webhooks and conversation groups (src/domain/webhooks.c, cgroups.c)
# (included at the end of tests/local.mk, so it carries its own HAVE_CHECK guard)
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_webhooks
TESTS += tests/unit/test_webhooks
tests_unit_test_webhooks_SOURCES = tests/unit/test_webhooks.c
tests_unit_test_webhooks_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_webhooks_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
endif
