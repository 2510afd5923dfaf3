/* The console's community pages: the list, the one-form "create in minutes", the overview (which
 * blocks lack which language, what is waiting to be published, editors, archive), block-by-block
 * editing in each language, publishing, and the site-wide alert banner. */
#ifndef VRC_COMMUNITYADMIN_H
#define VRC_COMMUNITYADMIN_H
#include "http/request.h"
#include "http/response.h"

/* Handlers (routes.c). Each checks the community with auth_can after the route's role check. */
int communityadmin_list(struct request *req, struct response *resp);
int communityadmin_new(struct request *req, struct response *resp);
int communityadmin_create(struct request *req, struct response *resp);
int communityadmin_show(struct request *req, struct response *resp);
int communityadmin_settings(struct request *req, struct response *resp);
int communityadmin_block(struct request *req, struct response *resp);
int communityadmin_block_save(struct request *req, struct response *resp);
int communityadmin_publish(struct request *req, struct response *resp);
int communityadmin_editors(struct request *req, struct response *resp);
int communityadmin_archive(struct request *req, struct response *resp);
int communityadmin_alert(struct request *req, struct response *resp);
int communityadmin_alert_save(struct request *req, struct response *resp);

#endif
