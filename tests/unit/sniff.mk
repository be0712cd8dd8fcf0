# unit tests for upload type sniffing (src/domain/sniff.c)
# (included at the end of tests/local.mk, so it carries its own HAVE_CHECK guard)
if HAVE_CHECK
check_PROGRAMS += tests/unit/test_sniff
TESTS += tests/unit/test_sniff
tests_unit_test_sniff_SOURCES = tests/unit/test_sniff.c
tests_unit_test_sniff_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_sniff_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
endif
