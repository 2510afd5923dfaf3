/* What the console's library pages share: edit.c (the editor, saving), editrevisions.c (revisions,
 * comparing, restoring, conflicts) and editlist.c (the list and a new resource). Not for other
 * modules: they go through app/edit.h. */
#ifndef VRC_EDIT_INT_H
#define VRC_EDIT_INT_H
#include <jansson.h>
#include <stdbool.h>

#include "app/auth.h"
#include "http/request.h"
#include "http/response.h"
#include "model/resource.h"
#include "model/revision.h"

/* The resource types and stages a form may name (NULL-ended). */
extern const char *const edit_types[];
extern const char *const edit_stages[];
/* The console language of the request. */
const char *edit_lang(struct request *req);
/* The console text for key in that language. */
const char *edit_tx(struct request *req, const char *key);
/* A JSON string; text that is not UTF-8 shows as U+FFFD. */
json_t *edit_js(const char *s);
/* v is one of the NULL-ended list. */
bool edit_one_of(const char *v, const char *const *list);
/* The signed-in account may act on resources. */
bool edit_can(struct request *req, enum auth_action act);
/* A resource's editor page. */
const char *edit_url(struct request *req, const char *slug);
/* A form field, trimmed; NULL when absent or blank. */
const char *edit_field(struct request *req, const char *name);
/* The text of key as the field's error, unless it has one already. */
void edit_field_error(struct request *req, json_t *errors, const char *name, const char *key);
/* A form field as the templates show it: label, hint, value, its error and aria-describedby. */
json_t *edit_field_json(struct request *req, const char *id, const char *name, const char *label,
                        const char *hint, const char *value, json_t *errors, bool readonly);
/* A select with its options and error. */
json_t *edit_select_json(struct request *req, const char *name, const char *label, const char *value,
                         json_t *options, json_t *errors, bool readonly);
/* The options of a NULL-ended list, each labelled by the text of prefix + value. */
json_t *edit_choices_json(struct request *req, const char *const *list, const char *prefix);
/* Every topic as a select option labelled "Section: Topic", section by section. */
json_t *edit_topics_json(struct request *req);
/* A resource status in the console's words. */
const char *edit_status_label(struct request *req, const char *status);
/* A topic's section, or NULL when the topic is unknown. */
const char *edit_topic_section(struct request *req, const char *topic);
/* An audit line for a resource change, with both versions (before or after may be NULL). */
void edit_audit_resource(struct request *req, const char *action, const char *slug,
                         const struct resource *before, const struct resource *after);
/* The resource the request's slug names (its live row), or NULL. */
struct resource *edit_live(struct request *req);
/* The content format's i-th text field, in the editor's order: its label's console text key, with its
 * value in r in *value; NULL past the last. */
const char *edit_text_field(size_t i, const struct resource *r, const char **value);
/* A save over a newer version (open: the open draft, or NULL and the live text is newer): mine is kept
 * as a revision in state conflict, and a 409 page compares the two. */
int edit_conflict(struct request *req, struct response *resp, const struct resource *live,
                  struct revision *open, const struct resource *mine);
/* A redirect to the resource's editor page saying what was done (?done=). */
int edit_redirect_done(struct request *req, struct response *resp, const char *slug, const char *done);

#endif
