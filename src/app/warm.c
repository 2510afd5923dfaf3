/* The site's paths, the warm and the refreshes: every public page listed, rendered into the cache in
 * the background at start (home, sections and community pages first) while requests for pages not
 * reached yet render them (site_fill), and the pages a change touches re-rendered, found through an
 * index of the cached pages' links. Rendering itself is site.c; what both share is app/site_int.h. */
#include "app/site.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cache.h"
#include "app/community.h"
#include "app/page.h"
#include "app/site_int.h"
#include "app/sitemap.h"
#include "base/arena.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/util.h"
#include "model/resource.h"
#include "model/section.h"

static const char *const langs[2] = {"en", "es"};

/* ---- enumerating and warming ---- */

/* Paths beyond the library's (community pages), appended to a malloc'd list. */
struct more_paths {
	char **v;
	size_t n, cap;
};

static void add_more(void *ctx, const char *path)
{
	struct more_paths *m = ctx;
	if (m->n == m->cap) {
		m->cap = m->cap * 2 + 16;
		m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n++] = xstrdup(path);
}

char **site_paths(size_t *n)
{
	struct arena *a = arena_new();
	struct resource *rs, *gone;
	size_t nr = resource_slugs(site_db(), a, "published", NULL, &rs);
	size_t ng = resource_slugs(site_db(), a, "archived", NULL, &gone);
	char **v = xcalloc(2 + 8 + nr + ng, sizeof(char *));
	size_t k = 0;
	v[k++] = xstrdup("/");
	v[k++] = xstrdup("/es/");
	for (size_t i = 0; i < 4; i++)
		for (size_t l = 0; l < 2; l++)
			v[k++] = xstrdup(page_section_url(a, langs[l], section_slugs[i]));
	for (size_t i = 0; i < nr; i++)
		v[k++] = xstrdup(site_resource_url(a, rs[i].lang, rs[i].slug));
	for (size_t i = 0; i < ng; i++)
		v[k++] = xstrdup(site_resource_url(a, gone[i].lang, gone[i].slug));
	struct more_paths more = {v, k, k};
	community_paths(a, add_more, &more);
	arena_free(a);
	*n = more.n;
	return more.v;
}

void site_paths_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static void warm_static(void)
{
	for (size_t i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (strncmp(f->name, "static/", 7) != 0)
			continue;
		const char *type = mime_for(f->name);
		struct cache_entry *e = cache_entry_new(200, type, "public, max-age=31536000, immutable",
		                                        f->data, f->len, mime_compressible(type));
		cache_put(f->name, e);
	}
}

/* The error pages every response may need. Without them the server cannot answer honestly, so a
 * failure here stops start-up. */
static int warm_errors(void)
{
	static const int codes[] = {400, 404, 405, 413, 414, 431, 500, 503};
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
			struct buf b = BUF_INIT;
			if (site_render_error(codes[i], langs[l], &b) < 0) {
				buf_free(&b);
				return -1;
			}
			char key[32];
			snprintf(key, sizeof(key), "error:%d:%s", codes[i], langs[l]);
			cache_put(key, cache_entry_new(codes[i], "text/html; charset=utf-8", "no-store", b.p,
			                               b.len, true));
			buf_free(&b);
		}
	}
	return 0;
}

/* A resource asked for under the other language's prefix redirects to its own page. */
static void warm_wrong_language(const char *path)
{
	char other_path[512];
	if (strncmp(path, "/es/resources/", 14) == 0)
		snprintf(other_path, sizeof(other_path), "%s", path + 3);
	else if (strncmp(path, "/resources/", 11) == 0)
		snprintf(other_path, sizeof(other_path), "/es%s", path);
	else
		return;
	cache_put(other_path, cache_entry_redirect(301, path));
}

/* ---- path sets: pending (to render before serving), in flight (being rendered), and the library
 * pages each cached page links to (what a change to a resource touches) */

