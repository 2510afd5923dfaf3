/* The console's topic pages: the topics of each section in order, the form (title and summary in
 * English and Spanish side by side, position) and new topics. A save marks the topic console_edited
 * (so `vrc init` keeps it), audits it and re-renders every public page before it answers. */
#ifndef VRC_TOPICS_H
#define VRC_TOPICS_H
#include "app/console.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"
#include "model/topic.h"

/* A topic as its form holds it: the position as typed, so a wrong one is shown back as it was. */
struct topic_form {
	struct topic_all t;
	const char *position;
};

/* Read the topic form f into tf (strings in a): the slug and section too when is_new, else tf->t keeps
 * its slug and section. Errors go to e by field name; whatever was typed stays in tf. */
void topics_parse(struct arena *a, const struct form *f, bool is_new, struct topic_form *tf,
                  struct console_errors *e);

/* Handlers (routes.c). */
int topics_list(struct request *req, struct response *resp);
int topics_new(struct request *req, struct response *resp);
int topics_create(struct request *req, struct response *resp);
int topics_edit(struct request *req, struct response *resp);
int topics_update(struct request *req, struct response *resp);

#endif
