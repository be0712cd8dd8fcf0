/* egress: the address rule for outgoing connections a tenant chooses (webhooks): special-purpose ranges, the
 * operator's allow-list. */
#include "core/egress.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An address as bytes: 4 for IPv4, 16 for IPv6. */
struct ip {
	int len;
	uint8_t b[16];
};

struct net {
	struct ip ip; /* host bits cleared */
	int prefix;   /* bits */
};

struct egress_allow {
	struct net *nets;
	size_t nnets;
	char **hosts; /* lower case, no trailing dot */
	size_t nhosts;
};

/* A range of the special-purpose registries (RFC 6890 and successors). */
struct range {
	uint8_t b[16];
	int prefix;
	const char *what;
};

/* IPv4: everything else is public unicast. */
static const struct range v4_special[] = {
    {{0}, 8, "unspecified"}, /* "this network" */
    {{10}, 8, "private"},
    {{100, 64}, 10, "shared"}, /* carrier-grade NAT */
    {{127}, 8, "loopback"},
    {{169, 254}, 16, "link-local"}, /* cloud metadata lives here */
    {{172, 16}, 12, "private"},
    {{192, 0, 0}, 24, "reserved"}, /* IETF protocol assignments */
    {{192, 0, 2}, 24, "documentation"},
    {{192, 88, 99}, 24, "reserved"}, /* 6to4 relay anycast, deprecated */
    {{192, 168}, 16, "private"},
    {{198, 18}, 15, "reserved"}, /* benchmarking */
    {{198, 51, 100}, 24, "documentation"},
    {{203, 0, 113}, 24, "documentation"},
    {{224}, 4, "multicast"},
    {{240}, 4, "reserved"}, /* and 255.255.255.255 */
};

/* IPv6: checked in order; only 2000::/3 outside these is public unicast.
 * The mapped and NAT64 prefixes are handled before (their IPv4 address). */
static const struct range v6_special[] = {
    {{0}, 128, "unspecified"},
    {{[15] = 1}, 128, "loopback"},
    {{0}, 96, "reserved"},                         /* IPv4-compatible, deprecated */
    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48, "reserved"}, /* local-use NAT64 */
    {{1, 0}, 64, "reserved"},                      /* discard-only */
    {{0x20, 0x01, 0x0d, 0xb8}, 32, "documentation"},
    {{0x20, 0x01}, 23, "reserved"}, /* IETF protocol assignments (Teredo, ORCHID, ...) */
    {{0x20, 0x02}, 16, "reserved"}, /* 6to4: relayed to an embedded IPv4 address */
    {{0x3f, 0xff}, 20, "documentation"},
    {{0x5f, 0x00}, 16, "reserved"}, /* SRv6 SIDs */
    {{0xfc}, 7, "unique-local"},
    {{0xfe, 0x80}, 10, "link-local"},
    {{0xfe, 0xc0}, 10, "reserved"}, /* site-local, deprecated */
    {{0xff}, 8, "multicast"},
};

static const uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
static const uint8_t nat64_prefix[12] = {0, 0x64, 0xff, 0x9b};

static bool prefix_match(const uint8_t *a, const uint8_t *net, int prefix)
{
	int whole = prefix / 8, rest = prefix % 8;
	if (memcmp(a, net, (size_t)whole) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[whole] & mask) == (net[whole] & mask);
}

/* sa as bytes; an IPv4-mapped IPv6 address becomes its IPv4 address, since
 * that is where a connection to it goes. -1 for other families. */
static int ip_of(const struct sockaddr *sa, struct ip *out)
{
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET) {
		out->len = 4;
		memcpy(out->b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	const uint8_t *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	if (memcmp(b, mapped_prefix, 12) == 0) {
		out->len = 4;
		memcpy(out->b, b + 12, 4);
	} else {
		out->len = 16;
		memcpy(out->b, b, 16);
	}
	return 0;
}

static const char *ip_reserved(const struct ip *ip)
{
	if (ip->len == 4) {
		for (size_t i = 0; i < sizeof v4_special / sizeof v4_special[0]; i++)
			if (prefix_match(ip->b, v4_special[i].b, v4_special[i].prefix))
				return v4_special[i].what;
		return NULL;
	}
	if (memcmp(ip->b, nat64_prefix, 12) == 0) {
		/* A NAT64 gateway translates it to the embedded IPv4 address. */
		struct ip v4 = {.len = 4};
		memcpy(v4.b, ip->b + 12, 4);
		return ip_reserved(&v4);
	}
	for (size_t i = 0; i < sizeof v6_special / sizeof v6_special[0]; i++)
		if (prefix_match(ip->b, v6_special[i].b, v6_special[i].prefix))
			return v6_special[i].what;
	if ((ip->b[0] & 0xe0) != 0x20)
		return "reserved"; /* outside global unicast 2000::/3 */
	return NULL;
}

const char *egress_reserved(const struct sockaddr *sa)
{
	struct ip ip;
	return ip_of(sa, &ip) != 0 ? "not IP" : ip_reserved(&ip);
}

/* One IP address in text: "10.1.2.3", "fd00::1" or "[fd00::1]". */
static int parse_ip(const char *s, size_t n, struct ip *out)
{
	char buf[INET6_ADDRSTRLEN + 2];
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
		s++, n -= 2;
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, out->b) == 1) {
		out->len = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, out->b) == 1) {
		out->len = 16;
		return 0;
	}
	return -1;
}

/* "addr" or "addr/prefix" into a network; -1 when it is neither. */
static int parse_net(const char *s, size_t n, struct net *out)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	if (parse_ip(s, alen, &out->ip) != 0)
		return -1;
	int max = out->ip.len * 8;
	out->prefix = max;
	if (slash) {
		const char *p = slash + 1, *end = s + n;
		if (p == end || end - p > 3)
			return -1;
		int v = 0;
		for (; p < end; p++) {
			if (!isdigit((unsigned char)*p))
				return -1;
			v = v * 10 + (*p - '0');
		}
		if (v > max)
			return -1;
		out->prefix = v;
	}
	if (out->ip.len == 16 && out->prefix >= 96 && memcmp(out->ip.b, mapped_prefix, 12) == 0) {
		/* Matching sees mapped addresses as IPv4 (ip_of), so store it so. */
		memmove(out->ip.b, out->ip.b + 12, 4);
		out->ip.len = 4;
		out->prefix -= 96;
	}
	for (int bit = out->prefix; bit < out->ip.len * 8; bit++)
		out->ip.b[bit / 8] &= (uint8_t) ~(0x80 >> (bit % 8));
	return 0;
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
		struct net net;
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
			         "webhook_allow_hosts: '%.*s' is neither a host name, an address nor a network",
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
	struct ip ip;
	if (ip_of(sa, &ip) != 0)
		return false;
	if (ip_reserved(&ip) == NULL || egress_host_listed(l, host))
		return true;
	for (size_t i = 0; l && i < l->nnets; i++)
		if (l->nets[i].ip.len == ip.len && prefix_match(ip.b, l->nets[i].ip.b, l->nets[i].prefix))
			return true;
	return false;
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
