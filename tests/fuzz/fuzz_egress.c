/* fuzz_egress: webhook URLs and webhook_allow_hosts lists from arbitrary bytes, and the address rule on what they
 * yield. */
/*
 * Input: "URL\nLIST". The URL goes through webhook_parse_url, the list
 * through egress_allow_parse; a literal host is then judged against the
 * list (AI_NUMERICHOST: no name is ever looked up). The first 20 bytes also
 * serve as an IPv6 and an IPv4 address, to hold the rule to its invariants.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/egress.h"
#include "domain/webhooks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The invariants of one address under list l. */
static void check_address(const struct egress_allow *l, const struct sockaddr *sa)
{
	const char *what = egress_reserved(sa);
	bool allowed = egress_allowed(l, NULL, sa);
	if (what == NULL && !allowed)
		abort(); /* public is always allowed */
	if (egress_allow_count(l) == 0 && allowed != (what == NULL))
		abort(); /* with nothing listed, only public is */
	if (!allowed && egress_allowed(l, "never-listed.invalid", sa) && !egress_host_listed(l, "never-listed.invalid"))
		abort(); /* the host name only matters when it is listed */
}

static void check_url(kefu_arena *a, const struct egress_allow *l, const char *url)
{
	struct webhook_url u;
	if (webhook_parse_url(a, url, &u) != 0)
		return;
	size_t n = strlen(u.host);
	if (n == 0 || strspn(u.host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") != n)
		abort();
	long port = strtol(u.port, NULL, 10);
	if (port < 1 || port > 65535 || u.path[0] != '/')
		abort();
	for (const char *p = u.path; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			abort(); /* the request line stays one line */
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
	                         .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV},
	                *ai;
	if (getaddrinfo(u.host, u.port, &hints, &ai) != 0)
		return;
	for (const struct addrinfo *p = ai; p; p = p->ai_next) {
		check_address(l, p->ai_addr);
		if (egress_host_listed(l, u.host) && !egress_allowed(l, u.host, p->ai_addr))
			abort();
	}
	freeaddrinfo(ai);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kefu_arena *a;
	if (a == NULL)
		a = arena_new();
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	char *nl = strchr(s, '\n');
	const char *list = nl ? nl + 1 : "";
	if (nl)
		*nl = '\0';
	char err[256] = "";
	struct egress_allow *l = egress_allow_parse(list, err, sizeof err);
	if (l == NULL && err[0] == '\0')
		abort(); /* a refused list says why */
	if (l == NULL)
		l = egress_allow_parse("", err, sizeof err);
	check_url(a, l, s);

	/* The input's bytes as addresses: a mapped IPv6 address is its IPv4 one. */
	if (size >= 20) {
		struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
		struct sockaddr_in v4 = {.sin_family = AF_INET};
		memcpy(&v6.sin6_addr, data, 16);
		memcpy(&v4.sin_addr, data + 16, 4);
		check_address(l, (struct sockaddr *)&v6);
		check_address(l, (struct sockaddr *)&v4);
		memset(&v6.sin6_addr, 0, 10);
		v6.sin6_addr.s6_addr[10] = v6.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&v6.sin6_addr.s6_addr[12], data + 16, 4);
		if (egress_reserved((struct sockaddr *)&v6) != egress_reserved((struct sockaddr *)&v4) ||
		    egress_allowed(l, NULL, (struct sockaddr *)&v6) != egress_allowed(l, NULL, (struct sockaddr *)&v4))
			abort();
	}
	egress_allow_free(l);
	free(s);
	arena_reset(a);
	return 0;
}
