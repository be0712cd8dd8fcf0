# fuzz harnesses for src/core: webhook URLs and webhook_allow_hosts under the address rule
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_netaddr
# the rule and the URL parser are compiled into the harness so that libFuzzer sees their coverage
tests_fuzz_fuzz_netaddr_SOURCES = tests/fuzz/fuzz_netaddr.c src/core/netaddr.c src/domain/webhooks.c
tests_fuzz_fuzz_netaddr_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_netaddr_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_netaddr_LDADD = $(KEFU_LIBS)
endif
EXTRA_DIST += tests/fuzz/corpus/netaddr
