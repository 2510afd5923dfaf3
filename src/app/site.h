/* The public site: builds each page's data, renders it, and keeps the page cache warm. */
#ifndef VRC_SITE_H
#define VRC_SITE_H
#include <stddef.h>

#include "base/buf.h"
#include "db/db.h"

struct site_config {
	const char *exit_url; /* where the quick-exit button goes */
};

/* Compile templates, load catalogues, remember db. 0 or -1 (logged). */
int site_init(struct db *db, const struct site_config *cfg);
void site_free(void);
/* Render every public page and static asset into the cache. Returns the number of pages. */
size_t site_warm(void);
/* The prefix of static URLs, "/static/<hash>". */
const char *site_asset_base(void);
/* Render the public page at path into out from the database: 200, or 404 when there is no such
 * page. Used to fill the cache (and the static export); visitors are served from the cache. */
int site_render(const char *path, struct buf *out);
/* Render the error page for status in lang. */
void site_render_error(int status, const char *lang, struct buf *out);
/* Every public page path (for warming and the static export); *n gets the count. Free with
 * site_paths_free. */
char **site_paths(size_t *n);
void site_paths_free(char **paths, size_t n);

#endif
