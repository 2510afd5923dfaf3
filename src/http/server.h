/* The HTTP server: the only module that knows libmicrohttpd. */
#ifndef VRC_SERVER_H
#define VRC_SERVER_H
#include <stddef.h>
#include <stdint.h>

#include "http/request.h"
#include "http/response.h"

struct server_config {
	const char *listen;       /* "HOST:PORT", "[::1]:PORT"; port 0 picks a free one */
	unsigned threads;         /* 0: one per core */
	unsigned max_connections; /* 0: a default that fits the fd limit */
	unsigned per_ip_limit;    /* connections per client address; 0: no limit */
	unsigned timeout_s;       /* idle connection timeout */
	size_t max_body;          /* request body limit in bytes (413 past it), unless body_limit says */
	size_t max_url;           /* request target as sent, query included (414 past it; never cut) */
	size_t max_headers;       /* total header bytes (431 past it) */
	/* Produce the response for a well-formed request. */
	void (*handle)(struct request *req, struct response *resp, void *ctx);
	/* The body limit of one request, decided from its head (method, path, headers) before any of the
	 * body is read; 0: max_body. NULL: max_body for every request. */
	size_t (*body_limit)(struct request *req, void *ctx);
	/* Produce an error page (400, 413, 414, 431) for a request the server refused. */
	void (*error)(struct request *req, struct response *resp, int status, void *ctx);
	/* Called once per answered request, after it is sent (for metrics): status, body bytes and
	 * microseconds since the request line. NULL: none. */
	void (*done)(const struct request *req, int status, uint64_t bytes, uint64_t us, void *ctx);
	/* The fast path (http/fastpath.h), on unless fast_off or lookup is NULL: fill resp from the page
	 * cache for a GET or HEAD of req->path and return 1, or return 0 (nothing counted either way).
	 * req has method, path, remote and accept; no arena and no headers (request_header is NULL). */
	int (*lookup)(struct request *req, struct response *resp, void *ctx);
	/* A lookup's hit the fast path answered itself (for metrics). NULL: none. */
	void (*served)(const struct request *req, void *ctx);
	bool fast_off;
	void *ctx;
	/* Extra header sent on every response (e.g. the CSP); NULL-terminated pairs. */
	const struct header *always;
	size_t nalways;
};

struct server;

/* Start listening and serving on background threads; NULL (logged) on failure. */
struct server *server_start(const struct server_config *cfg);
/* The port actually bound. */
unsigned server_port(const struct server *s);
/* Stop accepting, finish, free. */
void server_stop(struct server *s);
/* Free the wire forms in p (its owner's bytes are going away; no request holds them any more). */
void server_prepared_free(struct prepared *p);

#endif
