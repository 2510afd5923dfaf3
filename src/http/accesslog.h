/* The access log: one line per request, buffered in memory and written in batches (when the buffer
 * fills, at least once a second, on reopen and at close), to standard error, to a file, or nowhere. */
#ifndef VRC_ACCESSLOG_H
#define VRC_ACCESSLOG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One finished request, as the server saw it. The strings are only read during accesslog_write. */
struct access_entry {
	const char *remote, *method, *path;
	int status;
	uint64_t bytes;
	uint64_t micros; /* time from request line to completion */
	bool aborted;
};

struct sockaddr;
/* The client's address as the log writes it ("192.0.2.7", "2001:db8::1", "-" when unknown) into out
 * (INET6_ADDRSTRLEN bytes suffice); IPv4 without stdio (every connection of a surge formats one). */
void accesslog_remote(const struct sockaddr *sa, char *out, size_t outlen);

/* Start logging to "off" (nowhere), NULL or "-" (standard error) or a file path (appended to,
 * created 0640). -1 with a message on standard error when the file cannot be opened. */
int accesslog_open(const char *target);
/* Append one line; thread-safe, no system call unless the buffer is full. No-op when off/closed. */
void accesslog_write(const struct access_entry *e);
/* Write out what is buffered, then open the file again by its path (after logrotate renamed it).
 * -1 (logged) when it cannot be opened: the old file is kept. */
int accesslog_reopen(void);
/* Write out what is buffered, stop the flusher, close the file. */
void accesslog_close(void);
/* Format one line as accesslog_write would (without the newline) into out; the length written.
 * For tests. */
size_t accesslog_format(const struct access_entry *e, long long unix_time, char *out, size_t outlen);

#endif
