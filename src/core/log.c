/* log: timestamped lines to stderr, written whole (one write(2) per line or run of lines) so threads never interleave.
 */
#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static const char *const names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level lvl)
{
	min_level = lvl;
}

static void put(const char *s, size_t n)
{
	ssize_t w = write(STDERR_FILENO, s, n);
	(void)w;
}

/*
 * Deferred lines (log_defer): the debug and info lines of every thread, the
 * access log's among them, gathered here and written by the flusher thread
 * at most defer_ms after the first of them, or at once when the buffer
 * fills. A warning or error writes what is gathered first, then itself, so
 * the order of the lines stays as they were logged.
 */
#define DEFER_MAX 65536
static struct {
	pthread_mutex_t mu;
	pthread_cond_t wake;
	bool on;
	long ms;
	size_t len;
	char buf[DEFER_MAX];
} deferred = {.mu = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Writes the gathered lines; deferred.mu held. */
static void deferred_write(void)
{
	if (deferred.len > 0)
		put(deferred.buf, deferred.len);
	deferred.len = 0;
}

/* Adds whole lines to the gathered ones, or writes them at once when they
 * do not fit beside them. */
static void deferred_add(const char *s, size_t n)
{
	pthread_mutex_lock(&deferred.mu);
	if (deferred.len + n > sizeof deferred.buf)
		deferred_write();
	if (n > sizeof deferred.buf)
		put(s, n);
	else {
		if (deferred.len == 0)
			pthread_cond_signal(&deferred.wake);
		memcpy(deferred.buf + deferred.len, s, n);
		deferred.len += n;
	}
	pthread_mutex_unlock(&deferred.mu);
}

static void *flusher(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&deferred.mu);
	for (;;) {
		while (deferred.len == 0)
			pthread_cond_wait(&deferred.wake, &deferred.mu);
		pthread_mutex_unlock(&deferred.mu);
		nanosleep(&(struct timespec){.tv_sec = deferred.ms / 1000, .tv_nsec = deferred.ms % 1000 * 1000000},
		          NULL);
		pthread_mutex_lock(&deferred.mu);
		deferred_write();
	}
	return NULL;
}

void log_flush(void)
{
	pthread_mutex_lock(&deferred.mu);
	deferred_write();
	pthread_mutex_unlock(&deferred.mu);
}

void log_defer(long ms)
{
	if (deferred.on || ms <= 0)
		return;
	deferred.ms = ms;
	/* Before the flag: a line deferred from here on is written by it. */
	pthread_t t;
	if (pthread_create(&t, NULL, flusher, NULL) != 0)
		return; /* lines are written as they come, as before */
	pthread_detach(t);
	deferred.on = true;
	atexit(log_flush);
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

#define LINE_MAX_LEN 2048

/* Appends s to the line being built in line[*n], as far as it fits (one byte
 * kept for the newline). */
static void line_put(char *line, size_t *n, const char *s, size_t len)
{
	size_t room = LINE_MAX_LEN - 2 - *n;
	if (len > room)
		len = room;
	memcpy(line + *n, s, len);
	*n += len;
}

/* "2026-11-24T08:00:00Z info area: " into line: its length. */
static size_t line_head(char *line, enum log_level lvl, const char *area)
{
	size_t n = stamp(line);
	line_put(line, &n, names[lvl], strlen(names[lvl]));
	line_put(line, &n, " ", 1);
	line_put(line, &n, area, strlen(area));
	line_put(line, &n, ": ", 2);
	return n;
}

/* Ends the line and writes it or gathers it. */
static void emit(enum log_level lvl, char *line, size_t n)
{
	line[n++] = '\n';
	if (deferred.on && lvl <= LOG_INFO) {
		deferred_add(line, n);
		return;
	}
	if (deferred.on) {
		/* after what was gathered before it, and at once */
		pthread_mutex_lock(&deferred.mu);
		deferred_write();
		put(line, n);
		pthread_mutex_unlock(&deferred.mu);
		return;
	}
	put(line, n);
}

void log_msg(enum log_level lvl, const char *area, const char *fmt, ...)
{
	if (lvl < min_level)
		return;
	char line[LINE_MAX_LEN];
	size_t n = line_head(line, lvl, area);
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	if (k > 0)
		n += (size_t)k < sizeof line - n ? (size_t)k : sizeof line - n - 1;
	if (n >= sizeof line - 1)
		n = sizeof line - 2;
	emit(lvl, line, n);
}

void log_text(enum log_level lvl, const char *area, const char *text, size_t len)
{
	if (lvl < min_level)
		return;
	char line[LINE_MAX_LEN];
	size_t n = line_head(line, lvl, area);
	line_put(line, &n, text, len);
	emit(lvl, line, n);
}
