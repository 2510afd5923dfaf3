/* Uploads in the staff console: the list and upload form (/admin/uploads), storing files by content
 * hash outside the template path, and serving them publicly at /media/u/<sha256>.<ext>. */
#ifndef VRC_APP_UPLOAD_H
#define VRC_APP_UPLOAD_H
#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "http/request.h"
#include "http/response.h"

/* Room in an upload's request body for the form around the file (boundaries, headers, fields). */
enum { UPLOAD_FORM_SLACK = 64 * 1024 };

struct upload_config {
	struct db *db;
	const char *dir; /* the uploads folder (created if missing): var/uploads by default */
	size_t max;      /* the largest file accepted, in bytes: the video cap; smaller caps by kind */
};

/* Remember cfg and create the folder. 0, or -1 (logged). */
int upload_init(const struct upload_config *cfg);
/* The request body limit for req, from its head alone: max + UPLOAD_FORM_SLACK for a POST to the
 * upload form by a signed-in account that may upload, 0 (the server's default) for anything else. */
size_t upload_body_limit(struct request *req);
/* When req is an upload the server refused as too large (413), fill resp with the console's page
 * saying the caps and return true; else false. */
bool upload_too_large(struct request *req, struct response *resp);

/* Handlers (routes.c): the list and form, the upload, the public file. */
int upload_page(struct request *req, struct response *resp);
int upload_submit(struct request *req, struct response *resp);
int upload_serve(struct request *req, struct response *resp);

#endif
