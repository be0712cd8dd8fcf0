/* egress: the address rule for outgoing connections a tenant chooses (webhooks): special-purpose ranges, the
 * operator's allow-list; addresses and networks are read and matched by core/netaddr. */
#include "core/egress.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/netaddr.h"

struct egress_allow {
	struct netaddr_net *nets;
	size_t nnets;
	char **hosts; /* lower case, no trailing dot */
	size_t nhosts;
};

/* A range of the special-purpose registries (RFC 6890 and successors): {{{family, {bytes}}, prefix}, what}. */
struct range {
	struct netaddr_net net;
	const char *what;
};

/* IPv4: everything else is public unicast. */
static const struct range v4_special[] = {
    {{{AF_INET, {0}}, 8}, "unspecified"}, /* "this network" */
    {{{AF_INET, {10}}, 8}, "private"},
    {{{AF_INET, {100, 64}}, 10}, "shared"}, /* carrier-grade NAT */
    {{{AF_INET, {127}}, 8}, "loopback"},
    {{{AF_INET, {169, 254}}, 16}, "link-local"}, /* cloud metadata lives here */
    {{{AF_INET, {172, 16}}, 12}, "private"},
    {{{AF_INET, {192, 0, 0}}, 24}, "reserved"}, /* IETF protocol assignments */
    {{{AF_INET, {192, 0, 2}}, 24}, "documentation"},
    {{{AF_INET, {192, 88, 99}}, 24}, "reserved"}, /* 6to4 relay anycast, deprecated */
    {{{AF_INET, {192, 168}}, 16}, "private"},
    {{{AF_INET, {198, 18}}, 15}, "reserved"}, /* benchmarking */
    {{{AF_INET, {198, 51, 100}}, 24}, "documentation"},
    {{{AF_INET, {203, 0, 113}}, 24}, "documentation"},
    {{{AF_INET, {224}}, 4}, "multicast"},
    {{{AF_INET, {240}}, 4}, "reserved"}, /* and 255.255.255.255 */
};

/* IPv6: checked in order; only 2000::/3 outside these is public unicast.
 * Mapped addresses are IPv4 already (netaddr_from_sockaddr); NAT64 ones are
 * judged by their IPv4 address before this. */
static const struct range v6_special[] = {
    {{{AF_INET6, {0}}, 128}, "unspecified"},
    {{{AF_INET6, {[15] = 1}}, 128}, "loopback"},
    {{{AF_INET6, {0}}, 96}, "reserved"},                         /* IPv4-compatible, deprecated */
    {{{AF_INET6, {0, 0x64, 0xff, 0x9b, 0, 1}}, 48}, "reserved"}, /* local-use NAT64 */
    {{{AF_INET6, {1, 0}}, 64}, "reserved"},                      /* discard-only */
    {{{AF_INET6, {0x20, 0x01, 0x0d, 0xb8}}, 32}, "documentation"},
    {{{AF_INET6, {0x20, 0x01}}, 23}, "reserved"}, /* IETF protocol assignments (Teredo, ORCHID, ...) */
    {{{AF_INET6, {0x20, 0x02}}, 16}, "reserved"}, /* 6to4: relayed to an embedded IPv4 address */
    {{{AF_INET6, {0x3f, 0xff}}, 20}, "documentation"},
    {{{AF_INET6, {0x5f, 0x00}}, 16}, "reserved"}, /* SRv6 SIDs */
    {{{AF_INET6, {0xfc}}, 7}, "unique-local"},
    {{{AF_INET6, {0xfe, 0x80}}, 10}, "link-local"},
    {{{AF_INET6, {0xfe, 0xc0}}, 10}, "reserved"}, /* site-local, deprecated */
    {{{AF_INET6, {0xff}}, 8}, "multicast"},
};

static const struct netaddr_net nat64 = {{AF_INET6, {0, 0x64, 0xff, 0x9b}}, 96};
static const struct netaddr_net global_unicast = {{AF_INET6, {0x20}}, 3};

static const char *ip_reserved(const struct netaddr *ip)
{
	if (ip->family == AF_INET) {
		for (size_t i = 0; i < sizeof v4_special / sizeof v4_special[0]; i++)
			if (netaddr_in(ip, &v4_special[i].net, 1))
				return v4_special[i].what;
		return NULL;
	}
	if (netaddr_in(ip, &nat64, 1)) {
		/* A NAT64 gateway translates it to the embedded IPv4 address. */
		struct netaddr v4 = {.family = AF_INET};
		memcpy(v4.bytes, ip->bytes + 12, 4);
		return ip_reserved(&v4);
	}
	for (size_t i = 0; i < sizeof v6_special / sizeof v6_special[0]; i++)
		if (netaddr_in(ip, &v6_special[i].net, 1))
			return v6_special[i].what;
	if (!netaddr_in(ip, &global_unicast, 1))
		return "reserved";
	return NULL;
}

