/* test_netaddr: address and network parsing, addresses from sockaddrs, membership, the X-Forwarded-For client behind
 * trusted proxies, trusted_proxies in the config. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "core/arena.h"
#include "core/conf.h"
#include "core/netaddr.h"
#include "check-main.h"

static int net(const char *s, struct netaddr_net *out)
{
	return netaddr_net_parse(s, strlen(s), out);
}

START_TEST(addresses_and_networks)
{
	struct netaddr a;
	ck_assert_int_eq(netaddr_parse("10.1.2.3", 8, &a), 0);
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_int_eq(netaddr_parse("::ffff:10.1.2.3", 15, &a), 0);
	ck_assert_int_eq(a.family, AF_INET); /* mapped: the same as the IPv4 address */
	ck_assert_int_eq(netaddr_parse("2001:db8::1", 11, &a), 0);
	ck_assert_int_eq(a.family, AF_INET6);
	const char *bad[] = {"",
	                     "10.1.2",
	                     "10.1.2.3.4",
	                     "256.1.1.1",
	                     "10.1.2.3:80",
	                     "[::1]",
	                     "fe80::1%eth0",
	                     "1.2.3.4 ",
	                     " 1.2.3.4",
	                     "::g",
	                     "0x7f.1.1.1",
	                     "2001:db8::1:2:3:4:5:6:7:8"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(netaddr_parse(bad[i], strlen(bad[i]), &a) != 0, "accepted '%s'", bad[i]);
	/* Only the n bytes given are read. */
	ck_assert_int_eq(netaddr_parse("10.0.0.1,junk", 8, &a), 0);

	struct netaddr_net n;
	ck_assert_int_eq(net("10.0.0.0/8", &n), 0);
	ck_assert_uint_eq(n.prefix, 8);
	ck_assert_int_eq(net("192.0.2.7", &n), 0);
	ck_assert_uint_eq(n.prefix, 32);
	ck_assert_int_eq(net("fc00::/7", &n), 0);
	ck_assert_int_eq(net("::/0", &n), 0);
	ck_assert_int_eq(net("::ffff:10.0.0.0/104", &n), 0);
	ck_assert_int_eq(n.addr.family, AF_INET);
	ck_assert_uint_eq(n.prefix, 8);
	const char *badnets[] = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1",       "10.0.0.0/8x",
	                         "::1/129",    "fc00::/1234", "/8",        "::ffff:10.0.0.0/8", "10.0.0.0/8/8"};
	for (size_t i = 0; i < sizeof badnets / sizeof badnets[0]; i++)
		ck_assert_msg(net(badnets[i], &n) != 0, "accepted '%s'", badnets[i]);

	struct netaddr_net *list;
	size_t count, at = 0;
	ck_assert_int_eq(netaddr_nets_parse(" 10.0.0.0/8,192.0.2.1  ::1 ,", &list, &count, NULL), 0);
	ck_assert_uint_eq(count, 3);
	struct netaddr probe;
	netaddr_parse("10.200.0.1", 10, &probe);
	ck_assert(netaddr_in(&probe, list, count));
	netaddr_parse("11.0.0.1", 8, &probe);
	ck_assert(!netaddr_in(&probe, list, count));
	netaddr_parse("::1", 3, &probe);
	ck_assert(netaddr_in(&probe, list, count));
	netaddr_parse("::2", 3, &probe);
	ck_assert(!netaddr_in(&probe, list, count));
	free(list);
	ck_assert_int_eq(netaddr_nets_parse("", &list, &count, NULL), 0);
	ck_assert_uint_eq(count, 0);
	ck_assert_ptr_null(list);
	ck_assert_int_eq(netaddr_nets_parse("10.0.0.0/8, nonsense", &list, &count, &at), -1);
	ck_assert_uint_eq(at, 12);
	ck_assert_ptr_null(list);
}
END_TEST

START_TEST(from_sockaddr)
{
	struct netaddr a, want;
	struct sockaddr_in v4 = {.sin_family = AF_INET};
	inet_pton(AF_INET, "192.0.2.7", &v4.sin_addr);
	ck_assert_int_eq(netaddr_from_sockaddr((struct sockaddr *)&v4, &a), 0);
	netaddr_parse("192.0.2.7", 9, &want);
	ck_assert_mem_eq(&a, &want, sizeof a);
	/* A mapped IPv6 address is its IPv4 address, as in netaddr_parse. */
	struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "::ffff:192.0.2.7", &v6.sin6_addr);
	ck_assert_int_eq(netaddr_from_sockaddr((struct sockaddr *)&v6, &a), 0);
	ck_assert_mem_eq(&a, &want, sizeof a);
	inet_pton(AF_INET6, "2001:db8::7", &v6.sin6_addr);
	ck_assert_int_eq(netaddr_from_sockaddr((struct sockaddr *)&v6, &a), 0);
	netaddr_parse("2001:db8::7", 11, &want);
	ck_assert_mem_eq(&a, &want, sizeof a);
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	ck_assert_int_eq(netaddr_from_sockaddr((struct sockaddr *)&un, &a), -1);
	ck_assert_int_eq(netaddr_from_sockaddr(NULL, &a), -1);
}
END_TEST

