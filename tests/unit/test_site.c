/* Unit tests for src/app/site.c: every page of the real library renders with the crisis lines and
 * Quick exit; a page that cannot be rendered (text that is not UTF-8 in the database) answers a 500
 * page that still carries them, is counted for /healthz and leaves the other pages serving; an
 * archived resource answers 410 with a link to its section; the review line says only what happened. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "app/cache.h"
#include "app/loader.h"
#include "app/page.h"
#include "app/site.h"
#include "app/starter.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "model/resource.h"
#include "test.h"

static char dbdir[64], dbpath[128];
static struct db *db;

#define EXIT_URL "https://exit.example/"

static void setup(void)
{
	log_set_level(LOG_ERROR + 1); /* the failures below are expected: keep the output to the checks */
	snprintf(dbdir, sizeof(dbdir), "/tmp/vrc-test-site-XXXXXX");
	char err[256];
	db = mkdtemp(dbdir)
	         ? (snprintf(dbpath, sizeof(dbpath), "%s/vrc.db", dbdir), db_open(dbpath, err, sizeof(err)))
	         : NULL;
	struct load_report rep;
	FILE *devnull = fopen("/dev/null", "w");
	bool ok = db && db_migrate(db) >= 0 && loader_run(db, "content", &rep, devnull) == 0;
	if (devnull)
		fclose(devnull);
	struct site_config cfg = {EXIT_URL, NULL, NULL};
	ok = ok && site_init(db, &cfg) == 0;
	CHECK(ok);
	if (!ok)
		exit(1);
}

/* The page at path as a string (malloc'd) and its status. */
static char *render(const char *path, int *status)
{
	struct buf b = BUF_INIT;
	*status = site_render(path, &b);
	buf_putc(&b, '\0');
	return buf_detach(&b, NULL);
}

/* What every page a visitor can land on must carry, even an error page. */
static bool has_lifelines(const char *html, const char *lang)
{
	char want_lang[32];
	snprintf(want_lang, sizeof(want_lang), "<html lang=\"%s\">", lang);
	return CONTAINS(html, want_lang) && CONTAINS(html, "vrc-crisis-bar") && CONTAINS(html, "tel:988") &&
	       CONTAINS(html, "id=\"crisis-lines\"") && CONTAINS(html, "href=\"" EXIT_URL "\"") &&
	       CONTAINS(html, "/css/vrc.css");
}

static void test_every_page(void)
{
	size_t n;
	char **paths = site_paths(&n);
	CHECK(n >= 2 + 8 + 60);
	size_t bad = 0;
	for (size_t i = 0; i < n; i++) {
		int status;
		char *html = render(paths[i], &status);
		const char *lang = strncmp(paths[i], "/es/", 4) == 0 ? "es" : "en";
		if (status != 200 || !has_lifelines(html, lang) || !CONTAINS(html, "<h1")) {
			fprintf(stderr, "  %s: %d\n", paths[i], status);
			bad++;
		}
		/* The same bytes every time: what the cache holds is what a fresh render gives. */
		int again;
		char *html2 = render(paths[i], &again);
		if (strcmp(html, html2) != 0)
			bad++;
		free(html);
		free(html2);
	}
	CHECK(bad == 0);
	CHECK(site_failing() == 0);
	site_paths_free(paths, n);
}

static void test_review_line(void)
{
	int status;
	char *html = render("/resources/sleep-after-trauma", &status);
	CHECK(status == 200);
	CHECK(CONTAINS(html, "Checked against its sources: <time datetime=\"2026-"));
	CHECK(CONTAINS(html, "Not yet reviewed by a clinician."));
	CHECK(!CONTAINS(html, "Last reviewed"));
	free(html);
	/* A review approved in the console shows its date and the reviewer's name and credentials. */
	CHECK(db_exec(db, "UPDATE resource SET reviewed_at = '2026-12-01', reviewer = 'Ana Ruiz, PhD' "
	                  "WHERE slug = 'sleep-after-trauma'") == 0);
	html = render("/resources/sleep-after-trauma", &status);
	CHECK(CONTAINS(
	    html, "Last reviewed: <time datetime=\"2026-12-01\">December 1, 2026</time> by Ana Ruiz, PhD"));
	CHECK(!CONTAINS(html, "Not yet reviewed"));
	free(html);
	html = render("/es/resources/dormir-despues-del-trauma", &status);
	CHECK(status == 200 && CONTAINS(html, "Todavía no lo ha revisado un profesional clínico."));
	free(html);
}

