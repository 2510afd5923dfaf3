/* The JSON API's staff endpoints, reached with a bearer token (app/api.h api_guard): who the token
 * acts as, a resource's working text, a new revision (a draft, or submitted for review) and
 * publishing. The console's rules, model functions, workflow and audit log, through JSON. */
#ifndef VRC_APIWRITE_H
#define VRC_APIWRITE_H

#include "http/request.h"
#include "http/response.h"

/* Handlers (routes.c). Each returns the HTTP status it answered. */
int apiwrite_me(struct request *req, struct response *resp);
int apiwrite_draft(struct request *req, struct response *resp);
int apiwrite_revision(struct request *req, struct response *resp);
int apiwrite_publish(struct request *req, struct response *resp);

#endif