START_TEST(client_behind_proxies)
{
	kefu_arena *a = arena_new();
	struct netaddr_net *trusted;
	size_t n;
	ck_assert_int_eq(netaddr_nets_parse("127.0.0.1, 10.0.0.0/8", &trusted, &n, NULL), 0);

	/* Nothing trusted: the header is never read. */
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "203.0.113.9", NULL, 0), "127.0.0.1");
	/* An untrusted peer: its header is the client's own words. */
	ck_assert_str_eq(netaddr_client(a, "198.51.100.1", "203.0.113.9", trusted, n), "198.51.100.1");
	/* A trusted peer: the rightmost untrusted hop, whatever the client wrote left of it. */
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "203.0.113.9", trusted, n), "203.0.113.9");
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "1.1.1.1, 203.0.113.9", trusted, n), "203.0.113.9");
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "1.1.1.1,203.0.113.9 , 10.1.1.1", trusted, n), "203.0.113.9");
	/* A forged trusted address left of the real client changes nothing. */
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "10.9.9.9, 203.0.113.9", trusted, n), "203.0.113.9");
	/* Every hop trusted: the leftmost. */
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "10.2.2.2, 10.1.1.1", trusted, n), "10.2.2.2");
	/* Garbage stops the walk at the last trusted hop. */
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "203.0.113.9, unknown", trusted, n), "127.0.0.1");
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "203.0.113.9, unknown, 10.1.1.1", trusted, n), "10.1.1.1");
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "", trusted, n), "127.0.0.1");
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", ",", trusted, n), "127.0.0.1");
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", NULL, trusted, n), "127.0.0.1");
	/* Text is canonical, so one address is one rate-limit bucket. */
	ck_assert_str_eq(netaddr_client(a, "127.0.0.1", "2001:DB8:0::1", trusted, n), "2001:db8::1");
	ck_assert_str_eq(netaddr_client(a, "::ffff:127.0.0.1", "::ffff:203.0.113.9", trusted, n), "203.0.113.9");
	/* A peer that is not an address (a unix socket) is passed through. */
	ck_assert_ptr_null(netaddr_client(a, NULL, "203.0.113.9", trusted, n));
	ck_assert_str_eq(netaddr_client(a, "unix:", "203.0.113.9", trusted, n), "unix:");
	free(trusted);
	arena_free(a);
}
END_TEST

START_TEST(masked_addresses)
{
	char m[NETADDR_MASK_LEN];
	const char *cases[][2] = {{"203.0.113.77", "203.0.113.x"},
	                          {"::ffff:198.51.100.9", "198.51.100.x"},
	                          {"2001:db8:1:2:3:4:5:6", "2001:db8:1::/48"},
	                          {"2001:db8:abcd:ffff::1", "2001:db8:abcd::/48"},
	                          {"::1", "::/48"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert(netaddr_mask(cases[i][0], m));
		ck_assert_str_eq(m, cases[i][1]);
	}
	ck_assert(!netaddr_mask(NULL, m));
	ck_assert(!netaddr_mask("unix", m));
	ck_assert(!netaddr_mask("10.213.0.1:80", m));
}
END_TEST

/* netaddr_text writes IPv4 addresses itself: the same text as inet_ntop for
 * every byte value in every position. */
START_TEST(address_text)
{
	kefu_arena *a = arena_new();
	for (unsigned v = 0; v < 256; v++) {
		struct netaddr x = {.family = AF_INET,
		                    .bytes = {(unsigned char)v, (unsigned char)(255 - v), (unsigned char)(v * 7),
		                              (unsigned char)(v / 3)}};
		char want[INET6_ADDRSTRLEN];
		ck_assert_ptr_nonnull(inet_ntop(AF_INET, x.bytes, want, sizeof want));
		ck_assert_str_eq(netaddr_text(a, &x), want);
	}
	struct netaddr six;
	ck_assert_int_eq(netaddr_parse("2001:db8::1", 11, &six), 0);
	ck_assert_str_eq(netaddr_text(a, &six), "2001:db8::1");
	arena_free(a);
}
END_TEST

START_TEST(trusted_proxies_config)
{
	struct kefu_conf c;
	char err[256];
	ck_assert_int_eq(conf_load(&c, "/dev/null", err, sizeof err), 0);
	ck_assert_uint_eq(c.trusted_proxies.n, 0); /* default: nobody */
	ck_assert_int_eq(conf_set(&c, "trusted_proxies", "127.0.0.1, 10.0.0.0/8"), 0);
	ck_assert_uint_eq(c.trusted_proxies.n, 2);
	ck_assert_int_eq(conf_set(&c, "trusted_proxies", "10.0.0.0/8 bogus"), -1);
	ck_assert_uint_eq(c.trusted_proxies.n, 2); /* a bad value leaves the old one */
	ck_assert_int_eq(conf_set(&c, "trusted_proxies", ""), 0);
	ck_assert_uint_eq(c.trusted_proxies.n, 0);
	conf_free(&c);
}
END_TEST

int main(void)
{
	return check_run(check_suite("netaddr", "netaddr",
	                             CHECK_TESTS(addresses_and_networks, from_sockaddr, client_behind_proxies,
	                                         masked_addresses, address_text, trusted_proxies_config)));
}
