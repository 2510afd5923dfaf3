/* The signed-in account's own settings: changing the password (forced after a one-time password)
 * and enrolling the second factor (required for admins and reviewers, offered to everyone). */
#ifndef VRC_ACCOUNT_H
#define VRC_ACCOUNT_H
#include "http/request.h"
#include "http/response.h"

/* Handlers (routes.c): GET and POST /admin/password and /admin/totp. */
int account_password_form(struct request *req, struct response *resp);
int account_password_submit(struct request *req, struct response *resp);
int account_totp_form(struct request *req, struct response *resp);
int account_totp_submit(struct request *req, struct response *resp);

#endif
