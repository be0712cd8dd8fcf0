/* log: one-line records to stderr, safe from any thread. */
#ifndef KEFU_LOG_H
#define KEFU_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lvl);
/* "2026-11-24T08:00:00Z warn store: message\n"; never logs secrets. */
void log_msg(enum log_level lvl, const char *area, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* As log_msg, with the message already made (len bytes of text, no
 * newline): the access log's line, one per request, is put together without
 * printf's parsing of a format. */
void log_text(enum log_level lvl, const char *area, const char *text, size_t len);

/* From now on this process's debug and info lines (the access log's) are
 * gathered and written together by a thread of their own, at most ms
 * milliseconds after the first of them was logged (and whenever 64 KiB have
 * gathered), rather than in a write(2) each; a warning or error writes them,
 * then itself, at once. Call before starting threads. A process killed
 * outright loses at most the last ms of those lines; one that exits writes
 * them (atexit). */
void log_defer(long ms);
/* Write the gathered lines now. */
void log_flush(void);

#define log_debug(area, ...) log_msg(LOG_DEBUG, area, __VA_ARGS__)
#define log_info(area, ...)  log_msg(LOG_INFO, area, __VA_ARGS__)
#define log_warn(area, ...)  log_msg(LOG_WARN, area, __VA_ARGS__)
#define log_error(area, ...) log_msg(LOG_ERROR, area, __VA_ARGS__)

#endif
