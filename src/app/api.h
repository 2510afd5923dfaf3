/* The JSON API's shared parts: JSON answers and errors, CORS for public reads, the bearer-token guard
 * for staff writes, the index and the OpenAPI document. The endpoints are rows in routes.c; they live
 * in apilib.c (reading the library) and apiwrite.c (what staff tokens may change). */
#ifndef VRC_API_H
#define VRC_API_H
#include <jansson.h>
#include <stdbool.h>

#include "db/db.h"
#include "http/request.h"
#include "http/response.h"

/* Route flag (struct route.flags): the row needs a bearer token whose account has one of the row's
 * AUTH_* roles (app/auth.h); api_guard checks it before the handler, which asks auth_can about the
 * object. A new token endpoint (a community's update, an event) is a row with this flag. */
enum { API_TOKEN = 1u << 12 };

/* Largest request body a write endpoint reads (routes: the server's default limit applies). */
enum { API_MAX_BODY = 1 << 20 };

/* Check the embedded OpenAPI document and remember db. 0, or -1 (logged): do not start. */
int api_init(struct db *db);
struct db *api_db(void);

/* Answer status with the JSON value v (consumed). GET answers are public: CORS for any origin (no
 * credentials) and a short public cache lifetime; token answers are never stored. Returns status. */
int api_json(struct request *req, struct response *resp, int status, json_t *v);
/* The headers of a public read: any origin may read it, without credentials; ETag is exposed for
 * revalidation. api_json adds them to GET answers without a token. */
void api_cors(struct response *resp);
/* An error answer: {"error": {"status", "message", "field"?}}; field names the parameter or body
 * field at fault (NULL: none). Returns status. */
int api_error(struct request *req, struct response *resp, int status, const char *field, const char *message);
/* A validation error: 422 with every field's message ({"field", "message"} pairs, in order) in
 * "fields" and the first one as "field". fields is consumed. Returns 422. */
int api_invalid(struct request *req, struct response *resp, json_t *fields);

/* Run before an API_TOKEN row's handler with the row's flags: reads "Authorization: Bearer <token>",
 * finds the live token and its enabled account, checks the role, and fills auth_of(req) (user and
 * language). 0 when the handler may run; otherwise resp holds the JSON error (401 or 403) and the
 * status is returned. The token is never logged. */
int api_guard(struct request *req, struct response *resp, unsigned flags);
/* The body of a write as a JSON object (owned by the caller), or NULL after answering 400 (a body
 * that is not a JSON object) or 415 (not sent as application/json). */
json_t *api_body(struct request *req, struct response *resp);

/* Handlers (routes.c). */
int api_index(struct request *req, struct response *resp);
int api_openapi(struct request *req, struct response *resp);
/* OPTIONS on /api/: a CORS preflight for the public reads (GET, HEAD; If-None-Match). */
int api_preflight(struct request *req, struct response *resp);
/* A path under /api/ that is no endpoint (404). */
int api_not_found(struct request *req, struct response *resp);
/* An endpoint asked with a method it does not take: 405 with Allow (allow: "GET, HEAD"...). */
int api_bad_method(struct request *req, struct response *resp, const char *allow);

/* The public site's absolute address for path ("/resources/x"), in req's arena. */
const char *api_site_url(struct request *req, const char *path);
/* "es" when the request prefers Spanish (Accept-Language), else "en": for validation messages. */
const char *api_lang(const struct request *req);

#endif
