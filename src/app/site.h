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
/* Render every public page, error page and static asset into the cache before returning. -1
 * (logged) when the error pages themselves cannot be rendered. */
int site_warm(struct site_warm_report *rep);
/* Put what is not a page into the cache: static assets and error pages ("error:<status>:<lang>").
 * -1 (logged) when the error pages cannot be rendered. */
int site_warm_base(void);
/* Render path as the cache stores it: the entry (a new reference) for a page (200), an archived
 * resource's 410 page or a 500 page (never a success), or NULL when there is no such page; *status
 * says which; later as for site_entry_of. *links (when links is not NULL) gets the resources the
 * page links to, malloc'd. The static export writes these same entries. */
struct cache_entry *site_entry(const char *path, int *status, char **links, bool later);
/* The entry site_entry makes of what site_render(path) gave (status and bytes), or NULL: compressed
 * now, or (later) each coding when first asked for (cache_entry_later). */
struct cache_entry *site_entry_of(const char *path, int status, struct str body, bool later);
/* Serve at once, warm in the background: static assets and error pages now (-1, logged, when the
 * error pages cannot be rendered: the server must not start without them), the sitemap and feeds
 * first by a worker thread (or by the first request for a path that is no page, which waits for
 * them), then every public page, home, sections and community pages first. A page asked for before the worker
 * reaches it is rendered by that request, once (site_fill). The number of pages, or -1. */
int site_warm_start(void);
/* The /healthz text: "ok" or "degraded: N pages failed to render (see the log)", with
 * " (warming 350/4000)" while the start-up warm runs, and a newline. */
void site_health(struct buf *out);
/* Re-render the pages a change to resource slug touches: its own page is rendered and swapped into
 * the cache before anything else (what the editor looks at); then the pages that show it now (found
 * by an index of the cached pages' links: cards, related cards, community pages) and after (its
 * translation, its section, the home page of a first-days resource, community pages listing it when
 * it was not live, its topic's pages when it is among its first related cards) leave the cache
 * before returning, rendered by the worker or their next request, so no visitor is served the old
 * text. The sitemap and feeds are rebuilt by the worker soon after. A page now a draft leaves the
 * cache. Returns how many paths, or -1 when there is no such resource; rep counts what happened. */
int site_refresh_resource(const char *slug, struct site_warm_report *rep);
/* Re-render paths (a community publish: its pages, feeds, flyer and the home pages) as
 * site_refresh_resource does; a path that is no page any more leaves the cache. */
void site_refresh_paths(const char *const *paths, size_t n, struct site_warm_report *rep);
/* A path missing from the cache: a page not rendered yet (warming, or dropped by a change), or a
 * community page created by `vrc community create` while serving. Rendered and stored when it is a
 * page now, by one request at a time (others wait for it); the entry with a new reference, or NULL
 * (no such page: answer 404 without the database once warm). */
struct cache_entry *site_fill(const char *path);
/* Re-render every page and error page (a hotline or topic changed: they appear everywhere), as
 * site_refresh_resource does. The number of paths, or -1. */
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
