/* netaddr: address and network parsing with inet_pton, membership tests, and the X-Forwarded-For walk. */
#include "core/netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/text.h"

#define SEPARATORS ", \t"

static const unsigned char mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* An IPv4-mapped IPv6 address in out becomes the IPv4 address. */
static void unmap(struct netaddr *out)
{
	if (memcmp(out->bytes, mapped_prefix, sizeof mapped_prefix) == 0) {
		memmove(out->bytes, out->bytes + 12, 4);
		memset(out->bytes + 4, 0, 12);
		out->family = AF_INET;
	} else
		out->family = AF_INET6;
}

int netaddr_parse(const char *s, size_t n, struct netaddr *out)
{
	char buf[INET6_ADDRSTRLEN + 1];
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(out, 0, sizeof *out);
	if (memchr(buf, ':', n) == NULL) {
		out->family = AF_INET;
		return inet_pton(AF_INET, buf, out->bytes) == 1 ? 0 : -1;
	}
	if (inet_pton(AF_INET6, buf, out->bytes) != 1)
		return -1;
	unmap(out);
	return 0;
}

int netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out)
{
	memset(out, 0, sizeof *out);
	if (sa == NULL)
		return -1;
	if (sa->sa_family == AF_INET) {
		out->family = AF_INET;
		memcpy(out->bytes, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	memcpy(out->bytes, ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr, 16);
	unmap(out);
	return 0;
}

char *netaddr_text(kefu_arena *a, const struct netaddr *addr)
{
	char buf[INET6_ADDRSTRLEN];
	if (addr->family == AF_INET) {
		/* inet_ntop's text ("%u.%u.%u.%u"), without its sprintf: every
		 * request's client address is written this way. */
		char *p = buf;
		for (int i = 0; i < 4; i++) {
			unsigned b = addr->bytes[i];
			if (b >= 100)
				*p++ = (char)('0' + b / 100);
			if (b >= 10)
				*p++ = (char)('0' + b / 10 % 10);
			*p++ = (char)('0' + b % 10);
			*p++ = i < 3 ? '.' : '\0';
		}
		return arena_strdup(a, buf);
	}
	if (inet_ntop(addr->family, addr->bytes, buf, sizeof buf) == NULL)
		return arena_strdup(a, "-");
	return arena_strdup(a, buf);
}

bool netaddr_mask(const char *s, char out[NETADDR_MASK_LEN])
{
	struct netaddr x;
	char buf[INET6_ADDRSTRLEN];
	if (s == NULL || netaddr_parse(s, strlen(s), &x) != 0)
		return false;
	if (x.family == AF_INET) {
		snprintf(out, NETADDR_MASK_LEN, "%u.%u.%u.x", x.bytes[0], x.bytes[1], x.bytes[2]);
		return true;
	}
	memset(x.bytes + 6, 0, 10);
	if (inet_ntop(AF_INET6, x.bytes, buf, sizeof buf) == NULL)
		return false;
	snprintf(out, NETADDR_MASK_LEN, "%s/48", buf);
	return true;
}

static unsigned width(const struct netaddr *addr)
{
	return addr->family == AF_INET ? 32 : 128;
}

/* Whether the first bits bits of x and y agree. */
static bool prefix_equal(const unsigned char *x, const unsigned char *y, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	if (memcmp(x, y, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (x[whole] & mask) == (y[whole] & mask);
}

int netaddr_net_parse(const char *s, size_t n, struct netaddr_net *out)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	if (netaddr_parse(s, alen, &out->addr) != 0)
		return -1;
	unsigned w = width(&out->addr);
	out->prefix = w;
	if (slash == NULL)
		return 0;
	const char *p = slash + 1, *end = s + n;
	if (p == end || end - p > 3)
		return -1;
	unsigned v = 0;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
	}
	/* An IPv4-mapped network given in IPv6 form counts its prefix over 128 bits. */
	bool mapped = out->addr.family == AF_INET && memchr(s, ':', alen) != NULL;
	if (v > (mapped ? 128 : w) || (mapped && v < 96))
		return -1;
	if (mapped)
		v -= 96;
	out->prefix = v;
	/* Any host bit set under the prefix: refused. */
	for (unsigned bit = v; bit < w; bit++)
		if (out->addr.bytes[bit / 8] & (0x80 >> (bit % 8)))
			return -1;
	return 0;
}

int netaddr_nets_parse(const char *list, struct netaddr_net **out, size_t *n, size_t *bad)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	const char *p = list;
	for (;;) {
		p += strspn(p, SEPARATORS);
		if (*p == '\0')
			return 0;
		size_t len = strcspn(p, SEPARATORS);
		*out = xgrow(*out, &cap, *n, sizeof **out, 4);
		if (netaddr_net_parse(p, len, &(*out)[*n]) != 0) {
			if (bad)
				*bad = (size_t)(p - list);
			free(*out);
			*out = NULL;
			*n = 0;
			return -1;
		}
		(*n)++;
		p += len;
	}
}

bool netaddr_in(const struct netaddr *addr, const struct netaddr_net *nets, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (nets[i].addr.family == addr->family &&
		    prefix_equal(nets[i].addr.bytes, addr->bytes, nets[i].prefix))
			return true;
	return false;
}

const char *netaddr_client(kefu_arena *a, const char *peer, const char *xff, const struct netaddr_net *trusted,
                           size_t ntrusted)
{
	struct netaddr at;
	if (peer == NULL || netaddr_parse(peer, strlen(peer), &at) != 0)
		return peer;
	if (xff == NULL || !netaddr_in(&at, trusted, ntrusted))
		return netaddr_text(a, &at);
	/* From the right: each hop was appended by the proxy to its right. */
	const char *end = xff + strlen(xff);
	while (end > xff) {
		const char *start = end;
		while (start > xff && start[-1] != ',')
			start--;
		const char *s = start, *e = end;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		struct netaddr hop;
		if (netaddr_parse(s, (size_t)(e - s), &hop) != 0)
			break; /* not an address: nothing left of it is believed */
		at = hop;
		if (!netaddr_in(&hop, trusted, ntrusted))
			break;
		end = start > xff ? start - 1 : xff;
	}
	return netaddr_text(a, &at);
}
