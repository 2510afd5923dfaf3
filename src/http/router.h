/* Route tables: a row per route; patterns with :name parameters and a trailing * wildcard. */
#ifndef VRC_ROUTER_H
#define VRC_ROUTER_H
#include <stddef.h>

#include "http/request.h"
#include "http/response.h"

/* A handler fills resp and returns the HTTP status it set. */
typedef int (*route_fn)(struct request *req, struct response *resp);

struct route {
	unsigned methods;    /* HTTP_* bitmask; HTTP_GET implies HEAD */
	const char *pattern; /* "/resources/:slug"; a final "*" segment takes the rest */
	route_fn fn;
	unsigned flags; /* for the application (who may call it) */
};

enum router_result { ROUTE_FOUND, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

/* Find the first route matching req->path and req->method; fills req->params on a match.
 * ROUTE_BAD_METHOD when some route matches the path but none the method. *out is the route found. */
enum router_result router_match(const struct route *table, size_t n, struct request *req,
                                const struct route **out);
/* True when path matches pattern; captures are stored in req (if non-NULL). */
int router_match_one(const char *pattern, const char *path, struct request *req);

#endif