enum { PSET_BUCKETS = 16384 };

struct pnode {
	struct pnode *next;
	char *path;
	char *links; /* "\nslug\nslug\n": the resources the page links to (links set only) */
};

struct pset {
	struct pnode *b[PSET_BUCKETS];
	size_t n;
};

static struct pnode **pset_find(struct pset *s, const char *path)
{
	struct pnode **p = &s->b[hash64(path, strlen(path)) % PSET_BUCKETS];
	while (*p && strcmp((*p)->path, path) != 0)
		p = &(*p)->next;
	return p;
}

static bool pset_has(struct pset *s, const char *path)
{
	return *pset_find(s, path) != NULL;
}

/* Add path (with links, taken over; may be NULL), replacing what it had. */
static void pset_put(struct pset *s, const char *path, char *links)
{
	struct pnode **p = pset_find(s, path);
	if (!*p) {
		*p = xcalloc(1, sizeof(**p));
		(*p)->path = xstrdup(path);
		s->n++;
	}
	free((*p)->links);
	(*p)->links = links;
}

static void pset_del(struct pset *s, const char *path)
{
	struct pnode **p = pset_find(s, path), *gone = *p;
	if (!gone)
		return;
	*p = gone->next;
	free(gone->path);
	free(gone->links);
	free(gone);
	s->n--;
}

static void pset_clear(struct pset *s)
{
	for (size_t i = 0; i < PSET_BUCKETS; i++)
		while (s->b[i])
			pset_del(s, s->b[i]->path);
}

/* The links index, the other way round from w.links: resource slug -> the cached pages linking to
 * it, so a publish finds a resource's cards (community pages, related cards, lists) without
 * reading every page's links. */
struct lnode {
	struct lnode *next;
	char *slug;
	const char **paths; /* w.links' own path strings, in no order */
	size_t n, cap;
};

struct lidx {
	struct lnode *b[PSET_BUCKETS];
};

static struct lnode **lidx_find(struct lidx *x, const char *slug, size_t len)
{
	struct lnode **p = &x->b[hash64(slug, len) % PSET_BUCKETS];
	while (*p && (strncmp((*p)->slug, slug, len) != 0 || (*p)->slug[len]))
		p = &(*p)->next;
	return p;
}

/* Call fn(x, slug, len, path) for each slug of links ("\nslug\nslug\n"). */
static void lidx_each(struct lidx *x, const char *links, const char *path,
                      void (*fn)(struct lidx *, const char *, size_t, const char *))
{
	for (const char *p = links ? links + 1 : NULL; p && *p;) {
		size_t len = strcspn(p, "\n");
		fn(x, p, len, path);
		p += len + (p[len] == '\n');
	}
}

static void lidx_add(struct lidx *x, const char *slug, size_t len, const char *path)
{
	struct lnode **p = lidx_find(x, slug, len);
	if (!*p) {
		*p = xcalloc(1, sizeof(**p));
		(*p)->slug = xstrndup(slug, len);
	}
	struct lnode *l = *p;
	if (l->n == l->cap) {
		l->cap = l->cap * 2 + 4;
		l->paths = xrealloc(l->paths, l->cap * sizeof(*l->paths));
	}
	l->paths[l->n++] = path;
}

static void lidx_remove(struct lidx *x, const char *slug, size_t len, const char *path)
{
	struct lnode **p = lidx_find(x, slug, len), *l = *p;
	for (size_t i = 0; l && i < l->n; i++)
		if (strcmp(l->paths[i], path) == 0) {
			l->paths[i] = l->paths[--l->n];
			break;
		}
	if (l && l->n == 0) {
		*p = l->next;
		free(l->slug);
		free(l->paths);
		free(l);
	}
}

static void lidx_clear(struct lidx *x)
{
	for (size_t i = 0; i < PSET_BUCKETS; i++)
		while (x->b[i]) {
			struct lnode *l = x->b[i];
			x->b[i] = l->next;
			free(l->slug);
			free(l->paths);
			free(l);
		}
}

