# fuzz harnesses for src/core
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_netaddr
tests_fuzz_fuzz_netaddr_SOURCES = tests/fuzz/fuzz_netaddr.c src/core/netaddr.c src/core/arena.c
tests_fuzz_fuzz_netaddr_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_netaddr_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_netaddr_LDADD = $(KEFU_LIBS)
endif
EXTRA_DIST += tests/fuzz/corpus/netaddr
