/* What a handler fills in. server.c turns it into bytes on the wire, adding security headers,
 * content coding, conditional (304) and Range handling (see http/negotiate.h). */
#ifndef VRC_RESPONSE_H
#define VRC_RESPONSE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"

struct header {
	const char *name;
	const char *value;
};

/* Bytes owned elsewhere (a cache entry, an embedded file) with an optional release hook. */
struct body_ref {
	const void *p;
	size_t len;
};

/* Wire forms of an immutable response (a cache entry's), one per representation (identity, gzip,
 * brotli): server.c makes one the first time it sends that representation and sends it again for
 * every later request that wants exactly those bytes and headers. The owner keeps the slots for as
 * long as its bytes live and frees them with server_prepared_free. */
struct prepared {
	/* The owner's own status, type, cache policy and ETag: a response a handler changed after
	 * taking the owner's bytes (a 404 page, another Cache-Control) is sent the ordinary way. */
	int status;
	const char *content_type, *cache_control, *etag;
	_Atomic int lock; /* guards slot (server.c) */
	void *slot[3];
	/* The fast path's memory file of the identity bytes, for sendfile: its descriptor + 1, 0 until
	 * made (server.c; closed by server_prepared_free). Zero in a new prepared. */
	_Atomic int body_fd;
};

struct response {
	int status;
	const char *content_type;
	const char *cache_control; /* default: "no-cache" for 2xx/3xx, "no-store" otherwise */
	const char *etag;          /* quoted, e.g. "\"abc\""; NULL: computed for 200 bodies */
	const char *location;      /* for redirects */
	struct buf body;           /* owned body (used when ref.p is NULL and fd < 0) */
	struct body_ref ref;       /* identity bytes owned elsewhere */
	struct body_ref gz, br;    /* optional precompressed variants of ref */
	void (*release)(void *);   /* called once when the bytes are no longer needed */
	void *release_arg;
	struct prepared *prepared; /* the owner's wire forms of these bytes (set with release), or NULL */
	int fd;                    /* a file to send (closed by the server), or -1 */
	uint64_t fd_len;
	bool ranges;   /* unused: every 200 to GET or HEAD honours Range (routes.c still sets it) */
	bool compress; /* may be compressed on the fly (text types) */
	struct header headers[8]; /* extra headers */
	size_t nheaders;
};

/* A response in its initial state: 200, no body. */
void response_init(struct response *resp);
/* Add a header (name and value must outlive the response: literals or arena strings). */
void response_header(struct response *resp, const char *name, const char *value);
/* Set status, text/html body and compress flag in one go (the body is copied). */
void response_html(struct response *resp, int status, const char *html, size_t len);
/* Plain-text body. */
void response_text(struct response *resp, int status, const char *text);
/* Drop whatever body was set and release references. */
void response_clear_body(struct response *resp);
/* True when the MIME type is worth compressing. */
bool mime_compressible(const char *type);
/* The MIME type for a file name by its extension (application/octet-stream when unknown). */
const char *mime_for(const char *name);

#endif
