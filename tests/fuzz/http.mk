# fuzz harnesses for src/http
# The parsers under test are compiled into each harness (not only taken from
# libkefu.a) so that they carry the fuzzer's coverage instrumentation.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_query tests/fuzz/fuzz_cookie tests/fuzz/fuzz_multipart \
	tests/fuzz/fuzz_json
tests_fuzz_fuzz_query_SOURCES = tests/fuzz/fuzz_query.c src/http/parse.c src/core/utf8.c
tests_fuzz_fuzz_query_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_query_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_query_LDADD = $(KEFU_LIBS)
tests_fuzz_fuzz_cookie_SOURCES = tests/fuzz/fuzz_cookie.c src/http/parse.c src/core/utf8.c
tests_fuzz_fuzz_cookie_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_cookie_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_cookie_LDADD = $(KEFU_LIBS)
tests_fuzz_fuzz_multipart_SOURCES = tests/fuzz/fuzz_multipart.c src/http/parse.c src/core/utf8.c
tests_fuzz_fuzz_multipart_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_multipart_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_multipart_LDADD = $(KEFU_LIBS)
tests_fuzz_fuzz_json_SOURCES = tests/fuzz/fuzz_json.c src/core/json-doc.c src/core/utf8.c
tests_fuzz_fuzz_json_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_json_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_json_LDADD = $(KEFU_LIBS)
endif
EXTRA_DIST += tests/fuzz/corpus/query tests/fuzz/corpus/cookie tests/fuzz/corpus/multipart \
	tests/fuzz/corpus/json
