/* The fast path's request-head parser: decides from the bytes received so far whether a request is
 * a plain GET or HEAD the fast path may answer itself, or must go to libmicrohttpd untouched. Pure:
 * no allocation, no I/O, never reads past len. */
#ifndef VRC_FASTHEAD_H
#define VRC_FASTHEAD_H
#include <stdbool.h>
#include <stddef.h>

#include "base/str.h"

enum fasthead_result {
	FASTHEAD_INCOMPLETE, /* no full head yet, and nothing so far rules the fast path out */
	FASTHEAD_HANDOFF,    /* anything else: let libmicrohttpd read and answer it as it always has */
	FASTHEAD_OK,         /* a complete head the fast path may answer: see struct fasthead */
};

/* What the fast path needs of one request head. Every str points into the parsed bytes. */
struct fasthead {
	size_t len;          /* bytes of the head, through the blank line */
	bool head;           /* HEAD, else GET */
	bool http10;         /* HTTP/1.0, else HTTP/1.1 */
	bool close;          /* the connection closes after the response (1.1 "close"; 1.0 without
	                      * "keep-alive") */
	struct str method;   /* "GET" or "HEAD" */
	struct str path;     /* the target: '/' and then only A-Z a-z 0-9 - . _ ~ / (no "..") */
	struct str accept;   /* Accept-Encoding's value (trimmed), or {NULL, 0} */
	struct str inm;      /* If-None-Match's value (trimmed), or {NULL, 0} */
	size_t header_bytes; /* name + value + 4 per header, as server.c counts them for 431 */
};

/* Parse the start of buf. max_url and max_headers are server.c's 414 and 431 limits (a request past
 * them is handed off, to be refused there). FASTHEAD_OK fills h. */
enum fasthead_result fasthead_parse(const char *buf, size_t len, size_t max_url, size_t max_headers,
                                    struct fasthead *h);

#endif