static void test_invalid_text(void)
{
	/* One byte that is not UTF-8 in a title, written straight into the database. */
	CHECK(db_exec(db, "UPDATE resource SET title = CAST(X'4869FF' AS TEXT) "
	                  "WHERE slug = 'grief-and-prolonged-grief'") == 0);
	int status;
	char *html = render("/resources/grief-and-prolonged-grief", &status);
	CHECK(status == 500);
	CHECK(has_lifelines(html, "en"));
	CHECK(CONTAINS(html, "Something went wrong on our side"));
	CHECK(site_failing() == 1);
	free(html);
	/* The section that lists it still renders, without it. */
	html = render("/grief-trauma", &status);
	CHECK(status == 200 && has_lifelines(html, "en"));
	CHECK(!CONTAINS(html, "/resources/grief-and-prolonged-grief"));
	CHECK(CONTAINS(html, "/resources/when-a-loved-one-is-killed"));
	free(html);
	/* Its translation's language switch no longer leads to the broken page. */
	html = render("/es/resources/el-duelo-y-el-duelo-prolongado", &status);
	CHECK(status == 200 && !CONTAINS(html, "href=\"/resources/grief-and-prolonged-grief\""));
	free(html);
	/* Mended: it renders again and /healthz stops counting it. */
	CHECK(db_exec(db, "UPDATE resource SET title = 'Grief' WHERE slug = 'grief-and-prolonged-grief'") ==
	      0);
	html = render("/resources/grief-and-prolonged-grief", &status);
	CHECK(status == 200 && site_failing() == 0);
	free(html);
	/* A broken hotline is left out of every page; the pages still render. */
	CHECK(db_exec(db, "UPDATE hotline_text SET name = CAST(X'FF' AS TEXT) WHERE hotline_id = "
	                  "(SELECT id FROM hotline WHERE slug = '211') AND lang = 'en'") == 0);
	page_forget(); /* what the console's save does before its re-render */
	html = render("/", &status);
	CHECK(status == 200 && has_lifelines(html, "en") && !CONTAINS(html, "tel:211"));
	free(html);
	CHECK(db_exec(db, "UPDATE hotline_text SET name = '211' WHERE lang = 'en' AND hotline_id = "
	                  "(SELECT id FROM hotline WHERE slug = '211')") == 0);
	page_forget();
}

static void test_gone(void)
{
	CHECK(db_exec(db, "UPDATE resource SET status = 'archived' WHERE slug = 'sleep-after-trauma'") == 0);
	int status;
	char *html = render("/resources/sleep-after-trauma", &status);
	CHECK(status == 410);
	CHECK(has_lifelines(html, "en"));
	CHECK(CONTAINS(html, "This page was taken down"));
	CHECK(CONTAINS(html, "Find related help in <a href=\"/health-wellness\">"));
	free(html);
	/* The section no longer lists it; the enumeration still names its address, for the 410. */
	html = render("/health-wellness", &status);
	CHECK(status == 200 && !CONTAINS(html, "/resources/sleep-after-trauma\""));
	free(html);
	size_t n;
	char **paths = site_paths(&n);
	bool listed = false;
	for (size_t i = 0; i < n; i++)
		listed |= strcmp(paths[i], "/resources/sleep-after-trauma") == 0;
	CHECK(listed);
	site_paths_free(paths, n);
	/* A draft is simply not there. */
	CHECK(db_exec(db, "UPDATE resource SET status = 'draft' WHERE slug = 'sleep-after-trauma'") == 0);
	html = render("/resources/sleep-after-trauma", &status);
	CHECK(status == 404);
	free(html);
	CHECK(db_exec(db, "UPDATE resource SET status = 'published' WHERE slug = 'sleep-after-trauma'") == 0);
}

static void test_named_lines(void)
{
	/* Poison Help is in no page's panel: it shows only where a resource names it. */
	int status;
	char *html = render("/resources/sleep-after-trauma", &status);
	CHECK(status == 200 && !CONTAINS(html, "Help lines for this topic") &&
	      !CONTAINS(html, "tel:18002221222"));
	free(html);
	CHECK(db_exec(db, "INSERT INTO resource_hotline(resource_id, position, hotline_slug) SELECT id, 0, "
	                  "'poison-help' FROM resource WHERE slug = 'sleep-after-trauma'") == 0);
	html = render("/resources/sleep-after-trauma", &status);
	CHECK(status == 200);
	char *section = html ? strstr(html, "Help lines for this topic") : NULL;
	CHECK(CONTAINS(section, "tel:18002221222"));
	free(html);
	html = render("/", &status);
	CHECK(status == 200 && !CONTAINS(html, "tel:18002221222"));
	free(html);
}

static void test_warm(void)
{
	cache_clear();
	struct site_warm_report rep;
	CHECK(site_warm(&rep) == 0);
	CHECK(rep.pages >= 2 + 8 + 58 && rep.failed == 0);
	struct cache_entry *e = cache_get("error:500:es");
	CHECK(e != NULL);
	cache_entry_release(e);
	/* The cache holds what a fresh render gives, byte for byte. */
	size_t n, same = 0;
	char **paths = site_paths(&n);
	for (size_t i = 0; i < n; i++) {
		int status;
		char *fresh = render(paths[i], &status);
		e = cache_get(paths[i]);
		struct str held = e ? cache_entry_body(e) : (struct str){"", 0};
		same += e && held.len == strlen(fresh) && memcmp(held.p, fresh, held.len) == 0;
		cache_entry_release(e);
		free(fresh);
	}
	CHECK(same == n);
	site_paths_free(paths, n);
}

