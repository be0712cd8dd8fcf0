/* egress: may kefu open a connection to this address on a tenant's behalf (webhooks)? Public unicast, or
 * operator-listed. */
#ifndef KEFU_CORE_EGRESS_H
#define KEFU_CORE_EGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include <netdb.h>
#include <sys/socket.h>

/*
 * Why: a tenant admin chooses webhook URLs, and kefu-webhookd connects to
 * them from inside the operator's network and records what came back. Left
 * open, that is a port scanner for loopback, the private network and cloud
 * metadata (169.254.169.254). So only public unicast addresses are allowed,
 * plus what the operator lists in webhook_allow_hosts (a CRM on the internal
 * network). The worker applies the rule when a URL is saved, the sender at
 * every connect, to the very addresses it then connects to: the same code, so
 * the two can never disagree about an address.
 */

/* A parsed webhook_allow_hosts list; read-only once built, so shared by threads. */
struct egress_allow;

/*
 * Parse a list of entries separated by commas and/or white space:
 *   - an address (10.1.2.3, fd00::5, [fd00::5]): that address;
 *   - a network in CIDR form (10.1.0.0/16, fd00::/8): every address in it
 *     (as netaddr_net_parse reads it: host bits must be zero, so a mistyped
 *     10.1.2.3/8 is refused rather than silently allowing all of 10/8; an
 *     IPv4-mapped ::ffff:a.b.c.d/N with N >= 96 is the IPv4 network
 *     a.b.c.d/(N-96));
 *   - a host name (crm.internal): a URL with exactly this host (letter case
 *     and one trailing dot aside), whatever it resolves to.
 * Names resolving into a listed network are allowed too; a listed name does
 * not cover other names with the same addresses. "" is the empty list. NULL
 * on a bad entry, with a message naming it in err. The caller owns the
 * result (egress_allow_free; NULL is fine there).
 */
struct egress_allow *egress_allow_parse(const char *list, char *err, size_t errlen);
void egress_allow_free(struct egress_allow *l);

/* Number of entries (host names plus networks) in l (NULL: 0). */
size_t egress_allow_count(const struct egress_allow *l);

/* Is host (a URL's host, IPv6 without brackets) listed by name in l? */
bool egress_host_listed(const struct egress_allow *l, const char *host);

/*
 * NULL when sa is a public unicast address; otherwise what it is, for logs:
 * "unspecified", "loopback", "private", "shared", "link-local",
 * "unique-local", "multicast", "documentation", "reserved", or "not IP" for
 * a family other than AF_INET/AF_INET6. IPv4-mapped (::ffff:a.b.c.d) and
 * NAT64 (64:ff9b::a.b.c.d) addresses are judged by their IPv4 address.
 */
const char *egress_reserved(const struct sockaddr *sa);

/*
 * The rule, for one resolved address: may kefu connect to sa for a URL whose
 * host is host (may be NULL)? True when sa is public unicast, lies in a
 * network of l, or host is listed by name in l. Pure (no I/O, no locks):
 * callable from a socket-open callback (libcurl's
 * CURLOPT_OPENSOCKETFUNCTION gets the sockaddr it is about to connect to).
 */
bool egress_allowed(const struct egress_allow *l, const char *host, const struct sockaddr *sa);

enum egress_result {
	EGRESS_OK = 0,
	EGRESS_UNRESOLVED = -1, /* the name does not resolve (now) */
	EGRESS_REFUSED = -2,    /* an address it resolves to is not allowed */
};

/*
 * Resolve host:port once (TCP) and check every address with
 * egress_allowed: one address not allowed refuses the host, so a name
 * cannot smuggle a private address in beside a public one. On EGRESS_OK,
 * *out (when out is not NULL) is the checked list to connect to, without
 * resolving again (caller frees it with freeaddrinfo). Otherwise err gets a
 * message ("resolve HOST: ..." or "address not allowed").
 */
enum egress_result egress_resolve(const struct egress_allow *l, const char *host, const char *port,
                                  struct addrinfo **out, char *err, size_t errlen);

#endif
