/* The console's hotline pages: the list with what is due for re-verification, the form (both languages
 * side by side, contacts as rows), new lines, retiring and restoring. A save writes the line, marks it
 * console_edited (so `vrc init` keeps it), audits it and re-renders every public page before it
 * answers. */
#ifndef VRC_HOTLINES_H
#define VRC_HOTLINES_H
#include "app/console.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "model/hotline.h"

/* Contact rows a form can carry (FORM_MAX_FIELDS bounds the whole form). */
enum { HOTLINES_MAX_CONTACTS = 10 };

/* Read the hotline form f into h (strings in a): the slug too when is_new, else h keeps its slug,
 * position and state. Errors go to e by field name ("name_es", "contact_2", "contacts"...); today
 * (YYYY-MM-DD) bounds the verified date. Whatever was typed stays in h, errors or not. */
void hotlines_parse(struct arena *a, const struct form *f, bool is_new, const char *today,
                    struct hotline_all *h, struct console_errors *e);

/* Handlers (routes.c). */
int hotlines_list(struct request *req, struct response *resp);
int hotlines_new(struct request *req, struct response *resp);
int hotlines_create(struct request *req, struct response *resp);
int hotlines_edit(struct request *req, struct response *resp);
int hotlines_update(struct request *req, struct response *resp);
int hotlines_retire(struct request *req, struct response *resp);
int hotlines_restore(struct request *req, struct response *resp);

#endif