/* What a request for path gets: the cached page, or the page rendered now when a change dropped it. */
static bool cached_has(const char *path, const char *text)
{
	struct cache_entry *e = cache_get(path);
	if (!e)
		e = site_fill(path);
	if (!e)
		return false;
	struct str body = cache_entry_body(e);
	char *copy = strndup(body.p, body.len);
	bool has = CONTAINS(copy, text);
	free(copy);
	cache_entry_release(e);
	return has;
}

/* Publishing re-renders exactly the pages that show the resource, before it returns. */
static void test_refresh(void)
{
	CHECK(db_exec(db,
	              "UPDATE resource SET title = 'Sleep, a new title' WHERE slug = 'sleep-after-trauma'") ==
	      0);
	CHECK(!cached_has("/resources/sleep-after-trauma", "Sleep, a new title"));
	struct site_warm_report rep;
	int n = site_refresh_resource("sleep-after-trauma", &rep);
	CHECK(n > 4 && rep.failed == 0);
	CHECK(cached_has("/resources/sleep-after-trauma", "<h1>Sleep, a new title</h1>"));
	CHECK(cached_has("/health-wellness", "Sleep, a new title"));
	/* Its translation's page is re-rendered too (its language switch, its section): dropped from the
	 * cache and rendered by the worker or its next request. */
	struct cache_entry *e = cache_get("/es/resources/dormir-despues-del-trauma");
	CHECK(e == NULL);
	e = site_fill("/es/resources/dormir-despues-del-trauma");
	CHECK(e != NULL);
	cache_entry_release(e);
	/* A page of the same section whose related cards list it. */
	bool related = false;
	const char *others[] = {"/resources/calming-stress-after-violence", "/resources/caring-for-your-body",
	                        "/resources/sleep-diary-worksheet"};
	for (size_t i = 0; i < 3; i++)
		related |= cached_has(others[i], "Sleep, a new title");
	CHECK(related);
	/* Not in the section's language any more (a draft): the page leaves the cache. */
	CHECK(db_exec(db, "UPDATE resource SET status = 'draft' WHERE slug = 'sleep-after-trauma'") == 0);
	site_refresh_resource("sleep-after-trauma", &rep);
	e = cache_get("/resources/sleep-after-trauma");
	CHECK(e == NULL);
	cache_entry_release(e);
	CHECK(!cached_has("/health-wellness", "Sleep, a new title"));
	CHECK(site_refresh_resource("no-such-resource", &rep) == -1);
}

/* The body of the cached page at path (malloc'd), or NULL. */
static char *cached_body(const char *path)
{
	struct cache_entry *e = cache_get(path);
	if (!e)
		return NULL;
	struct str b = cache_entry_body(e);
	char *copy = strndup(b.p, b.len);
	cache_entry_release(e);
	return copy;
}

/* A resource listed on a community page: changing its title re-renders the community page (both
 * languages), its own pages and every page that links to it, and leaves the others alone (the same
 * entry, not rendered again). */
