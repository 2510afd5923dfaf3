/* The console's library pages: the resource list with filters, a new resource, the editor (fields of
 * the content format, Markdown body, live preview by the public page's own templates, the other
 * language beside it), saving drafts with conflict detection, review, publishing and scheduling,
 * archiving, revisions side by side and restore. */
#ifndef VRC_EDIT_H
#define VRC_EDIT_H

#include <jansson.h>
#include <stdbool.h>

#include "http/request.h"
#include "http/response.h"
#include "model/resource.h"

/* Handlers (routes.c). Each returns the HTTP status it answered. */
int edit_list(struct request *req, struct response *resp);
int edit_new_form(struct request *req, struct response *resp);
int edit_new_submit(struct request *req, struct response *resp);
int edit_form(struct request *req, struct response *resp);
int edit_submit(struct request *req, struct response *resp);
int edit_preview(struct request *req, struct response *resp);
int edit_revisions(struct request *req, struct response *resp);
int edit_compare(struct request *req, struct response *resp);
int edit_restore(struct request *req, struct response *resp);

/* The editor's rules, shared with the JSON API: read the fields (auth_field: the form, or the API's
 * JSON set out as one) over live's slug, language and status into r (strings in req's arena), with a
 * message per field name in errors, in the request's admin language. complete: the rules for review
 * and publishing (required fields, a source). */
void edit_check(struct request *req, const struct resource *live, struct resource *r, json_t *errors,
                bool complete);

#endif
