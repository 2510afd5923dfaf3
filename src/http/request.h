/* What a handler sees of an HTTP request. Everything here lives in req->arena, freed after the response. */
#ifndef VRC_REQUEST_H
#define VRC_REQUEST_H
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/str.h"

enum http_method {
	HTTP_GET = 1,
	HTTP_HEAD = 2,
	HTTP_POST = 4,
	HTTP_PUT = 8,
	HTTP_DELETE = 16,
	HTTP_OTHER = 32
};

/* Content codings the client accepts. */
enum { ENC_GZIP = 1, ENC_BR = 2 };

struct param {
	const char *name;
	const char *value;
};

struct request {
	struct arena *arena;
	enum http_method method;
	const char *method_name;
	const char *path;   /* percent-decoded, valid UTF-8, starts with '/' */
	const char *remote; /* client address, for logs and rate limits */
	const char *body;   /* request body (NUL-terminated), or NULL */
	size_t body_len;
	unsigned accept;        /* ENC_* bitmask from Accept-Encoding */
	struct param params[8]; /* route parameters, filled by the router */
	size_t nparams;
	void *conn; /* the server's connection handle: for server.c only */
	void *app;  /* the application's per-request state (app/auth.c: the signed-in session) */
};

/* A request header's value, or NULL (server.c). */
const char *request_header(const struct request *req, const char *name);
/* A query-string argument's value, or NULL (server.c). */
const char *request_query(const struct request *req, const char *name);
/* A route parameter's value, or NULL. */
const char *request_param(const struct request *req, const char *name);
/* Parse an Accept-Encoding value into ENC_* bits (q=0 excludes a coding). */
unsigned request_parse_accept(const char *value);

#endif
