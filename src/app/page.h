/* Building a public page: the page being built (arena, language, first failure), checked helpers
 * that fail the page with a reason rather than leave a hole in it, the data every page has (crisis
 * lines, sections, the alert banner) and the layout around a template. Used by site.c (the library)
 * and community.c (community pages), so both render the same checked way. */
#ifndef VRC_PAGE_H
#define VRC_PAGE_H
#include <jansson.h>
#include <stdbool.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "model/hotline.h"
#include "view/template.h"

/* What page_data and page_render need; set once by site_init. */
struct page_env {
	struct db *db;
	const struct tmpl_set *tmpl;
	const char *asset_base; /* "/static/<hash>" */
	const char *exit_url;   /* where Quick exit goes */
	const char *public_url; /* the site's address as the public reaches it, no trailing '/' */
};

/* One page being built: its arena and language, and the first thing that went wrong. Every builder
 * checks what it makes through page_pack/str/set/push, so a value that cannot be built (text that
 * is not UTF-8, a missing field) fails the page with a reason instead of leaving a hole in it. */
struct page {
	struct arena *a;
	const char *lang;
	char why[256]; /* empty while all is well */
};

/* Remember env (copied; its pointers must outlive the pages). */
void page_setup(const struct page_env *env);
const struct page_env *page_env(void);
/* Pages rendered on the calling thread read db (a connection of its own to the same database, so
 * that render threads do not queue on one connection's mutex), or the site's again when NULL. */
void page_use_db(struct db *db);
/* The help line slug in pg's language as page_hotline_json makes it (a new reference), or NULL when
 * it is not in service in that language (or the lines cannot be built: the reason is in pg). */
json_t *page_hotline_named(struct page *pg, const char *slug);
/* Drop what pages share between renders (the crisis lines' data): the lines or the catalogue
 * changed. site.c calls it before every re-render. */
void page_forget(void);
/* Record why the page failed (the first reason is kept). */
void page_fail(struct page *pg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* json_pack that records why it failed (a NULL or non-UTF-8 string, a NULL object). */
json_t *page_pack(struct page *pg, const char *fmt, ...);
/* A JSON string of s; fails the page when s is missing or not UTF-8 (what names the value). */
json_t *page_str(struct page *pg, const char *what, const char *s);
/* obj[key] = v (consumed); fails the page when either is NULL. */
void page_set(struct page *pg, json_t *obj, const char *key, json_t *v);
/* Append v (consumed) to arr; fails the page when either is NULL. */
void page_push(struct page *pg, json_t *arr, json_t *v);
/* "/es" for Spanish library pages, "" for English. */
const char *page_lang_prefix(const char *lang);
/* The library's other language: "en" for "es", else "es". */
const char *page_other(const char *lang);
/* A section's URL in lang, in a. */
char *page_section_url(struct arena *a, const char *lang, const char *slug);
/* The home page of lang ("/" or "/es/"). */
const char *page_home_url(const char *lang);
/* A section's name (or, with summary, its one-line summary) from the UI catalogue. */
const char *page_section_text(const char *lang, const char *slug, bool summary);
/* The host of url without "www.", in a. */
const char *page_host_of(struct arena *a, const char *url);
/* A hotline as page data (name, hours, contacts with their links). */
json_t *page_hotline_json(struct page *pg, const struct hotline *h);
/* The data every page has: language, catalogue, crisis lines, sections, alert banner, URLs. A
 * language without hotline text shows the English lines. */
json_t *page_data(struct page *pg, const char *title, const char *description, const char *alt_url,
                  const char *current_section);
/* The page's language versions for the head (<link rel="alternate" hreflang>), by full address as the
 * sitemap names them: this page (self, a path) and its translation (other, a path), or none at all
 * when other is NULL: a page without a translation names no alternate, since its language switch
 * leads to a home or section page that is no translation of it. */
void page_alternates(struct page *pg, json_t *d, const char *self, const char *other);
/* Render template name with data, then the layout around it; consumes data. 0, or -1 with the
 * reason in pg (out is then to be thrown away). */
int page_render(struct page *pg, const char *name, json_t *data, struct buf *out);

#endif
