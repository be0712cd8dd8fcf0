# fuzz harnesses for src/core: trusted_proxies and X-Forwarded-For (netaddr); webhook URLs and
# webhook_allow_hosts under the outgoing-address rule (egress); User-Agent headers (useragent)
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_netaddr tests/fuzz/fuzz_egress
tests_fuzz_fuzz_netaddr_SOURCES = tests/fuzz/fuzz_netaddr.c src/core/netaddr.c src/core/arena.c
tests_fuzz_fuzz_netaddr_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_netaddr_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_netaddr_LDADD = $(KEFU_LIBS)
# the rule, the parser under it and the URL parser are compiled into the harness so that libFuzzer sees their coverage
tests_fuzz_fuzz_egress_SOURCES = tests/fuzz/fuzz_egress.c src/core/egress.c src/core/netaddr.c src/domain/webhooks.c
tests_fuzz_fuzz_egress_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_egress_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_egress_LDADD = $(KEFU_LIBS)
noinst_PROGRAMS += tests/fuzz/fuzz_useragent
tests_fuzz_fuzz_useragent_SOURCES = tests/fuzz/fuzz_useragent.c src/core/useragent.c
tests_fuzz_fuzz_useragent_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_useragent_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
endif
EXTRA_DIST += tests/fuzz/corpus/netaddr tests/fuzz/corpus/egress tests/fuzz/corpus/useragent
