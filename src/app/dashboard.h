/* What the console's dashboard shows besides the account: what is in review, what is due for review
 * (resources past the review interval or never clinically reviewed, hotlines past their check
 * interval) and recent changes (everyone's for admins, one's own for the rest). */
#ifndef VRC_DASHBOARD_H
#define VRC_DASHBOARD_H
#include <jansson.h>

#include "http/request.h"

enum { DASHBOARD_RECENT = 20 };

/* Add the dashboard's lists to d, as far as the request's account may see them. */
void dashboard_data(struct request *req, json_t *d);

#endif
