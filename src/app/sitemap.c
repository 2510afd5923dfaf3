/* The sitemap, robots.txt and Atom feeds. Each is built from the catalogue (model/catalog.h) as
 * XML text with every value escaped, and stored in the page cache under its path, so crawlers and
 * feed readers are answered like visitors: from memory, with ETags. */
#include "app/sitemap.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/cache.h"
#include "app/community.h"
#include "app/site.h"
#include "base/log.h"
#include "base/mem.h"
#include "model/catalog.h"
#include "model/community.h"
#include "model/section.h"
#include "view/i18n.h"

enum { FEED_ENTRIES = 50, SITEMAP_MAX_URLS = 50000, SITEMAP_MAX_BYTES = 50 * 1024 * 1024 };

static struct {
	struct db *db;
	char *site_url; /* no trailing slash */
	char *tag_host; /* the host of site_url, for Atom tag: ids */
} feeds;

static const char *const langs[2] = {"en", "es"};

int sitemap_init(struct db *db, const char *site_url)
{
	feeds.db = db;
	size_t skip = strncasecmp(site_url, "https://", 8) == 0  ? 8
	              : strncasecmp(site_url, "http://", 7) == 0 ? 7
	                                                         : 0;
	size_t host = skip ? strcspn(site_url + skip, ":/?#") : 0;
	if (!host || strpbrk(site_url, " \"'<>\\`?#")) {
		log_error("serve: --public-url must be an absolute http(s) address like https://example.org, "
		          "not '%s'",
		          site_url);
		return -1;
	}
	free(feeds.site_url);
	free(feeds.tag_host);
	size_t n = strlen(site_url);
	while (n > skip && site_url[n - 1] == '/')
		n--;
	feeds.site_url = strndup(site_url, n);
	feeds.tag_host = strndup(site_url + skip, host);
	return feeds.site_url && feeds.tag_host ? 0 : -1;
}

const char *sitemap_url(struct arena *a, const char *path)
{
	return arena_printf(a, "%s%s", feeds.site_url ? feeds.site_url : "http://localhost", path);
}

/* XML character data or attribute text: markup characters as entities; control characters XML 1.0
 * does not allow become spaces. */
static void xml_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&apos;"); break;
		default: buf_putc(b, c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : (char)c); break;
		}
	}
}

static const char *prefix(const char *lang)
{
	return strcmp(lang, "es") == 0 ? "/es" : "";
}

/* ---- sitemap ----
 * /sitemap.xml is a sitemap index naming one or more sitemaps per kind of page (sitemaps.org: at
 * most 50,000 addresses and 50 MB a file): the home and section pages, the library, the community
 * pages. A kind is rebuilt on its own (a community publish does not read the library), and a kind
 * that outgrows one file is split in order over /sitemap-<kind>-2.xml, -3... */

enum kind { K_SECTIONS, K_LIBRARY, K_COMMUNITIES, NKINDS };
static const char *const kind_names[NKINDS] = {"sections", "library", "communities"};

