/* Signing in and out: email and password, then the second factor when the account has one. */
#ifndef VRC_SIGNIN_H
#define VRC_SIGNIN_H
#include <jansson.h>
#include <stdint.h>

#include "http/request.h"
#include "http/response.h"

/* Handlers (routes.c): GET and POST /admin/login, /admin/login/code; POST /admin/logout. */
int signin_form(struct request *req, struct response *resp);
int signin_submit(struct request *req, struct response *resp);
int signin_code_form(struct request *req, struct response *resp);
int signin_code_submit(struct request *req, struct response *resp);
int signin_logout(struct request *req, struct response *resp);

/* Seconds the account (by normalised email) or the request's address must wait (0: none). */
int64_t signin_wait(struct request *req, const char *email);
/* Count a failed attempt (password or code) for email and the request's address; returns the
 * seconds now locked (0: not locked). */
int64_t signin_failed(struct request *req, const char *email);
/* Fill resp with a 429 saying when to try again (Retry-After and, in the page's language, the
 * minutes), on the page `name` with data (consumed). Returns 429. */
int signin_throttled(struct request *req, struct response *resp, int64_t wait, const char *name,
                     json_t *data);

#endif
