/* What the public site tells crawlers and feed readers: /sitemap.xml (a sitemap index of
 * /sitemap-<kind>-<n>.xml with hreflang alternates and lastmod), /robots.txt and the Atom feeds of
 * library changes (/updates.atom, /es/updates.atom). They are rendered into the page cache like
 * public pages: at warm-up and after each publish. */
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

/* Render the sitemap (every kind), robots.txt and both Atom feeds into the cache. Returns how many
 * failed: those are cached as 500 answers and logged, never as an empty success. */
size_t sitemap_refresh(void);
/* After a community change: the sitemaps of the community pages and of the home pages (which list
 * the communities), and the index; the library's are kept. Returns how many failed (0). */
size_t sitemap_refresh_communities(void);
/* The most addresses and bytes one sitemap file may hold before the kind is split (0: the
 * protocol's 50,000 and 50 MB). For tests of the split. */
void sitemap_set_limits(size_t max_urls, size_t max_bytes);

/* The documents themselves, appended to out (for the cache and the tests). 0 or -1 (logged). */
int sitemap_robots(struct buf *out);
int sitemap_atom(const char *lang, struct buf *out);

#endif
