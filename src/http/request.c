/* request: accessors over the parsed request, and req_fail. */
#include "http/request.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

kefu_err req_fail(struct kefu_req *r, kefu_err e, const char *field, const char *message)
{
	r->err_field = field;
	r->err_message = message;
	r->err_all = NULL;
	r->err_nall = 0;
	return e;
}

kefu_err req_fail_fault(struct kefu_req *r, kefu_err e, const struct fault *f)
{
	req_fail(r, e, f->field, f->message);
	r->err_all = f->all;
	r->err_nall = f->nall;
	return e;
}

const char *req_query(const struct kefu_req *r, const char *name)
{
	return kv_get(&r->query, name);
}

kefu_err req_query_int(struct kefu_req *r, const char *name, int64_t min, int64_t max, int64_t def, int64_t *out)
{
	const char *v = req_query(r, name);
	if (v == NULL || *v == '\0') {
		*out = def;
		return KEFU_OK;
	}
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return req_fail(r, KEFU_E_INVALID_FIELD, name, NULL);
	*out = n;
	return KEFU_OK;
}

const char *req_cookie(const struct kefu_req *r, const char *name)
{
	return kv_get(&r->cookies, name);
}

const char *req_form(const struct kefu_req *r, const char *name)
{
	const char *v = kv_get(&r->form, name);
	if (v != NULL)
		return v;
	const struct mp_part *p = mp_get(&r->parts, name);
	if (p == NULL || p->filename != NULL)
		return NULL;
	/* Multipart field values are raw bytes; hand out a C string copy. */
	return memchr(p->data, '\0', p->len) ? NULL : arena_strndup(r->arena, (const char *)p->data, p->len);
}

const char *req_user_agent(struct kefu_req *r)
{
	const char *ua = r->user_agent;
	if (ua == NULL)
		return NULL;
	size_t n = strlen(ua);
	if (n > 500)
		n = 500;
	while (n > 0 && !utf8_valid(ua, n))
		n--;
	return n ? arena_strndup(r->arena, ua, n) : NULL;
}

kefu_err req_url_encode(kefu_arena *a, const char *s, char **out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *o = arena_alloc(a, n * 3 + 1), *p = o;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~/", c))
			*p++ = (char)c;
		else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	*out = o;
	return KEFU_OK;
}
