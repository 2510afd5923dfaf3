/* What the public site tells crawlers and feed readers: /sitemap.xml (with hreflang alternates and
 * lastmod), /robots.txt and the Atom feeds of library changes (/updates.atom, /es/updates.atom). They
 * are rendered into the page cache like public pages: at warm-up and after each publish. */
#ifndef VRC_SITEMAP_H
#define VRC_SITEMAP_H
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"

/* Remember db and the site's public address ("https://example.org"; a trailing slash is dropped),
 * which sitemaps, feeds and JSON-LD need absolute. 0, or -1 (logged) for an address that is not an
 * absolute http(s) URL. */
int sitemap_init(struct db *db, const char *site_url);
/* The public address of path ("/resources/x"), in a. */
const char *sitemap_url(struct arena *a, const char *path);

/* Render the sitemap, robots.txt and both Atom feeds into the cache. Returns how many failed: those
 * are cached as 500 answers and logged, never as an empty success. */
size_t sitemap_refresh(void);

/* The documents themselves, appended to out (for the cache and the tests). 0 or -1 (logged). */
int sitemap_xml(struct buf *out);
int sitemap_robots(struct buf *out);
int sitemap_atom(const char *lang, struct buf *out);

#endif
