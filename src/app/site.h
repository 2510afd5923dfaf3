/* The public site: builds each page's data, renders it, and keeps the page cache warm. */
#ifndef VRC_SITE_H
#define VRC_SITE_H
#include <stddef.h>

#include "app/cache.h"
#include "base/buf.h"
#include "db/db.h"

struct site_config {
	const char *exit_url;   /* where the quick-exit button goes */
	const char *public_url; /* the site's public address (QR codes, feeds); NULL: http://localhost:8080 */
	const char *i18n_dir;   /* more UI-string catalogues (<lang>.json), or NULL */
};

/* Compile templates, load catalogues, remember db. 0 or -1 (logged). */
int site_init(struct db *db, const struct site_config *cfg);
void site_free(void);
struct site_warm_report {
	size_t pages;  /* rendered and cached */
	size_t gone;   /* archived resources, cached as 410 pages */
	size_t failed; /* could not be rendered: cached as 500 pages (with the crisis lines), logged */
};
/* Render every public page, error page and static asset into the cache. -1 (logged) when the error
 * pages themselves cannot be rendered: the server must not start without them. */
int site_warm(struct site_warm_report *rep);
/* Re-render into the cache, before returning, the pages a change to resource slug touches: its page
 * and its translation's, their sections, both home pages, and the resources of those sections (their
 * related cards may show it). A page now a draft leaves the cache. Returns how many paths, or -1 when
 * there is no such resource; rep counts what happened. */
int site_refresh_resource(const char *slug, struct site_warm_report *rep);
/* Re-render paths into the cache before returning (a community publish: its pages, feeds, flyer and
 * the home pages); a path that is no page any more leaves the cache. */
void site_refresh_paths(const char *const *paths, size_t n, struct site_warm_report *rep);
/* A community path missing from the cache (a page created by `vrc community create` while serving):
 * rendered and stored when it is a page now; the entry with a new reference, or NULL. */
struct cache_entry *site_fill(const char *path);
/* Re-render every page and error page (a hotline or topic changed: they appear everywhere). The
 * number of paths, or -1. */
int site_refresh_all(struct site_warm_report *rep);
/* How many pages failed their last render (for /healthz). */
size_t site_failing(void);
/* The prefix of static URLs, "/static/<hash>". */
const char *site_asset_base(void);
/* Render the public page at path into out from the database. Returns 200; 410 with the "gone" page
 * for an archived resource; 404 (nothing written) when there is no such page; 500 when the page
 * cannot be rendered: out then holds the 500 page (crisis lines and Quick exit included) and the
 * reason is logged, naming the page. Used to fill the cache and the static export. */
int site_render(const char *path, struct buf *out);
struct resource;
/* The resource page's content for r (not from the database: the console's form), rendered by the
 * same templates as the public page, without the layout: the console's live preview. 0, or -1 with
 * the reason in why. */
int site_preview(const struct resource *r, struct buf *out, char *why, size_t whylen);
/* Render the error page for status in lang into out. 0, or -1 (logged). */
int site_render_error(int status, const char *lang, struct buf *out);
struct json_t;
/* A public page built elsewhere (app/search.c): template name with the data every page has in lang
 * (catalogue, crisis lines, sections, title, the language switch to alt_url) plus extra's keys
 * (consumed; NULL fails the page), inside the layout, by the same checked path as the site's own
 * pages. 0; or -1 with the 500 page (crisis lines and Quick exit included) in out and the reason
 * logged under what, which must name the page, never what a visitor typed. */
int site_render_extra(const char *lang, const char *name, const char *title, const char *alt_url,
                      struct json_t *extra, const char *what, struct buf *out);
/* The hotline slug in lang as the crisis panel shows it (name, contacts with links, audience...), a
 * new reference; NULL when it is not in service or its text is broken. */
struct json_t *site_hotline_data(const char *lang, const char *slug);
/* Every public page path (for warming and the static export); *n gets the count. Free with
 * site_paths_free. */
char **site_paths(size_t *n);
void site_paths_free(char **paths, size_t n);

#endif