const char *egress_reserved(const struct sockaddr *sa)
{
	struct netaddr ip;
	return netaddr_from_sockaddr(sa, &ip) != 0 ? "not IP" : ip_reserved(&ip);
}

/* "addr" or "addr/prefix", the address optionally in brackets ("[fd00::1]",
 * as in a URL), into a network; -1 when it is neither. */
static int parse_net(const char *s, size_t n, struct netaddr_net *out)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	if (alen < 2 || s[0] != '[' || s[alen - 1] != ']')
		return netaddr_net_parse(s, n, out);
	char buf[INET6_ADDRSTRLEN + 8];
	if (n - 2 >= sizeof buf)
		return -1;
	memcpy(buf, s + 1, alen - 2);
	memcpy(buf + (alen - 2), s + alen, n - alen); /* not buf + alen - 2: past the end first */
	return netaddr_net_parse(buf, n - 2, out);
}

/* A host name as the URL parser lets it through: letters, digits, '-', '.';
 * an all-digit last label is a mistyped address (10.0.0.256), not a name. */
static bool host_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 253 || s[0] == '.' || s[0] == '-')
		return false;
	bool digits = true;
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.')
			return false;
		if (s[i] == '.' && i + 1 < n)
			digits = true;
		else if (s[i] != '.')
			digits = digits && isdigit((unsigned char)s[i]);
	}
	return !digits;
}

/* Host names compare without letter case and without one trailing dot. */
static size_t host_len(const char *s, size_t n)
{
	return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL)
		abort();
	return p;
}

struct egress_allow *egress_allow_parse(const char *list, char *err, size_t errlen)
{
	struct egress_allow *l = calloc(1, sizeof *l);
	if (l == NULL)
		abort();
	const char *p = list ? list : "";
	for (;;) {
		p += strspn(p, ", \t\r\n");
		if (*p == '\0')
			return l;
		size_t n = strcspn(p, ", \t\r\n");
		struct netaddr_net net;
		if (parse_net(p, n, &net) == 0) {
			l->nets = xrealloc(l->nets, (l->nnets + 1) * sizeof *l->nets);
			l->nets[l->nnets++] = net;
		} else if (memchr(p, '/', n) == NULL && memchr(p, ':', n) == NULL && host_name_ok(p, n)) {
			size_t k = host_len(p, n);
			char *h = malloc(k + 1);
			if (h == NULL)
				abort();
			for (size_t i = 0; i < k; i++)
				h[i] = (char)tolower((unsigned char)p[i]);
			h[k] = '\0';
			l->hosts = xrealloc(l->hosts, (l->nhosts + 1) * sizeof *l->hosts);
			l->hosts[l->nhosts++] = h;
		} else {
			snprintf(err, errlen,
			         memchr(p, '/', n)
			             ? "webhook_allow_hosts: '%.*s' is not a network (ADDRESS/PREFIX, "
			               "with the bits past the prefix zero)"
			             : "webhook_allow_hosts: '%.*s' is neither a host name, an address nor a "
			               "network",
			         (int)(n > 100 ? 100 : n), p);
			egress_allow_free(l);
			return NULL;
		}
		p += n;
	}
}

void egress_allow_free(struct egress_allow *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nhosts; i++)
		free(l->hosts[i]);
	free(l->hosts);
	free(l->nets);
	free(l);
}

size_t egress_allow_count(const struct egress_allow *l)
{
	return l ? l->nhosts + l->nnets : 0;
}

bool egress_host_listed(const struct egress_allow *l, const char *host)
{
	if (l == NULL || host == NULL)
		return false;
	size_t n = host_len(host, strlen(host));
	for (size_t i = 0; i < l->nhosts; i++)
		if (strlen(l->hosts[i]) == n && strncasecmp(l->hosts[i], host, n) == 0)
			return true;
	return false;
}

bool egress_allowed(const struct egress_allow *l, const char *host, const struct sockaddr *sa)
{
	struct netaddr ip;
	if (netaddr_from_sockaddr(sa, &ip) != 0)
		return false;
	if (ip_reserved(&ip) == NULL || egress_host_listed(l, host))
		return true;
	return l != NULL && netaddr_in(&ip, l->nets, l->nnets);
}

enum egress_result egress_resolve(const struct egress_allow *l, const char *host, const char *port,
                                  struct addrinfo **out, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai;
	int rc = getaddrinfo(host, port, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "resolve %s: %s", host, gai_strerror(rc));
		return EGRESS_UNRESOLVED;
	}
	for (const struct addrinfo *p = ai; p != NULL; p = p->ai_next) {
		if (!egress_allowed(l, host, p->ai_addr)) {
			freeaddrinfo(ai);
			snprintf(err, errlen, "address not allowed");
			return EGRESS_REFUSED;
		}
	}
	if (out)
		*out = ai;
	else
		freeaddrinfo(ai);
	return EGRESS_OK;
}
