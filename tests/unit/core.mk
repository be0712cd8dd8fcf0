# unit tests for src/core (test_netaddr: addresses, networks, the client behind proxies; test_egress: the
# outgoing-address rule; test_useragent: browser, OS and device from real User-Agent strings; test_geoip: the GeoIP
# wrapper)
# the Check runner every test main ends with
EXTRA_DIST += tests/unit/check-main.h tests/unit/check-templates.h
check_PROGRAMS += tests/unit/test_core
TESTS += tests/unit/test_core
tests_unit_test_core_SOURCES = tests/unit/test_core.c
tests_unit_test_core_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_core_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/unit/test_netaddr
TESTS += tests/unit/test_netaddr
tests_unit_test_netaddr_SOURCES = tests/unit/test_netaddr.c
tests_unit_test_netaddr_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_netaddr_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/unit/test_egress
TESTS += tests/unit/test_egress
tests_unit_test_egress_SOURCES = tests/unit/test_egress.c
tests_unit_test_egress_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_egress_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_idwindow
TESTS += tests/unit/test_idwindow
tests_unit_test_idwindow_SOURCES = tests/unit/test_idwindow.c
tests_unit_test_idwindow_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_idwindow_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/test_useragent
TESTS += tests/unit/test_useragent
tests_unit_test_useragent_SOURCES = tests/unit/test_useragent.c
tests_unit_test_useragent_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_useragent_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/unit/test_geoip
TESTS += tests/unit/test_geoip
tests_unit_test_geoip_SOURCES = tests/unit/test_geoip.c
tests_unit_test_geoip_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_test_geoip_LDADD = $(KEFU_LIBS) $(CHECK_LIBS)
