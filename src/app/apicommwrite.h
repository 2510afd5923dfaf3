/* The JSON API's staff writes to community pages, with a bearer token (app/api.h api_guard): create a
 * community from the starter template, post a dated update or an event (a draft, or published at once
 * with "publish": true), and publish a community's drafts. The console's rules (model/block.c field
 * tables, app/starter.c), scope (auth_can), revisions, audit log and page refresh. */
#ifndef VRC_APICOMMWRITE_H
#define VRC_APICOMMWRITE_H

#include "http/request.h"
#include "http/response.h"

/* Handlers (routes.c). Each returns the HTTP status it answered. */
int apicomm_create(struct request *req, struct response *resp);
int apicomm_update(struct request *req, struct response *resp);
int apicomm_event(struct request *req, struct response *resp);
int apicomm_publish(struct request *req, struct response *resp);

#endif