/* The warming state: guarded by w.lock; w.cond wakes the worker and those waiting on a render. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct pset pending, inflight, redo, links;
	struct lidx linked;   /* w.links the other way round */
	bool sitemap;         /* the sitemap and feeds are due for the worker */
	bool sitemap_unbuilt; /* not built since start-up: a request for them builds them */
	bool sitemap_building;
	char **queue; /* paths for the worker, oldest first from head */
	size_t head, n, cap;
	size_t total, done; /* the start-up warm: paths, and how many are rendered */
	bool warming, stop, started;
	pthread_t worker;
	struct site_warm_report rep; /* the worker's */
	double t0;
} w = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A slug inside a page's HTML. */
struct slug_ref {
	const char *p;
	size_t n;
};

static int slug_ref_cmp(const void *a, const void *b)
{
	const struct slug_ref *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->n < y->n ? x->n : y->n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The library pages html (NUL-terminated) links to, each once (sorted: a section page links to
 * 1,250), as "\nslug\n..." (malloc'd), or NULL when none. */
static char *links_of(const char *html)
{
	struct slug_ref *v = NULL;
	size_t n = 0, cap = 0;
	static const char *const prefixes[] = {"href=\"/resources/", "href=\"/es/resources/"};
	for (size_t k = 0; k < 2; k++) {
		size_t pl = strlen(prefixes[k]);
		for (const char *p = html; (p = strstr(p, prefixes[k]));) {
			p += pl;
			size_t len = strcspn(p, "\"#?/");
			if (!len || len >= 128)
				continue;
			if (n == cap) {
				cap = cap * 2 + 16;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[n++] = (struct slug_ref){p, len};
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), slug_ref_cmp);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || slug_ref_cmp(&v[i], &v[i - 1]) != 0)
			buf_printf(&b, "%s%.*s\n", b.len ? "" : "\n", (int)v[i].n, v[i].p);
	free(v);
	return b.p;
}

struct cache_entry *site_entry_of(const char *path, int status, struct str body, bool later)
{
	const char *type = community_type(path), *cc = "no-cache";
	switch (status) {
	case 200: break;
	case 410: type = "text/html; charset=utf-8", cc = "public, max-age=600"; break;
	/* served as what it is, never as a success; /healthz counts it */
	case 500: type = "text/html; charset=utf-8", cc = "no-store"; break;
	default: return NULL;
	}
	return later ? cache_entry_later(status, type, cc, body.p, body.len)
	             : cache_entry_new(status, type, cc, body.p, body.len, true);
}

struct cache_entry *site_entry(const char *path, int *status, char **links, bool later)
{
	struct buf b = BUF_INIT;
	*status = site_render(path, &b);
	struct cache_entry *e = site_entry_of(path, *status, buf_str(&b), later);
	if (links)
		*links = *status == 200 ? links_of(b.p ? b.p : "") : NULL;
	buf_free(&b);
	return e;
}

/* Render path and store what it gives: a page, a 410, or a 500 page (never as a success); a path
 * that is no page any more (a draft) leaves the cache. later: for a waiting request, whose coding
 * cache_serve makes (the other when first asked for); else both variants now. */
static void store(const char *path, struct site_warm_report *rep, bool later)
{
	int status;
	char *links;
	struct cache_entry *e = site_entry(path, &status, &links, later);
	if (e)
		cache_put(path, e);
	else
		cache_del(path);
	if (status == 200)
		warm_wrong_language(path);
	rep->pages += status == 200, rep->gone += status == 410, rep->failed += status == 500;
	pthread_mutex_lock(&w.lock);
	struct pnode *old = *pset_find(&w.links, path);
	if (old)
		lidx_each(&w.linked, old->links, path, lidx_remove);
	if (links) {
		pset_put(&w.links, path, links);
		lidx_each(&w.linked, links, (*pset_find(&w.links, path))->path, lidx_add);
	} else {
		pset_del(&w.links, path);
	}
	pthread_mutex_unlock(&w.lock);
}

/* store(), one render of a path at a time: a second caller waits for the first, then renders again
 * (a change may have come in between) unless only_pending and the first one did the work. A path
 * invalidated while it renders (the render may have read the old text) is rendered again. */
static void render_path(const char *path, struct site_warm_report *rep, bool only_pending, bool later)
{
	pthread_mutex_lock(&w.lock);
	while (pset_has(&w.inflight, path))
		pthread_cond_wait(&w.cond, &w.lock);
	bool go = !only_pending || pset_has(&w.pending, path);
	if (!go) {
		pthread_mutex_unlock(&w.lock);
		return;
	}
	pset_put(&w.inflight, path, NULL);
	while (go) {
		pset_del(&w.pending, path);
		pthread_mutex_unlock(&w.lock);
		store(path, rep, later);
		pthread_mutex_lock(&w.lock);
		go = pset_has(&w.redo, path);
		pset_del(&w.redo, path);
	}
	pset_del(&w.inflight, path);
	pthread_cond_broadcast(&w.cond);
	pthread_mutex_unlock(&w.lock);
}

/* Mark path to be rendered again: dropped from the cache, rendered by the next request for it or by
 * the worker, whichever comes first (or again by a render in flight). Call with w.lock held: no
 * request sees the path neither cached nor pending. */
static void invalidate_locked(const char *path)
{
	pset_put(&w.pending, path, NULL);
	if (pset_has(&w.inflight, path))
		pset_put(&w.redo, path, NULL);
	cache_del(path);
	if (w.started) {
		if (w.n == w.cap) {
			w.cap = w.cap * 2 + 64;
			w.queue = xrealloc(w.queue, w.cap * sizeof(*w.queue));
		}
		w.queue[w.n++] = xstrdup(path);
		pthread_cond_broadcast(&w.cond);
	}
}

static void log_cache(const char *what)
{
	struct cache_stats st;
	cache_stats(&st);
	char budget[48] = "no limit";
	if (st.budget != SIZE_MAX)
		snprintf(budget, sizeof(budget), "%zu MB", st.budget >> 20);
	log_info("%s; cache: %zu entries, %.1f MB (brotli %.1f, gzip and identity %.1f of %s)", what,
	         st.entries, (st.brotli + st.gzip + st.identity) / 1048576.0, st.brotli / 1048576.0,
	         (st.gzip + st.identity) / 1048576.0, budget);
}

/* Build the sitemap and feeds when due, one build at a time (a second caller waits for the first).
 * Call with w.lock held; returns with it held. */
static void sitemap_build_locked(void)
{
	while (w.sitemap_building)
		pthread_cond_wait(&w.cond, &w.lock);
	if (!w.sitemap)
		return;
	w.sitemap = false;
	w.sitemap_building = true;
	pthread_mutex_unlock(&w.lock);
	size_t failed = sitemap_refresh(); /* failures are logged and cached as 500 answers */
	if (failed)
		log_error("site: %zu of the sitemap and feeds failed to build (see above)", failed);
	pthread_mutex_lock(&w.lock);
	w.sitemap_building = w.sitemap_unbuilt = false;
	pthread_cond_broadcast(&w.cond);
}

/* The worker: renders queued paths still pending, until told to stop. */
static void *worker_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&w.lock);
	while (!w.stop) {
		if (w.head == w.n && !w.sitemap) {
			w.head = w.n = 0;
			if (w.warming) {
				w.warming = false;
				pthread_mutex_unlock(&w.lock);
#ifdef __GLIBC__
				malloc_trim(0); /* the renders' freed memory, scattered between the entries */
#endif
				char what[160];
				snprintf(what, sizeof(what),
				         "warm: %zu pages in %.1f s (%zu gone, %zu failed)", w.total,
				         seconds() - w.t0, w.rep.gone, w.rep.failed);
				log_cache(what);
				pthread_mutex_lock(&w.lock);
				continue;
			}
			pthread_cond_wait(&w.cond, &w.lock);
			continue;
		}
		if (w.sitemap) { /* before the next page: crawlers and feed readers see a publish soon */
			sitemap_build_locked();
			continue;
		}
		char *path = w.queue[w.head++];
		pthread_mutex_unlock(&w.lock);
		render_path(path, &w.rep, true, false);
		free(path);
		pthread_mutex_lock(&w.lock);
		if (w.warming && w.done < w.total)
			w.done++;
#ifdef __GLIBC__
		if (w.warming && w.done % 2048 == 0)
			malloc_trim(0); /* keeps the peak near what the cache holds */
#endif
	}
	pthread_mutex_unlock(&w.lock);
	return NULL;
}

