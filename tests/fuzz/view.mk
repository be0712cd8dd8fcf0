# fuzz harnesses for src/view: arbitrary bytes as render data or as a template
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_template
# the engine is compiled into the harness so that libFuzzer sees its coverage
tests_fuzz_fuzz_template_SOURCES = tests/fuzz/fuzz_template.c \
	src/view/template.c src/view/i18n.c src/core/text.c src/core/utf8.c
tests_fuzz_fuzz_template_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_template_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_template_LDADD = $(JSONC_LIBS) $(LIBXML_LIBS)
endif
EXTRA_DIST += tests/fuzz/corpus/template
