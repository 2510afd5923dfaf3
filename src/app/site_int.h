/* What site.c (rendering pages) and warm.c (listing, warming and refreshing them) share; not for
 * other modules, which go through app/site.h. */
#ifndef VRC_SITE_INT_H
#define VRC_SITE_INT_H

#include "base/arena.h"
#include "db/db.h"

/* The database site_init was given. */
struct db *site_db(void);
/* A resource's public URL in lang ("/es/resources/slug"), in a. */
char *site_resource_url(struct arena *a, const char *lang, const char *slug);
/* Drop what renders keep between pages (related cards, help-line data): before re-rendering after a
 * change, so that no page is built from what was true before it. */
void site_memo_clear(void);
/* Stop the warm's worker thread and drop its state (site_free). */
void site_warm_stop(void);

#endif
