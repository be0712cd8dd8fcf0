# unit tests for src/store
check_PROGRAMS += tests/unit/test_batcher
TESTS += tests/unit/test_batcher
tests_unit_test_batcher_SOURCES = tests/unit/test_batcher.c
tests_unit_test_batcher_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_batcher_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_db
TESTS += tests/unit/test_db
tests_unit_test_db_SOURCES = tests/unit/test_db.c
tests_unit_test_db_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_db_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_store_rows
TESTS += tests/unit/test_store_rows
tests_unit_test_store_rows_SOURCES = tests/unit/test_store_rows.c
tests_unit_test_store_rows_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_store_rows_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