int site_warm_base(void)
{
	warm_static();
	if (warm_errors() < 0)
		return -1;
	/* The sitemap, robots.txt and library feeds: small, and asked for by crawlers at once. Their
	 * failures are logged and cached as 500 answers by sitemap_refresh itself. */
	sitemap_refresh();
	return 0;
}

int site_warm_start(void)
{
	warm_static();
	if (warm_errors() < 0)
		return -1;
	size_t n;
	char **paths = site_paths(&n);
	pthread_mutex_lock(&w.lock);
	/* The sitemap and feeds (0.5 s on a large site) by the worker first, or by the first request
	 * for a path that is no page before then. */
	w.sitemap = w.sitemap_unbuilt = true;
	w.t0 = seconds();
	w.total = n, w.done = 0;
	w.warming = w.started = true;
	memset(&w.rep, 0, sizeof(w.rep));
	/* Home, sections and community pages first: what a surge asks for; then the library. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++)
			if ((strstr(paths[i], "/resources/") != NULL) == (pass == 1))
				invalidate_locked(paths[i]);
	pthread_mutex_unlock(&w.lock);
	for (size_t i = 0; i < n; i++)
		warm_wrong_language(paths[i]);
	site_paths_free(paths, n);
	if (pthread_create(&w.worker, NULL, worker_main, NULL) != 0) {
		log_error("site: cannot start the warming thread");
		return -1;
	}
	log_cache("warming in the background");
	return (int)n;
}

void site_warm_stop(void)
{
	pthread_mutex_lock(&w.lock);
	bool started = w.started;
	w.stop = true;
	pthread_cond_broadcast(&w.cond);
	pthread_mutex_unlock(&w.lock);
	if (started)
		pthread_join(w.worker, NULL);
	for (size_t i = w.head; i < w.n; i++)
		free(w.queue[i]);
	free(w.queue);
	w.queue = NULL;
	w.head = w.n = w.cap = 0;
	w.started = w.warming = w.stop = false;
	pset_clear(&w.pending);
	pset_clear(&w.inflight);
	pset_clear(&w.redo);
	lidx_clear(&w.linked); /* before w.links: it points into it */
	pset_clear(&w.links);
	w.sitemap = w.sitemap_unbuilt = w.sitemap_building = false;
}

