/* fuzz_netaddr: trusted_proxies lists and X-Forwarded-For headers from arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/netaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input is "TRUSTED-LIST\nX-FORWARDED-FOR" (both C strings as FastCGI and
 * the config file give them); without a newline, both are the whole input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static kefu_arena *a;
	if (a == NULL)
		a = arena_new();
	char *text = arena_strndup(a, (const char *)data, size);
	char *nl = strchr(text, '\n');
	const char *list = text, *xff = text;
	if (nl != NULL) {
		*nl = '\0';
		xff = nl + 1;
	}
	struct netaddr_net *nets;
	size_t n, bad = 0;
	if (netaddr_nets_parse(list, &nets, &n, &bad) != 0) {
		if (nets != NULL || n != 0 || bad > strlen(list))
			abort();
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		/* Each network holds its own address and prints as an address that parses again. */
		if (!netaddr_in(&nets[i].addr, &nets[i], 1))
			abort();
		char *t = netaddr_text(a, &nets[i].addr);
		struct netaddr back;
		if (netaddr_parse(t, strlen(t), &back) != 0 || memcmp(&back, &nets[i].addr, sizeof back) != 0)
			abort();
	}
	/* The client is always an address (the peer is one) and, when the peer
	 * is not trusted, the peer itself. */
	const char *peers[] = {"127.0.0.1", "10.0.0.1", "::1", "203.0.113.5"};
	for (size_t i = 0; i < sizeof peers / sizeof peers[0]; i++) {
		const char *c = netaddr_client(a, peers[i], xff, nets, n);
		struct netaddr got, peer;
		if (c == NULL || netaddr_parse(c, strlen(c), &got) != 0)
			abort();
		netaddr_parse(peers[i], strlen(peers[i]), &peer);
		if (!netaddr_in(&peer, nets, n) && memcmp(&got, &peer, sizeof got) != 0)
			abort();
	}
	free(nets);
	arena_reset(a);
	return 0;
}
