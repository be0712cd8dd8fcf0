/* text: the small string helpers every layer needs (see text.h). */
#include "core/text.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *xstrdup(const char *s)
{
	if (s == NULL)
		return NULL;
	char *p = strdup(s);
	if (p == NULL)
		abort();
	return p;
}

size_t text_sizes(const char *const *s, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += s[i] != NULL ? strlen(s[i]) + 1 : 0;
	return len;
}

const char *text_copy_into(char **at, const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = memcpy(*at, s, n);
	*at += n;
	return p;
}

void *xgrow(void *p, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : first;
	p = realloc(p, *cap * size);
	if (p == NULL)
		abort();
	return p;
}

void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int text_dir_each(const char *dir, const char *ext, int (*fn)(const char *name, const char *path, void *ctx), void *ctx,
                  char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		set_err(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	size_t n = 0, cap = 0, el = strlen(ext);
	char **names = NULL;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= el || strcmp(de->d_name + len - el, ext) != 0)
			continue;
		names = xgrow(names, &cap, n, sizeof *names, 16);
		names[n] = strndup(de->d_name, len - el);
		if (names[n++] == NULL)
			abort();
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, name_cmp);
	int rc = 0;
	for (size_t k = 0; k < n; k++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s%s", dir, names[k], ext);
		if (rc == 0)
			rc = fn(names[k], path, ctx);
		free(names[k]);
	}
	free(names);
	return rc;
}

bool text_is_color(const char *s)
{
	if (strlen(s) != 7 || s[0] != '#')
		return false;
	for (int i = 1; i < 7; i++)
		if (hex_digit((unsigned char)s[i]) < 0)
			return false;
	return true;
}
