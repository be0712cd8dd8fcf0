# unit tests for the CRM, identity and quick-button domain code (src/domain/crm.c, identity.c, quick-buttons.c)
# (included at the end of tests/local.mk, so it carries its own HAVE_CHECK guard)
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_crm
TESTS += tests/unit/test_crm
tests_unit_test_crm_SOURCES = tests/unit/test_crm.c
tests_unit_test_crm_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_crm_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
endif
