/* The community pages' local services as an Open Referral HSDS 3.0 API under /hsds/: the root, services,
 * organizations and service_at_locations (the official API's paths and Page shape), built from the
 * published services blocks of the active communities (model/hsds.h). JSON, CORS and errors as the
 * JSON API's public reads (app/api.h). */
#ifndef VRC_HSDSAPI_H
#define VRC_HSDSAPI_H

#include "http/request.h"
#include "http/response.h"

/* Check the embedded OpenAPI document (templates/hsds/openapi.json). 0, or -1 (logged): do not start. */
int hsdsapi_init(void);

/* Handlers (routes.c). Each returns the HTTP status it answered. */
int hsdsapi_root(struct request *req, struct response *resp);
int hsdsapi_openapi(struct request *req, struct response *resp);
int hsdsapi_services(struct request *req, struct response *resp);
int hsdsapi_service(struct request *req, struct response *resp);
int hsdsapi_organizations(struct request *req, struct response *resp);
int hsdsapi_organization(struct request *req, struct response *resp);
int hsdsapi_service_at_locations(struct request *req, struct response *resp);
int hsdsapi_service_at_location(struct request *req, struct response *resp);
/* A path under /hsds/ that is no endpoint (404, JSON). */
int hsdsapi_not_found(struct request *req, struct response *resp);

#endif
