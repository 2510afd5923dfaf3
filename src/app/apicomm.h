/* The JSON API's community pages: the public reads (active communities with a published page, and one
 * community with its PUBLISHED blocks, never drafts) and the JSON shape of a block and of an item,
 * which the staff writes (apicommwrite.c) answer with too. */
#ifndef VRC_APICOMM_H
#define VRC_APICOMM_H
#include <jansson.h>

#include "http/request.h"
#include "http/response.h"
#include "model/community.h"

/* Handlers (routes.c). Each returns the HTTP status it answered. */
int apicomm_list(struct request *req, struct response *resp);
int apicomm_get(struct request *req, struct response *resp);

/* One item of a block as the API shows it: id, created_at, updated_at, its neutral fields, and
 * "text": {lang: {text fields, and <field>_html for Markdown}} for the languages c offers. New
 * reference. */
json_t *apicomm_item_json(const struct block_kind *k, json_t *item, const struct community *c);
/* The community c with its published blocks ({"blocks": {kind: ...}}), changed_at its last change;
 * NULL when a value cannot be shown (logged). The caller holds publish_lock. */
json_t *apicomm_detail(struct request *req, const struct community *c);
/* {lang: absolute page address} for each language c offers. New reference. */
json_t *apicomm_urls(struct request *req, const struct community *c);

#endif