static const char URLSET_HEAD[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
                                  "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
                                  "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
static const char URLSET_FOOT[] = "</urlset>\n";

static struct {
	pthread_mutex_t lock; /* one refresh at a time: parts, index and the state below agree */
	size_t max_urls, max_bytes;
	struct {
		size_t n;       /* parts now in the cache */
		char **lastmod; /* each part's newest lastmod ("" when none), malloc'd */
	} kinds[NKINDS];
	/* The library's latest change per language, overall and per section ([l][0], [l][1 + s]): read
	 * when the library changes, kept for the home and section entries of a community refresh. */
	char library_changed[2][5][32];
} sm = {PTHREAD_MUTEX_INITIALIZER, SITEMAP_MAX_URLS, SITEMAP_MAX_BYTES, {{0, NULL}}, {{""}}};

void sitemap_set_limits(size_t max_urls, size_t max_bytes)
{
	pthread_mutex_lock(&sm.lock);
	sm.max_urls = max_urls ? max_urls : SITEMAP_MAX_URLS;
	sm.max_bytes = max_bytes ? max_bytes : SITEMAP_MAX_BYTES;
	pthread_mutex_unlock(&sm.lock);
}

/* The parts of one kind as they are written: each full part goes into the cache at once. */
struct writer {
	enum kind kind;
	struct buf part, entry;
	size_t urls;     /* in the current part */
	char newest[32]; /* the current part's newest lastmod */
	size_t n;        /* parts written */
	char **lastmod;  /* theirs, malloc'd */
};

static const char *part_path(struct arena *a, enum kind k, size_t i)
{
	return arena_printf(a, "/sitemap-%s-%zu.xml", kind_names[k], i + 1);
}

static void writer_flush(struct writer *w, struct arena *a)
{
	if (!w->urls)
		return;
	buf_puts(&w->part, URLSET_FOOT);
	cache_put(part_path(a, w->kind, w->n),
	          cache_entry_new(200, "application/xml", "no-cache", w->part.p, w->part.len, true));
	w->lastmod = xrealloc(w->lastmod, (w->n + 1) * sizeof(*w->lastmod));
	w->lastmod[w->n++] = xstrdup(w->newest);
	w->part.len = 0;
	w->urls = 0;
	w->newest[0] = '\0';
}

/* One <url> with its alternates (every language version of the page, itself included). */
static void url_entry(struct writer *w, struct arena *a, const char *path, const char *lastmod,
                      const char *const *alt_lang, const char *const *alt_path, size_t nalt)
{
	struct buf *b = &w->entry;
	b->len = 0;
	buf_puts(b, "<url><loc>");
	xml_text(b, sitemap_url(a, path));
	buf_puts(b, "</loc>");
	if (lastmod) {
		buf_puts(b, "<lastmod>");
		xml_text(b, lastmod);
		buf_puts(b, "</lastmod>");
	}
	for (size_t i = 0; i < nalt; i++) {
		buf_puts(b, "<xhtml:link rel=\"alternate\" hreflang=\"");
		xml_text(b, alt_lang[i]);
		buf_puts(b, "\" href=\"");
		xml_text(b, sitemap_url(a, alt_path[i]));
		buf_puts(b, "\"/>");
	}
	buf_puts(b, "</url>\n");
	size_t room = sizeof(URLSET_HEAD) + sizeof(URLSET_FOOT);
	if (w->urls && (w->urls >= sm.max_urls || w->part.len + b->len + room > sm.max_bytes))
		writer_flush(w, a);
	if (!w->urls)
		buf_puts(&w->part, URLSET_HEAD);
	buf_append(&w->part, b->p, b->len);
	w->urls++;
	if (lastmod && strcmp(lastmod, w->newest) > 0)
		snprintf(w->newest, sizeof(w->newest), "%s", lastmod);
}

/* The last part into the cache, the parts a smaller kind no longer has out of it, and the kind's
 * state updated (under sm.lock). */
static void writer_finish(struct writer *w, struct arena *a)
{
	writer_flush(w, a);
	for (size_t i = w->n; i < sm.kinds[w->kind].n; i++)
		cache_del(part_path(a, w->kind, i));
	for (size_t i = 0; i < sm.kinds[w->kind].n; i++)
		free(sm.kinds[w->kind].lastmod[i]);
	free(sm.kinds[w->kind].lastmod);
	sm.kinds[w->kind].n = w->n;
	sm.kinds[w->kind].lastmod = w->lastmod;
	buf_free(&w->part);
	buf_free(&w->entry);
}

static int by_slug(const void *x, const void *y)
{
	return strcmp(((const struct catalog_item *)x)->r.slug, ((const struct catalog_item *)y)->r.slug);
}

static const struct catalog_item *find_slug(const struct catalog_item *v, size_t n, const char *slug)
{
	struct catalog_item key;
	key.r.slug = slug;
	return slug ? bsearch(&key, v, n, sizeof(*v), by_slug) : NULL;
}

/* The later of two UTC times ("" or NULL for none), or NULL. */
static const char *later(const char *x, const char *y)
{
	if (!x || !*x)
		return y && *y ? y : NULL;
	return y && strcmp(y, x) > 0 ? y : x;
}

static void library_times(void)
{
	struct arena *a = arena_new();
	for (size_t l = 0; l < 2; l++)
		for (size_t s = 0; s < 5; s++) {
			const char *t =
			    catalog_last_change(feeds.db, a, langs[l], s ? section_slugs[s - 1] : NULL);
			snprintf(sm.library_changed[l][s], sizeof(sm.library_changed[l][s]), "%s",
			         t ? t : "");
		}
	arena_free(a);
}

/* Home and section pages exist in both languages. A home page lists the active communities, so a
 * community created, renamed or archived changes it too. */
static void kind_sections(struct writer *w, struct arena *a)
{
	struct community *cs;
	size_t nc = community_list(feeds.db, a, NULL, &cs);
	const char *communities = NULL;
	for (size_t i = 0; i < nc; i++)
		communities = later(communities, cs[i].updated_at);
	const char *home[2] = {"/", "/es/"};
	for (size_t l = 0; l < 2; l++)
		url_entry(w, a, home[l], later(sm.library_changed[l][0], communities), langs, home, 2);
	for (size_t s = 0; s < 4; s++) {
		const char *paths[2];
		for (size_t l = 0; l < 2; l++)
			paths[l] = arena_printf(a, "%s/%s", prefix(langs[l]), section_slugs[s]);
		for (size_t l = 0; l < 2; l++)
			url_entry(w, a, paths[l], later(sm.library_changed[l][1 + s], NULL), langs, paths, 2);
	}
}

static void kind_library(struct writer *w, struct arena *a)
{
	struct catalog_filter f = {0};
	struct catalog_item *items;
	size_t total, n = catalog_resources(feeds.db, a, &f, &items, &total);
	qsort(items, n, sizeof(*items), by_slug);
	for (size_t i = 0; i < n; i++) {
		const struct resource *r = &items[i].r;
		if (r->invalid)
			continue;
		/* The same rule as the page's language switch: a published translation is its alternate. */
		const struct catalog_item *t = find_slug(items, n, r->translation);
		bool paired = t && !t->r.invalid && strcmp(t->r.lang, r->lang) != 0;
		const char *path = arena_printf(a, "%s/resources/%s", prefix(r->lang), r->slug);
		const char *alt_lang[2] = {r->lang, paired ? t->r.lang : NULL};
		const char *alt_path[2] = {
		    path, paired ? arena_printf(a, "%s/resources/%s", prefix(t->r.lang), t->r.slug) : NULL};
		url_entry(w, a, path, items[i].updated_at, alt_lang, alt_path, paired ? 2 : 0);
	}
}

/* Each active community's page in every language it offers (and the site has a catalogue for),
 * each naming the others; lastmod is the page's latest publish. Archived pages stay at their
 * address but leave the sitemap; flyers and feeds are not pages to index. */
static void kind_communities(struct writer *w, struct arena *a)
{
	struct community *cs;
	const char **changed;
	size_t n = community_sitemap(feeds.db, a, &cs, &changed);
	for (size_t i = 0; i < n; i++) {
		const char *ls[COMMUNITY_MAX_LANGS], *ps[COMMUNITY_MAX_LANGS];
		size_t nl = 0;
		for (size_t l = 0; l < cs[i].nlangs; l++)
			if (i18n_lang_valid(cs[i].langs[l])) {
				ls[nl] = cs[i].langs[l];
				ps[nl++] = community_url(a, cs[i].langs[l], cs[i].slug);
			}
		for (size_t l = 0; l < nl; l++)
			url_entry(w, a, ps[l], *changed[i] ? changed[i] : NULL, ls, ps, nl > 1 ? nl : 0);
	}
}

static void (*const builders[NKINDS])(struct writer *, struct arena *) = {kind_sections, kind_library,
                                                                          kind_communities};

static void build_kind(enum kind k)
{
	struct arena *a = arena_new();
	struct writer w = {.kind = k, .part = BUF_INIT, .entry = BUF_INIT};
	builders[k](&w, a);
	writer_finish(&w, a);
	arena_free(a);
}

/* /sitemap.xml: every part of every kind, with its newest lastmod. */
static void build_index(void)
{
	struct arena *a = arena_new();
	struct buf b = BUF_INIT;
	buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex "
	             "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (size_t k = 0; k < NKINDS; k++)
		for (size_t i = 0; i < sm.kinds[k].n; i++) {
			buf_puts(&b, "<sitemap><loc>");
			xml_text(&b, sitemap_url(a, part_path(a, k, i)));
			buf_puts(&b, "</loc>");
			if (*sm.kinds[k].lastmod[i]) {
				buf_puts(&b, "<lastmod>");
				xml_text(&b, sm.kinds[k].lastmod[i]);
				buf_puts(&b, "</lastmod>");
			}
			buf_puts(&b, "</sitemap>\n");
		}
	buf_puts(&b, "</sitemapindex>\n");
	cache_put("/sitemap.xml", cache_entry_new(200, "application/xml", "no-cache", b.p, b.len, true));
	buf_free(&b);
	arena_free(a);
}

size_t sitemap_refresh_communities(void)
{
	pthread_mutex_lock(&sm.lock);
	build_kind(K_SECTIONS);
	build_kind(K_COMMUNITIES);
	build_index();
	pthread_mutex_unlock(&sm.lock);
	return 0;
}

int sitemap_robots(struct buf *out)
{
	struct arena *a = arena_new();
	buf_printf(out,
	           "# The staff console and the JSON API are not for search engines, nor are our own search\n"
	           "# results (endless pages of other pages; the sitemap lists those).\n"
	           "User-agent: *\nDisallow: /admin/\nDisallow: /api/\nDisallow: /search\n"
	           "Disallow: /es/search\n\nSitemap: %s\n",
	           sitemap_url(a, "/sitemap.xml"));
	arena_free(a);
	return 0;
}

/* ---- Atom (RFC 4287) ---- */

static void now_utc(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void atom_entry(struct buf *b, struct arena *a, const char *lang, const struct catalog_change *c)
{
	const char *kind = c->first ? "new" : "revised";
	buf_puts(b, "<entry>\n<id>");
	/* tag: URIs (RFC 4151): one per text that went live, stable whatever the page's address. */
	buf_printf(b, "tag:%s,%.10s:revision/%lld", feeds.tag_host, c->at, (long long)c->revision_id);
	buf_puts(b, "</id>\n<title>");
	xml_text(b, i18n_get(lang, c->first ? "feed_new" : "feed_revised"));
	buf_puts(b, ": ");
	xml_text(b, c->title);
	buf_puts(b, "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(b, sitemap_url(a, arena_printf(a, "%s/resources/%s", prefix(lang), c->slug)));
	buf_printf(b, "\"/>\n<updated>%s</updated>\n<summary>", c->at);
	xml_text(b, c->summary);
	buf_printf(b, "</summary>\n<category term=\"%s\" label=\"", kind);
	xml_text(b, i18n_get(lang, c->first ? "feed_new" : "feed_revised"));
	buf_puts(b, "\"/>\n</entry>\n");
}

int sitemap_atom(const char *lang, struct buf *out)
{
	struct arena *a = arena_new();
	struct catalog_change *cs;
	size_t n = catalog_changes(feeds.db, a, lang, FEED_ENTRIES, &cs);
	char updated[21];
	if (n)
		snprintf(updated, sizeof(updated), "%s", cs[0].at);
	else
		now_utc(updated);
	const char *self = sitemap_url(a, arena_printf(a, "%s/updates.atom", prefix(lang)));
	buf_printf(out,
	           "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" "
	           "xml:lang=\"%s\">\n<id>",
	           lang);
	xml_text(out, self);
	buf_puts(out, "</id>\n<title>");
	xml_text(out, i18n_get(lang, "site_name"));
	buf_puts(out, ": ");
	xml_text(out, i18n_get(lang, "feed_title"));
	buf_puts(out, "</title>\n<subtitle>");
	xml_text(out, i18n_get(lang, "feed_subtitle"));
	buf_printf(out, "</subtitle>\n<updated>%s</updated>\n<author><name>", updated);
	xml_text(out, i18n_get(lang, "site_name"));
	buf_puts(out, "</name><uri>");
	xml_text(out, sitemap_url(a, strcmp(lang, "es") == 0 ? "/es/" : "/"));
	buf_puts(out, "</uri></author>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"");
	xml_text(out, self);
	buf_puts(out, "\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"");
	xml_text(out, sitemap_url(a, strcmp(lang, "es") == 0 ? "/es/" : "/"));
	buf_puts(out, "\"/>\n");
	for (size_t i = 0; i < n; i++)
		atom_entry(out, a, lang, &cs[i]);
	buf_puts(out, "</feed>\n");
	arena_free(a);
	return 0;
}

/* ---- into the cache ---- */

/* What is cached under each path, and how it is built. */
static int robots(const char *lang, struct buf *out)
{
	(void)lang;
	return sitemap_robots(out);
}

static const struct {
	const char *path, *lang, *type, *cache_control;
	int (*build)(const char *lang, struct buf *out);
} docs[] = {
    {"/robots.txt", "en", "text/plain; charset=utf-8", "public, max-age=3600", robots},
    {"/updates.atom", "en", "application/atom+xml; charset=utf-8", "no-cache", sitemap_atom},
    {"/es/updates.atom", "es", "application/atom+xml; charset=utf-8", "no-cache", sitemap_atom},
};

size_t sitemap_refresh(void)
{
	pthread_mutex_lock(&sm.lock);
	library_times();
	for (size_t k = 0; k < NKINDS; k++)
		build_kind(k);
	build_index();
	pthread_mutex_unlock(&sm.lock);
	size_t failed = 0;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct buf b = BUF_INIT;
		if (docs[i].build(docs[i].lang, &b) == 0) {
			cache_put(docs[i].path, cache_entry_new(200, docs[i].type, docs[i].cache_control, b.p,
			                                        b.len, true));
		} else {
			log_error("feeds: %s cannot be built; it answers 500", docs[i].path);
			b.len = 0;
			site_render_error(500, docs[i].lang, &b);
			cache_put(docs[i].path, cache_entry_new(500, "text/html; charset=utf-8", "no-store",
			                                        b.p, b.len, true));
			failed++;
		}
		buf_free(&b);
	}
	return failed;
}
