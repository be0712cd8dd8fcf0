# unit tests for src/crypto
check_PROGRAMS += tests/unit/test_crypto
TESTS += tests/unit/test_crypto
tests_unit_test_crypto_SOURCES = tests/unit/test_crypto.c
tests_unit_test_crypto_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_crypto_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
