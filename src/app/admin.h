/* The staff console's pages: the admin templates (templates/admin/), the layout data every admin
 * page has, error pages, the dashboard and the accounts list. */
#ifndef VRC_ADMIN_H
#define VRC_ADMIN_H
#include <jansson.h>

#include "http/request.h"
#include "http/response.h"

/* Compile the templates in templates/admin/. 0 or -1 (logged). Needs the UI catalogues (i18n_init). */
int admin_init(void);
void admin_free(void);
/* The admin string key in lang ("admin" object of i18n/<lang>.json); the key itself when missing. */
const char *admin_text(const char *lang, const char *key);
/* Render templates/admin/<name>.html inside the admin layout with data (consumed; it must hold
 * "title") into resp with status. Adds the layout data (language, account, CSRF token, URLs).
 * Returns status. */
int admin_render(struct request *req, struct response *resp, int status, const char *name, json_t *data);
/* An admin error page saying admin_text(key). Returns status. */
int admin_error(struct request *req, struct response *resp, int status, const char *key);
/* The admin URL of path in the request's language ("/admin/x" or "/admin/x?lang=es"), in the arena. */
const char *admin_url(struct request *req, const char *path);

/* Handlers (routes.c). */
int admin_dashboard(struct request *req, struct response *resp);
int admin_users(struct request *req, struct response *resp);
int admin_user_role(struct request *req, struct response *resp);
int admin_not_found(struct request *req, struct response *resp);

#endif
