/* The content file format (content/README.md): a `---` header of `key: value` lines and a list of
 * sources, then a Markdown body. Parsing only; the loader checks cross-file rules. */
#ifndef VRC_FRONTMATTER_H
#define VRC_FRONTMATTER_H
#include <stddef.h>

#include "base/arena.h"
#include "model/resource.h"

/* Parse a resource file's text into r (strings owned by arena). slug, lang and section are not set.
 * On error returns -1 and writes "line N: reason" into err. */
int frontmatter_parse(struct arena *a, const char *text, size_t len, struct resource *r, char *err,
                      size_t errlen);

#endif
