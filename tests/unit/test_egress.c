/* test_egress: which addresses webhooks may reach (public unicast, the special-purpose ranges, webhook_allow_hosts).
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "core/egress.h"
#include "check-main.h"

/* A sockaddr for a literal address (IPv4 or IPv6), as getaddrinfo hands it out. */
static const struct sockaddr *sa_of(const char *text, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(443);
	} else if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(443);
	} else {
		ck_abort_msg("bad test address %s", text);
	}
	return (const struct sockaddr *)ss;
}

/* Address → NULL (public unicast) or what egress_reserved calls it. */
static const struct {
	const char *addr, *what;
} table[] = {
    /* public */
    {"8.8.8.8", NULL},
    {"93.184.215.14", NULL},
    {"1.1.1.1", NULL},
    {"100.63.255.255", NULL}, /* just below shared */
    {"100.128.0.0", NULL},    /* just above shared */
    {"172.15.255.255", NULL},
    {"172.32.0.0", NULL},
    {"192.0.1.1", NULL},
    {"192.169.0.1", NULL},
    {"198.20.0.1", NULL},
    {"223.255.255.255", NULL},
    {"11.0.0.0", NULL},
    {"126.255.255.255", NULL},
    {"128.0.0.0", NULL},
    {"169.253.255.255", NULL},
    {"2606:4700:4700::1111", NULL},
    {"2a00:1450:4001:80b::200e", NULL},
    {"2001:4860:4860::8888", NULL}, /* 2001:4860 is outside 2001::/23 */
    {"::ffff:8.8.8.8", NULL},       /* mapped: judged as IPv4 */
    {"64:ff9b::808:808", NULL},     /* NAT64 of 8.8.8.8 */
    /* IPv4 special-purpose */
    {"0.0.0.0", "unspecified"},
    {"0.1.2.3", "unspecified"},
    {"10.0.0.1", "private"},
    {"10.255.255.255", "private"},
    {"100.64.0.1", "shared"},
    {"100.127.255.255", "shared"},
    {"127.0.0.1", "loopback"},
    {"127.255.255.254", "loopback"},
    {"169.254.169.254", "link-local"},
    {"172.16.0.1", "private"},
    {"172.31.255.255", "private"},
    {"192.0.0.8", "reserved"},
    {"192.0.2.1", "documentation"},
    {"192.88.99.1", "reserved"},
    {"192.168.1.1", "private"},
    {"198.18.0.1", "reserved"},
    {"198.19.255.255", "reserved"},
    {"198.51.100.7", "documentation"},
    {"203.0.113.5", "documentation"},
    {"224.0.0.1", "multicast"},
    {"239.255.255.250", "multicast"},
    {"240.0.0.1", "reserved"},
    {"255.255.255.255", "reserved"},
    /* IPv6 special-purpose */
    {"::", "unspecified"},
    {"::1", "loopback"},
    {"::127.0.0.1", "reserved"}, /* IPv4-compatible */
    {"::ffff:127.0.0.1", "loopback"},
    {"::ffff:10.0.0.1", "private"},
    {"::ffff:169.254.169.254", "link-local"},
    {"::ffff:0.0.0.0", "unspecified"},
    {"64:ff9b::a00:1", "private"},    /* NAT64 of 10.0.0.1 */
    {"64:ff9b::7f00:1", "loopback"},  /* NAT64 of 127.0.0.1 */
    {"64:ff9b:1::1", "reserved"},     /* local-use NAT64 */
    {"100::1", "reserved"},           /* discard-only */
    {"2001::1", "reserved"},          /* Teredo */
    {"2001:1ff:ffff::1", "reserved"}, /* end of 2001::/23 */
    {"2001:db8::1", "documentation"},
    {"2002:7f00:1::1", "reserved"}, /* 6to4 */
    {"3fff::1", "documentation"},
    {"5f00::1", "reserved"},
    {"fc00::1", "unique-local"},
    {"fd12:3456:789a::1", "unique-local"},
    {"fe80::1", "link-local"},
    {"febf:ffff::1", "link-local"},
    {"fec0::1", "reserved"},
    {"ff02::1", "multicast"},
    {"ff0e::1", "multicast"},
    {"4000::1", "reserved"}, /* outside 2000::/3 */
    {"1::1", "reserved"},
};

