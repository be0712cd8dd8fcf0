/* log: timestamped lines to stderr; one write(2) per line (or per held run of lines) so threads never interleave. */
#include "core/log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static const char *const names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level lvl)
{
	min_level = lvl;
}

/* This thread's held lines (log_hold), written whole by log_release. */
#define HELD_MAX 8192
static _Thread_local struct {
	bool on;
	size_t len;
	char buf[HELD_MAX];
} held;

static void put(const char *s, size_t n)
{
	ssize_t w = write(STDERR_FILENO, s, n);
	(void)w;
}

/* The line's time, "2026-11-24T08:00:00Z ", into line; 21 bytes. gmtime_r
 * and strftime run once a second per thread, not for every line: an access
 * line is written for every request. */
static size_t stamp(char *line)
{
	static _Thread_local time_t at = (time_t)-1;
	static _Thread_local char text[32];
	static _Thread_local size_t len;
	time_t now = time(NULL);
	if (now != at) {
		struct tm tm;
		gmtime_r(&now, &tm);
		len = strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ ", &tm);
		at = now;
	}
	memcpy(line, text, len);
	return len;
}

void log_hold(void)
{
	held.on = true;
}

void log_release(void)
{
	if (held.len > 0)
		put(held.buf, held.len);
	held.len = 0;
	held.on = false;
}

void log_msg(enum log_level lvl, const char *area, const char *fmt, ...)
{
	if (lvl < min_level)
		return;
	char line[2048];
	size_t n = stamp(line);
	int k = snprintf(line + n, sizeof line - n, "%s %s: ", names[lvl], area);
	if (k > 0)
		n += (size_t)k < sizeof line - n ? (size_t)k : sizeof line - n - 1;
	va_list ap;
	va_start(ap, fmt);
	k = vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	if (k > 0)
		n += (size_t)k < sizeof line - n ? (size_t)k : sizeof line - n - 1;
	if (n >= sizeof line - 1)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (!held.on) {
		put(line, n);
		return;
	}
	if (held.len + n > sizeof held.buf) {
		put(held.buf, held.len);
		held.len = 0;
	}
	memcpy(held.buf + held.len, line, n);
	held.len += n;
}
