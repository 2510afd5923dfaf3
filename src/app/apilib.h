/* The JSON API's public reads of the library: sections, topics, resources (filtered and paged) and
 * hotlines. Published text only; every answer is JSON with CORS (app/api.h). */
#ifndef VRC_APILIB_H
#define VRC_APILIB_H
#include <jansson.h>
#include <stdint.h>

#include "http/request.h"
#include "http/response.h"
#include "model/resource.h"

/* Handlers (routes.c). Each returns the HTTP status it answered. */
int apilib_sections(struct request *req, struct response *resp);
int apilib_section(struct request *req, struct response *resp);
int apilib_topics(struct request *req, struct response *resp);
int apilib_topic(struct request *req, struct response *resp);
int apilib_resources(struct request *req, struct response *resp);
int apilib_resource(struct request *req, struct response *resp);
int apilib_hotlines(struct request *req, struct response *resp);
int apilib_hotline(struct request *req, struct response *resp);

/* NULL for a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ), else what to send instead (static):
 * the "since" filters (updated_since here, the HSDS API's modified_after). */
const char *apilib_check_since(const char *v);

/* A resource's editable text as the API shows it (title, summary, body, topic, type, stage, checked,
 * translation, url, video, poster, captions, sources, hotlines); NULL when a value is not valid UTF-8.
 * For the staff endpoints' drafts. */
json_t *apilib_text(const struct resource *r);

/* NULL when v is a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ), else what to send
 * instead (updated_since of the lists). */
const char *apilib_check_since(const char *v);
/* The paging parameters every list endpoint takes: limit (1-100, default 20), and offset or cursor
 * (not both). 0, or -1 after answering 400 naming the parameter. */
int apilib_paging(struct request *req, struct response *resp, size_t *limit, size_t *offset,
                  int64_t *after_id);
/* A whole number in [min, max] from a query value; -1 when it is not one. */
int64_t apilib_number(const char *v, int64_t min, int64_t max);

#endif
