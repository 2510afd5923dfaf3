/* The audit log in the console (admins): newest first, filtered by who, action, object type and
 * dates, 50 to a page, each entry with its state before and after. The dashboard shows recent entries
 * the same way. */
#ifndef VRC_AUDITLOG_H
#define VRC_AUDITLOG_H
#include <jansson.h>

#include "app/console.h"
#include "http/request.h"
#include "http/response.h"
#include "model/audit.h"

enum { AUDITLOG_PAGE = 50 };

/* The viewer's query string, as received (any may be NULL). */
struct auditlog_query {
	const char *email, *action, *type, *from, *to, *page;
};

/* Check q and turn it into f (strings in a; a page of AUDITLOG_PAGE); errors go to e by field name.
 * A page number that is not a number from 1 up is page 1. */
void auditlog_parse(struct arena *a, const struct auditlog_query *q, struct audit_filter *f,
                    struct console_errors *e);
/* One entry for a template: when, who, what, object, from where, and before/after made readable. */
json_t *auditlog_entry_json(struct request *req, const struct audit_entry *e);

/* Handler (routes.c). */
int auditlog_page(struct request *req, struct response *resp);

#endif