int site_warm(struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	if (site_warm_base() < 0)
		return -1;
	size_t n;
	char **paths = site_paths(&n);
	for (size_t i = 0; i < n; i++)
		render_path(paths[i], rep, false, false);
	site_paths_free(paths, n);
	return 0;
}

void site_health(struct buf *out)
{
	size_t failed = site_failing();
	if (failed)
		buf_printf(out, "degraded: %zu page%s failed to render (see the log)", failed,
		           failed == 1 ? "" : "s");
	else
		buf_puts(out, "ok");
	pthread_mutex_lock(&w.lock);
	if (w.warming)
		buf_printf(out, " (warming %zu/%zu)", w.done, w.total);
	pthread_mutex_unlock(&w.lock);
	buf_putc(out, '\n');
}

struct cache_entry *site_fill(const char *path)
{
	pthread_mutex_lock(&w.lock);
	bool known = pset_has(&w.pending, path) || pset_has(&w.inflight, path);
	if (!known && w.sitemap_unbuilt) /* it may be one of them: they answer as soon as built */
		sitemap_build_locked();
	pthread_mutex_unlock(&w.lock);
	const char *lang, *rest;
	if (!known && !community_split(path, &lang, &rest))
		return cache_get(path); /* rendered since the caller looked, or no page */
	/* Not rendered yet (warming, or dropped by a change), or a community page created from the
	 * command line while serving: rendered now, once, then from the cache. */
	struct site_warm_report rep = {0};
	render_path(path, &rep, known, true);
	return cache_get(path);
}

