/* THE route table of the application and the dispatcher the HTTP server calls. */
#ifndef VRC_ROUTES_H
#define VRC_ROUTES_H
#include "http/request.h"
#include "http/response.h"

/* The server's handler: cache first, then the route table. ctx is unused. */
void routes_handle(struct request *req, struct response *resp, void *ctx);
/* The server's fast-path lookup: the page cache's entry for a GET or HEAD of req->path into resp
 * (1), or 0. Counts nothing: routes_served counts a hit the fast path answered, and a request it
 * hands on is counted by routes_handle. */
int routes_lookup(struct request *req, struct response *resp, void *ctx);
void routes_served(const struct request *req, void *ctx);
/* The server's error-page hook (400, 413, 414, 431) and the 404/405 pages. */
void routes_error(struct request *req, struct response *resp, int status, void *ctx);
/* The public error page for status (404, ...) in lang, from the cache when it is there. */
void routes_error_page(struct response *resp, int status, const char *lang);
/* The server's body-limit hook: the upload form's larger limit (app/upload.h), else 0 (the default). */
size_t routes_body_limit(struct request *req, void *ctx);
/* The folder /media/ files are served from (default content/media). */
void routes_set_media(const char *dir);
/* Headers sent with every response (CSP and friends). */
extern const struct header routes_security_headers[];
extern const size_t routes_nsecurity_headers;

#endif
