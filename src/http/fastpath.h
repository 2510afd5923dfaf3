/* The fast path: our own listening socket and epoll loops answering plain GET and HEAD requests for
 * cached public pages with the very bytes libmicrohttpd would send; every other request is handed to
 * libmicrohttpd (server.c) on its connection with nothing of it read. Used by server.c only. */
#ifndef VRC_FASTPATH_H
#define VRC_FASTPATH_H
#include <stdbool.h>
#include <sys/socket.h>

#include "http/server.h"

struct fastpath_config {
	int fd;                          /* the listening socket, non-blocking; closed by fastpath_stop */
	unsigned threads;                /* event loops, one thread each */
	unsigned idle_s;                 /* an idle keep-alive connection is closed after this */
	unsigned head_s;                 /* a request head must be complete this long after its first byte */
	const struct server_config *cfg; /* lookup, served, done, always, max_url, max_headers, ctx */
	/* A new connection: 0 serve it, 1 hand it off at once (opened past the soft limit: its request
	 * gets the 503 page), -1 close it now (past the hard limit or its address's limit). */
	int (*admit)(void *ctx, const struct sockaddr *sa);
	/* A connection admitted with 0 that the fast path closed itself. */
	void (*gone)(void *ctx, const struct sockaddr *sa);
	/* Give fd to libmicrohttpd, which owns it from now on; over as admit said. */
	void (*handoff)(void *ctx, int fd, const struct sockaddr *sa, socklen_t salen, bool over);
	void *ctx;
};

struct fastpath;

/* A listening socket on ss (SO_REUSEADDR; IPv6 only for an IPv6 address), non-blocking, accepting a
 * connection once its first bytes arrive or defer_s has passed (0: at once), and the port it got in
 * *port; -1 (errno set) on failure. Pass the same defer_s as head_s. */
int fastpath_listen(const struct sockaddr_storage *ss, unsigned defer_s, unsigned *port);

/* Start the loops; NULL (logged) when a thread cannot be started. */
struct fastpath *fastpath_start(const struct fastpath_config *fc);
/* Stop accepting, close the connections it holds (not those handed off), join, free. */
void fastpath_stop(struct fastpath *f);
/* Close pr's memory file of its identity bytes, if one was made (no response uses it any more). At
 * most 512 are open at once; past that, bodies are sent from memory. */
void fastpath_body_file_free(struct prepared *pr);

#endif