/* Re-render paths (the first ones first): before returning while REFRESH_MS allows, the rest dropped
 * from the cache for the next request or the worker to render. A large site's publish stays fast,
 * and no visitor is served the old text of a page it touched. */
enum { REFRESH_MS = 25 };

static void refresh(const char *const *paths, size_t n, double budget_ms, struct site_warm_report *rep)
{
	site_memo_clear();
	double t0 = seconds();
	size_t i = 0;
	for (; i < n && (seconds() - t0) * 1000 < budget_ms; i++)
		render_path(paths[i], rep, false, false);
	if (i == n)
		return;
	pthread_mutex_lock(&w.lock);
	for (size_t k = i; k < n; k++)
		invalidate_locked(paths[k]);
	pthread_mutex_unlock(&w.lock);
	log_info("site: %zu page(s) re-rendered, %zu left to render on their next request", i, n - i);
}

/* The sitemap and feeds list every page: on a large site they take longer to build than a page
 * (0.5 s for 22,000 pages), so the worker rebuilds them after a publish when it runs; else now. */
static void sitemap_soon(struct site_warm_report *rep)
{
	pthread_mutex_lock(&w.lock);
	bool later = w.started;
	if (later) {
		w.sitemap = true;
		pthread_cond_broadcast(&w.cond);
	}
	pthread_mutex_unlock(&w.lock);
	if (!later)
		rep->failed += sitemap_refresh();
}

/* A list of paths without repeats (arena-backed; a hash set to stay linear on a large site). */
struct plist {
	struct arena *a;
	const char **v;
	size_t n, cap;
	struct pset *seen;
};

