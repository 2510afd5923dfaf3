/* One-line logs to stderr: "2026-11-25T10:00:00Z level message". Thread-safe (one write per line). */
#ifndef VRC_LOG_H
#define VRC_LOG_H
#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below this level are dropped (default LOG_INFO). */
void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write len bytes of p to fd whole, never interleaved with a log line or another log_write: the
 * access log's batches share standard error with the log lines. 0, or -1 with errno. */
int log_write(int fd, const void *p, size_t len);

#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
