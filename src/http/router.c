/* router: segment-by-segment matching of REQUEST_URI paths against the route tables. */
#include "http/router.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "http/parse.h"

#define MAX_SEGMENTS 12
#define MAX_ROUTES   512

/* A route's pattern in segments, split once at router_init: every request
 * is matched against every pattern, and splitting them each time was a
 * twentieth of a worker's time. */
struct pattern {
	const char *seg[MAX_SEGMENTS];
	size_t len[MAX_SEGMENTS], n;
};

static const struct route *all[MAX_ROUTES];
static struct pattern patterns[MAX_ROUTES];
static size_t nall;

/* Split "/a/b/c" into raw segments; false when there are too many or the
 * path is not absolute. A trailing slash is ignored ("/a/" == "/a"). */
static bool split(const char *path, const char *seg[], size_t len[], size_t *n)
{
	*n = 0;
	if (path[0] != '/')
		return false;
	const char *p = path + 1;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (*n == MAX_SEGMENTS)
			return false;
		seg[*n] = p;
		len[*n] = l;
		(*n)++;
		if (end == NULL)
			break;
		p = end + 1;
		if (*p == '\0')
			break;
	}
	return true;
}

void router_init(const struct route *const *tables)
{
	nall = 0;
	for (size_t t = 0; tables[t] != NULL; t++)
		for (const struct route *rt = tables[t]; rt->method != NULL; rt++) {
			if (nall == MAX_ROUTES)
				abort(); /* raise MAX_ROUTES */
			struct pattern *p = &patterns[nall];
			if (!split(rt->pattern, p->seg, p->len, &p->n))
				abort(); /* a pattern that cannot match: a route table's bug */
			all[nall++] = rt;
		}
}

const struct route *const *router_all(size_t *n)
{
	*n = nall;
	return all;
}

size_t router_index(const struct route *route)
{
	for (size_t i = 0; i < nall; i++)
		if (all[i] == route)
			return i;
	return nall;
}

static bool is_id_param(const char *name, size_t n)
{
	return n >= 2 && name[n - 2] == 'i' && name[n - 1] == 'd';
}

static bool parse_id(const char *s, int64_t *out)
{
	if (*s == '\0' || *s == '0' || strlen(s) > 18)
		return false;
	int64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return true;
}

/* Match one pattern; on success fills the request's parameters. */
static bool match(struct kefu_req *r, const struct pattern *p, const char *seg[], const size_t len[], size_t n)
{
	if (p->n != n)
		return false;
	const char *const *pseg = p->seg;
	const size_t *plen = p->len;
	/* The fixed segments first: most patterns fail on one of them, and a
	 * parameter's segment is decoded (into the arena) only for a pattern
	 * that can still match. */
	for (size_t i = 0; i < n; i++)
		if (!(plen[i] > 2 && pseg[i][0] == '{') && (plen[i] != len[i] || memcmp(pseg[i], seg[i], len[i]) != 0))
			return false;
	size_t nparams = 0, nids = 0;
	const char *params[REQ_MAX_PARAMS];
	int64_t ids[REQ_MAX_PARAMS] = {0};
	for (size_t i = 0; i < n; i++) {
		if (plen[i] > 2 && pseg[i][0] == '{') {
			char *value;
			if (len[i] == 0 || nparams == REQ_MAX_PARAMS ||
			    url_decode(r->arena, seg[i], len[i], &value, NULL) != KEFU_OK)
				return false;
			if (is_id_param(pseg[i] + 1, plen[i] - 2)) {
				if (!parse_id(value, &ids[nids]))
					return false;
				nids++;
			}
			params[nparams++] = value;
		}
	}
	memcpy(r->params, params, nparams * sizeof *params);
	memcpy(r->ids, ids, sizeof ids);
	r->nparams = nparams;
	return true;
}

kefu_err router_match(struct kefu_req *r, const struct route **out, const char **allow)
{
	const char *seg[MAX_SEGMENTS];
	size_t len[MAX_SEGMENTS], n;
	*out = NULL;
	*allow = NULL;
	if (!split(r->path, seg, len, &n))
		return KEFU_E_NOT_FOUND;
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	char *methods = NULL;
	for (size_t i = 0; i < nall; i++) {
		if (!match(r, &patterns[i], seg, len, n))
			continue;
		if (strcmp(all[i]->method, method) == 0) {
			*out = all[i];
			return KEFU_OK;
		}
		methods = methods ? arena_printf(r->arena, "%s, %s", methods, all[i]->method)
		                  : arena_strdup(r->arena, all[i]->method);
	}
	if (methods == NULL)
		return KEFU_E_NOT_FOUND;
	*allow = arena_printf(r->arena, "%s, OPTIONS", methods);
	return KEFU_E_METHOD;
}