START_TEST(classification)
{
	struct sockaddr_storage ss;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const char *got = egress_reserved(sa_of(table[i].addr, &ss));
		if (table[i].what == NULL)
			ck_assert_msg(got == NULL, "%s: %s, expected public", table[i].addr, got);
		else
			ck_assert_msg(got != NULL && strcmp(got, table[i].what) == 0, "%s: %s, expected %s",
			              table[i].addr, got ? got : "public", table[i].what);
		/* Without an allow-list, allowed exactly when public. */
		ck_assert_int_eq(egress_allowed(NULL, "crm.example", sa_of(table[i].addr, &ss)), table[i].what == NULL);
	}
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	ck_assert_str_eq(egress_reserved((const struct sockaddr *)&un), "not IP");
	ck_assert(!egress_allowed(NULL, NULL, (const struct sockaddr *)&un));
	ck_assert(!egress_allowed(NULL, NULL, NULL));
}
END_TEST

START_TEST(allow_list)
{
	char err[200];
	struct egress_allow *l = egress_allow_parse(
	    " 10.1.0.0/16, CRM.Internal.  fd00:1::/32\t127.0.0.1,[::1] ::ffff:192.168.7.0/120, 172.0.0.0/8 ", err,
	    sizeof err);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(egress_allow_count(l), 7);
	struct sockaddr_storage ss;
	static const struct {
		const char *host, *addr;
		bool allowed;
	} cases[] = {
	    {"x.example", "10.1.2.3", true},        /* in a listed network, whatever the name */
	    {"x.example", "10.2.0.1", false},       /* outside it */
	    {"x.example", "::ffff:10.1.9.9", true}, /* mapped form of a listed IPv4 address */
	    {"crm.internal", "10.200.0.1", true},   /* a listed name: any address */
	    {"CRM.INTERNAL.", "169.254.1.1", true}, /* letter case and the trailing dot aside */
	    {"crm.internal.evil", "10.200.0.1", false},
	    {"internal", "10.200.0.1", false},
	    {"x.example", "fd00:1:ffff::1", true},
	    {"x.example", "fd00:2::1", false},
	    {"localhost", "127.0.0.1", true}, /* a listed address: every name that resolves to it */
	    {"localhost", "127.0.0.2", false},
	    {"localhost", "::1", true},
	    {"x.example", "192.168.7.200", true}, /* ::ffff:192.168.7.0/120 is 192.168.7.0/24 */
	    {"x.example", "::ffff:192.168.7.1", true},
	    {"x.example", "192.168.8.1", false},
	    {"x.example", "172.20.0.1", true}, /* 172.0.0.0/8 */
	    {"x.example", "8.8.8.8", true},    /* public stays allowed */
	    {NULL, "10.1.0.1", true},
	    {NULL, "10.0.0.1", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(egress_allowed(l, cases[i].host, sa_of(cases[i].addr, &ss)) == cases[i].allowed,
		              "%s at %s", cases[i].host ? cases[i].host : "(no host)", cases[i].addr);
	ck_assert(egress_host_listed(l, "crm.internal"));
	ck_assert(egress_host_listed(l, "Crm.Internal."));
	ck_assert(!egress_host_listed(l, "10.1.0.1"));
	ck_assert(!egress_host_listed(NULL, "crm.internal"));
	egress_allow_free(l);

	/* The empty list, and whole networks. */
	l = egress_allow_parse("", err, sizeof err);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(egress_allow_count(l), 0);
	ck_assert(!egress_allowed(l, "localhost", sa_of("127.0.0.1", &ss)));
	egress_allow_free(l);
	l = egress_allow_parse("0.0.0.0/0,::/0", err, sizeof err);
	ck_assert(egress_allowed(l, NULL, sa_of("10.9.9.9", &ss)));
	ck_assert(egress_allowed(l, NULL, sa_of("fe80::1", &ss)));
	egress_allow_free(l);
	egress_allow_free(NULL);

	const char *bad[] = {"10.0.0.256",
	                     "10.0.0.0/33",
	                     "fd00::/129",
	                     "10.0.0.0/",
	                     "10.0.0.0/-1",
	                     "10.0.0.0/8x",
	                     "crm_internal",
	                     "-crm",
	                     ".crm",
	                     "a/b",
	                     "fe80::1%eth0",
	                     "[10.0.0.1",
	                     "http://crm/",
	                     "*.corp",
	                     "127.1",
	                     "2130706433",
	                     "crm.internal, 10.0.0.1/99",
	                     "172.16.9.9/8", /* host bits set: a typo, not 172.0.0.0/8 */
	                     "::ffff:10.0.0.0/80",
	                     "[::1]x",
	                     NULL};
	/* A network's address in brackets, as in a URL. */
	l = egress_allow_parse("[fd00:9::]/32 [10.3.0.0]/16", err, sizeof err);
	ck_assert_ptr_nonnull(l);
	ck_assert(egress_allowed(l, NULL, sa_of("fd00:9::1", &ss)));
	ck_assert(egress_allowed(l, NULL, sa_of("10.3.2.1", &ss)));
	ck_assert(!egress_allowed(l, NULL, sa_of("10.4.0.1", &ss)));
	egress_allow_free(l);

	/* A network with host bits set is a typo: refused, saying what is wrong. */
	ck_assert_ptr_null(egress_allow_parse("172.16.9.9/8", err, sizeof err));
	ck_assert_msg(strstr(err, "'172.16.9.9/8' is not a network") != NULL, "%s", err);

	for (size_t i = 0; bad[i]; i++) {
		err[0] = '\0';
		ck_assert_msg(egress_allow_parse(bad[i], err, sizeof err) == NULL, "'%s' accepted", bad[i]);
		ck_assert_msg(strstr(err, "webhook_allow_hosts") != NULL, "%s: %s", bad[i], err);
	}
}
END_TEST

/* Literal hosts resolve without DNS, so this sends nothing anywhere. */
START_TEST(resolve_literals)
{
	char err[200];
	struct addrinfo *ai = NULL;
	ck_assert_int_eq(egress_resolve(NULL, "93.184.215.14", "443", &ai, err, sizeof err), EGRESS_OK);
	ck_assert_ptr_nonnull(ai);
	ck_assert_int_eq(ai->ai_family, AF_INET);
	freeaddrinfo(ai);
	ck_assert_int_eq(egress_resolve(NULL, "10.0.0.1", "80", &ai, err, sizeof err), EGRESS_REFUSED);
	ck_assert_str_eq(err, "address not allowed");
	/* The forms a resolver reads as numbers are judged by what they mean. */
	ck_assert_int_eq(egress_resolve(NULL, "167772161", "80", NULL, err, sizeof err), EGRESS_REFUSED);
	ck_assert_int_eq(egress_resolve(NULL, "0x7f.1", "80", NULL, err, sizeof err), EGRESS_REFUSED);
	ck_assert_int_eq(egress_resolve(NULL, "::ffff:169.254.169.254", "80", NULL, err, sizeof err), EGRESS_REFUSED);
	struct egress_allow *l = egress_allow_parse("127.0.0.0/8", err, sizeof err);
	ck_assert_int_eq(egress_resolve(l, "127.0.0.1", "80", NULL, err, sizeof err), EGRESS_OK);
	ck_assert_int_eq(egress_resolve(l, "::1", "80", NULL, err, sizeof err), EGRESS_REFUSED);
	egress_allow_free(l);
}
END_TEST

int main(void)
{
	return check_run(check_suite("egress", "all", CHECK_TESTS(classification, allow_list, resolve_literals)));
}
