/* netaddr: IP addresses and networks as text (trusted_proxies), and the client address behind trusted proxies. */
#ifndef KEFU_NETADDR_H
#define KEFU_NETADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

struct sockaddr;

/* An IPv4 or IPv6 address; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is
 * kept as the IPv4 address, so both spellings match the same networks. */
struct netaddr {
	int family;              /* AF_INET or AF_INET6 */
	unsigned char bytes[16]; /* network order; 4 used for AF_INET */
};

/* A network: an address and a prefix length (32 or 128 for one address). */
struct netaddr_net {
	struct netaddr addr;
	unsigned prefix;
};

/* Parse n bytes of s as an address (no brackets, no port, no zone): 0, or -1. */
int netaddr_parse(const char *s, size_t n, struct netaddr *out);
/* The address of sa (AF_INET or AF_INET6; a mapped IPv6 address becomes its
 * IPv4 address, as netaddr_parse does): 0, or -1 for any other family or NULL. */
int netaddr_from_sockaddr(const struct sockaddr *sa, struct netaddr *out);
/* The address as text (inet_ntop's canonical form), in arena a. */
char *netaddr_text(kefu_arena *a, const struct netaddr *addr);
/*
 * The address text s as agents see it when the tenant masks addresses: an
 * IPv4 address keeps its /24 with the last number "x" ("203.0.113.x"), an
 * IPv6 address its /48 ("2001:db8:1::/48"); a mapped IPv6 address is its IPv4
 * address. Written to out (NETADDR_MASK_LEN bytes); false when s is NULL or
 * not an address (nothing is shown rather than something unmasked).
 */
#define NETADDR_MASK_LEN 64
bool netaddr_mask(const char *s, char out[NETADDR_MASK_LEN]);
/* Parse "ADDR" or "ADDR/PREFIX" (n bytes of s): 0, or -1. Host bits under the
 * prefix must be zero ("10.0.0.1/8" is refused: it is probably a typo). */
int netaddr_net_parse(const char *s, size_t n, struct netaddr_net *out);
/* Parse a list of networks separated by commas and/or blanks (empty: none).
 * *out is malloc'd (free it; NULL when *n is 0). 0, or -1 with *out NULL and
 * *bad (may be NULL) the offset of the entry at fault. */
int netaddr_nets_parse(const char *list, struct netaddr_net **out, size_t *n, size_t *bad);
/* Whether addr is inside one of nets[0..n). */
bool netaddr_in(const struct netaddr *addr, const struct netaddr_net *nets, size_t n);

/*
 * The client's address, as text in arena a. peer is the address the web
 * server saw (REMOTE_ADDR). Only when peer is one of the trusted networks
 * is xff (the X-Forwarded-For header, NULL if absent) read: from its right
 * end, skipping hops that are themselves trusted, the first untrusted hop is
 * the client (every hop left of it could have been written by the client).
 * A hop that is not an address ends the walk: the last trusted hop is then
 * the client. With nothing trusted, or no usable header, the answer is peer.
 * Returns peer itself (not copied) when it is not an address at all.
 */
const char *netaddr_client(kefu_arena *a, const char *peer, const char *xff, const struct netaddr_net *trusted,
                           size_t ntrusted);

#endif
