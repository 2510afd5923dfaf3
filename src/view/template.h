/* A small mustache-style template engine that escapes every value for where it stands. */
#ifndef VRC_TEMPLATE_H
#define VRC_TEMPLATE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct tmpl_set;

/* An empty set of templates. */
struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);
/* Compile src as template `name` (e.g. "resource", "partials/crisis"). On error returns -1 and writes
 * "name:line: reason" into err. src need not outlive the call. */
int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len, char *err, size_t errlen);
/* Check that every partial referenced exists; -1 with "name:line: unknown partial 'x'" in err. */
int tmpl_link(struct tmpl_set *set, char *err, size_t errlen);
/* True when the set has a template of that name. */
bool tmpl_has(const struct tmpl_set *set, const char *name);
/* Render `name` with data appended to out. -1 when there is no such template. Thread-safe: a compiled
 * set is read-only. */
int tmpl_render(const struct tmpl_set *set, const char *name, json_t *data, struct buf *out);
/* A value holding trusted HTML (rendered Markdown, another rendered template): printed as-is in text
 * context. Returns a new reference. Plain strings are always escaped. */
json_t *tmpl_safe_html(const char *html, size_t len);
/* A value holding JSON for a <script> element (JSON-LD): value serialised, with "<", ">", "&", U+2028
 * and U+2029 escaped so the text cannot end the element. The only value a template prints inside
 * <script>. Returns a new reference, or NULL when value is NULL or cannot be serialised. value is
 * not consumed. */
json_t *tmpl_safe_json(json_t *value);
/* True when url (len bytes) is relative or its scheme is http, https, mailto or tel: the rule for URL
 * values at the start of a URL attribute, and for links and images in Markdown. */
bool tmpl_url_safe(const char *url, size_t len);

#endif
