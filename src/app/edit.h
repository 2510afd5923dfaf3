/* The console's library pages: the resource list with filters, a new resource, the editor (fields of
 * the content format, Markdown body, live preview by the public page's own templates, the other
 * language beside it), saving drafts with conflict detection, review, publishing and scheduling,
 * archiving, revisions side by side and restore. */
#ifndef VRC_EDIT_H
#define VRC_EDIT_H

#include "http/request.h"
#include "http/response.h"

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

#endif