static void test_refresh_exact(void)
{
	struct block_errors errs;
	struct starter_input in = {.slug = "springfield",
	                           .name = "Springfield Strong",
	                           .place = "Springfield, IL",
	                           .date = "2026-11-20",
	                           .langs = "en,es",
	                           .actor = "test"};
	CHECK(starter_create(db, &in, &errs) > 0);
	cache_clear();
	struct site_warm_report rep;
	CHECK(site_warm(&rep) == 0 && rep.failed == 0);
	/* The first library page the community page lists, and its translation. */
	char *page = cached_body("/c/springfield"), *href = page ? strstr(page, "href=\"/resources/") : NULL;
	CHECK(href != NULL);
	if (!href) {
		free(page);
		return;
	}
	char slug[128];
	snprintf(slug, sizeof(slug), "%.*s", (int)strcspn(href + 17, "\""), href + 17);
	free(page);
	char link[160];
	snprintf(link, sizeof(link), "href=\"/resources/%s\"", slug);
	struct arena *a = arena_new();
	struct resource *r = resource_get(db, a, slug);
	CHECK(r != NULL);
	/* Hold every cached page's entry, so an entry re-rendered is told apart by its address. */
	size_t n;
	char **paths = site_paths(&n);
	struct cache_entry **old = calloc(n, sizeof(*old));
	bool *links = calloc(n, sizeof(*links));
	for (size_t i = 0; i < n; i++) {
		old[i] = cache_get(paths[i]);
		char *body = cached_body(paths[i]);
		links[i] = body && CONTAINS(body, link);
		free(body);
	}
	char q[256];
	snprintf(q, sizeof(q), "UPDATE resource SET title = 'A title changed for the test' WHERE slug = '%s'",
	         slug);
	CHECK(db_exec(db, q) == 0);
	CHECK(site_refresh_resource(slug, &rep) > 0 && rep.failed == 0);
	size_t again = 0, stray = 0;
	for (size_t i = 0; i < n; i++) {
		struct cache_entry *now = cache_get(paths[i]);
		bool rendered = now != old[i];
		again += rendered;
		/* What did not link to it and is no page of its section (its list, its topic's related
		 * cards) must stay. */
		const char *p = strncmp(paths[i], "/es/", 4) == 0 ? paths[i] + 3 : paths[i];
		struct resource *pr = strncmp(p, "/resources/", 11) == 0 ? resource_get(db, a, p + 11) : NULL;
		bool related = links[i] || strcmp(p, "/") == 0 || strstr(p, "/c/springfield") != NULL ||
		               strcmp(p + 1, r->section) == 0 || (pr && strcmp(pr->section, r->section) == 0);
		if (links[i] && !rendered)
			fprintf(stderr, "  %s links to %s but was not re-rendered\n", paths[i], slug),
			    stray++;
		if (rendered && !related)
			fprintf(stderr, "  %s was re-rendered for nothing\n", paths[i]), stray++;
		cache_entry_release(now);
		cache_entry_release(old[i]);
	}
	CHECK(stray == 0);
	CHECK(again >= 3 && again < n / 2);
	CHECK(cached_has("/c/springfield", "A title changed for the test"));
	/* The community's other pages (flyer, feeds) show no library cards: not rendered again. */
	CHECK(cached_has("/es/c/springfield", "/resources/"));
	free(old);
	free(links);
	site_paths_free(paths, n);
	arena_free(a);
}

/* What a thread sees through page_env(): its own connection once page_use_db gave it one, the
 * site's on every other thread. */
struct other_render {
	struct db *db;
	char *page;
	int status;
};

static void *render_elsewhere(void *arg)
{
	struct other_render *o = arg;
	o->db = page_env()->db;
	o->page = render("/resources/calming-stress-after-violence", &o->status);
	return NULL;
}

/* vrc export's render threads each read through a connection of their own (page_use_db): a page
 * rendered on such a thread reads that connection (it sees the connection's own uncommitted change),
 * another thread's page the site's, and without a file there is no second connection. */
static void test_own_connection(void)
{
	char err[256];
	int status;
	char *before = render("/resources/calming-stress-after-violence", &status);
	struct db *own = db_open_again(db, err, sizeof(err));
	CHECK(own != NULL);
	if (!own) {
		free(before);
		return;
	}
	page_use_db(own);
	CHECK(page_env()->db == own);
	char *same = render("/resources/calming-stress-after-violence", &status);
	CHECK(status == 200 && strcmp(same, before) == 0);
	CHECK(db_exec(own,
	              "BEGIN; UPDATE resource SET title = 'Seen only by its own connection' WHERE slug = "
	              "'calming-stress-after-violence'") == 0);
	char *mine = render("/resources/calming-stress-after-violence", &status);
	CHECK(status == 200 && CONTAINS(mine, "Seen only by its own connection"));
	struct other_render o = {0};
	pthread_t t;
	CHECK(pthread_create(&t, NULL, render_elsewhere, &o) == 0 && pthread_join(t, NULL) == 0);
	CHECK(o.db == db && o.status == 200 && o.page && strcmp(o.page, before) == 0);
	db_exec(own, "ROLLBACK");
	page_use_db(NULL);
	CHECK(page_env()->db == db);
	db_close(own);
	free(before), free(same), free(mine), free(o.page);
	struct db *mem = db_open(":memory:", err, sizeof(err));
	CHECK(mem && db_open_again(mem, err, sizeof(err)) == NULL && strstr(err, "in memory"));
	db_close(mem);
}

static void cleanup(void)
{
	site_free();
	db_close(db);
	unlink(dbpath);
	char wal[160];
	snprintf(wal, sizeof(wal), "%s-wal", dbpath);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", dbpath);
	unlink(wal);
	rmdir(dbdir);
}

static const struct test_case tests[] = {
    {"setup", setup},
    {"every page", test_every_page},
    {"review line", test_review_line},
    {"invalid text", test_invalid_text},
    {"gone", test_gone},
    {"named lines", test_named_lines},
    {"warm", test_warm},
    {"refresh", test_refresh},
    {"refresh exact", test_refresh_exact},
    {"own connection", test_own_connection},
    {"cleanup", cleanup},
};
TEST_MAIN(tests)