static void plist_add(struct plist *l, const char *path)
{
	if (pset_has(l->seen, path))
		return;
	pset_put(l->seen, path, NULL);
	if (l->n == l->cap) {
		l->cap = l->cap * 2 + 32;
		const char **v = arena_alloc(l->a, l->cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
	}
	l->v[l->n++] = arena_strdup(l->a, path);
}

static void plist_add_fn(void *ctx, const char *path)
{
	plist_add(ctx, path);
}

/* Every cached page that links to the resource slug: what shows its title or card now. */
static void add_linking(struct plist *l, const char *slug)
{
	const char **found = NULL;
	size_t n = 0;
	pthread_mutex_lock(&w.lock);
	struct lnode *x = *lidx_find(&w.linked, slug, strlen(slug));
	if (x) {
		found = arena_alloc(l->a, x->n * sizeof(*found));
		for (; n < x->n; n++)
			found[n] = arena_strdup(l->a, x->paths[n]);
	}
	pthread_mutex_unlock(&w.lock);
	for (size_t i = 0; i < n; i++)
		plist_add(l, found[i]);
}

/* Pages that will show r after the change: its section, its home page when it is for the first
 * days, community pages listing it (when listings: the links index has them
 * when r was live), and when it is among the first related cards of its topic, the
 * pages of that topic. */
static void add_showing(struct plist *l, const struct resource *r, bool listings)
{
	struct arena *a = l->a;
	plist_add(l, page_section_url(a, r->lang, r->section));
	if (strcmp(r->stage, "first-days") == 0)
		plist_add(l, page_home_url(r->lang));
	if (listings)
		community_listing(a, r->slug, plist_add_fn, l);
	struct resource probe = *r, *top;
	probe.slug = ""; /* the topic's first cards, not excluding r */
	size_t nt = resource_related(site_db(), a, &probe, 4, &top);
	bool among = false;
	for (size_t i = 0; i < nt; i++)
		among |= strcmp(top[i].slug, r->slug) == 0;
	if (!among)
		return;
	struct resource *rs;
	size_t nr = resource_slugs(site_db(), a, "published", r->topic, &rs);
	for (size_t i = 0; i < nr; i++)
		if (strcmp(rs[i].lang, r->lang) == 0)
			plist_add(l, site_resource_url(a, rs[i].lang, rs[i].slug));
}

/* A home or section page: a list of the library. */
static bool is_list(const char *path)
{
	const char *p = strncmp(path, "/es/", 4) == 0 ? path + 3 : path;
	return strcmp(p, "/") == 0 || section_valid(p + 1);
}

/* Whether path is cached as a page now (it is live, and what lists it links to it). */
static bool cached_page(const char *path)
{
	struct cache_entry *e = cache_get(path);
	bool live = e && cache_entry_status(e) == 200;
	cache_entry_release(e);
	return live;
}

int site_refresh_resource(const char *slug, struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	struct plist l = {.a = arena_new(), .seen = xcalloc(1, sizeof(struct pset))};
	struct resource *r = resource_get(site_db(), l.a, slug);
	if (!r) {
		arena_free(l.a);
		free(l.seen);
		return -1;
	}
	struct resource *t = r->translation ? resource_get(site_db(), l.a, r->translation) : NULL;
	const struct resource *pair[2] = {r, t};
	bool live[2] = {false, false};
	for (size_t k = 0; k < 2 && pair[k]; k++)
		live[k] = cached_page(site_resource_url(l.a, pair[k]->lang, pair[k]->slug));
	/* Its own page first, rendered and swapped in now: what the editor looks at. */
	site_memo_clear();
	const char *own = site_resource_url(l.a, r->lang, r->slug);
	render_path(own, rep, false, false);
	/* Then what shows it now (the links index) and after: when it was live, every page listing it
	 * links to it already; else the community pages listing it are looked up. */
	plist_add(&l, own);
	if (t)
		plist_add(&l, site_resource_url(l.a, t->lang, t->slug));
	for (size_t k = 0; k < 2 && pair[k]; k++)
		add_linking(&l, pair[k]->slug);
	for (size_t k = 0; k < 2 && pair[k]; k++)
		add_showing(&l, pair[k], !live[k]);
	/* The rest (l.v[0] is its own page) leave the cache now, never served with the old text, and are
	 * rendered by the worker or their next request: the short pages first, the long lists last. */
	const char **order = arena_alloc(l.a, (l.n + 1) * sizeof(*order));
	size_t k = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 1; i < l.n; i++)
			if (is_list(l.v[i]) == (pass == 1))
				order[k++] = l.v[i];
	refresh(order, k, 0, rep);
	sitemap_soon(rep); /* the sitemap and feeds list it too */
	int n = (int)l.n;
	pset_clear(l.seen);
	free(l.seen);
	arena_free(l.a);
	return n;
}

void site_refresh_paths(const char *const *paths, size_t n, struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	refresh(paths, n, REFRESH_MS, rep);
	rep->failed += sitemap_refresh_communities(); /* a page created, published or archived */
}

int site_refresh_all(struct site_warm_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	if (warm_errors() < 0)
		return -1;
	size_t n;
	char **paths = site_paths(&n);
	refresh((const char *const *)paths, n, REFRESH_MS, rep);
	site_paths_free(paths, n);
	sitemap_soon(rep);
	return (int)n;
}
