/* Unit tests for src/app/sitemap.c: /sitemap.xml is an index of the sitemaps of each kind of page;
 * a kind past the limits (addresses or bytes, lowered here to split the real library) is split into
 * sitemaps of at most that many, together the same addresses in the same order, each valid against
 * the sitemaps.org schema (xmllint) and named by the index; a kind that shrinks leaves no stale
 * sitemap behind; a community refresh rebuilds the community and home sitemaps only. */
#include <stdlib.h>
#include <unistd.h>

#include "app/cache.h"
#include "app/loader.h"
#include "app/site.h"
#include "app/sitemap.h"
#include "app/starter.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "test.h"

static char dbdir[64], dbpath[128];
static struct db *db;

static void setup(void)
{
	log_set_level(LOG_ERROR + 1);
	snprintf(dbdir, sizeof(dbdir), "/tmp/vrc-test-sitemap-XXXXXX");
	char err[256];
	db = mkdtemp(dbdir)
	         ? (snprintf(dbpath, sizeof(dbpath), "%s/vrc.db", dbdir), db_open(dbpath, err, sizeof(err)))
	         : NULL;
	struct load_report rep;
	FILE *devnull = fopen("/dev/null", "w");
	bool ok = db && db_migrate(db) >= 0 && loader_run(db, "content", &rep, devnull) == 0;
	if (devnull)
		fclose(devnull);
	struct site_config cfg = {"https://exit.example/", "https://vrc.example.org", NULL};
	ok = ok && site_init(db, &cfg) == 0;
	static const char *const slugs[] = {"springfield", "ogden", "riverside"};
	for (size_t i = 0; ok && i < 3; i++) {
		struct block_errors errs;
		struct starter_input in = {
		    .slug = slugs[i], .name = slugs[i], .langs = "en,es", .actor = "test"};
		ok = starter_create(db, &in, &errs) > 0;
	}
	CHECK(ok);
	if (!ok)
		exit(1);
}

/* The cached body at path as a string (malloc'd), or NULL. */
static char *cached(const char *path)
{
	struct cache_entry *e = cache_get(path);
	if (!e)
		return NULL;
	struct str s = cache_entry_body(e);
	char *out = strndup(s.p, s.len);
	cache_entry_release(e);
	return out;
}

static bool has(const char *path)
{
	struct cache_entry *e = cache_get(path);
	if (e)
		cache_entry_release(e);
	return e != NULL;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Every sitemap the index names: its path into paths[], and all their <url> entries appended to
 * urls in order; *max_urls and *max_bytes get the largest sitemap's. How many sitemaps. */
static size_t walk(char paths[][64], size_t cap, struct buf *urls, size_t *max_urls, size_t *max_bytes)
{
	char *index = cached("/sitemap.xml");
	size_t n = 0;
	*max_urls = *max_bytes = 0;
	for (const char *p = index; p && (p = strstr(p, "<loc>https://vrc.example.org/")) && n < cap;) {
		p += strlen("<loc>https://vrc.example.org");
		snprintf(paths[n], 64, "%.*s", (int)strcspn(p, "<"), p);
		char *part = cached(paths[n++]);
		CHECK(part != NULL);
		if (!part)
			continue;
		size_t u = count(part, "<url>");
		*max_urls = u > *max_urls ? u : *max_urls;
		*max_bytes = strlen(part) > *max_bytes ? strlen(part) : *max_bytes;
		for (const char *q = part; (q = strstr(q, "<url>"));) {
			const char *end = strstr(q, "</url>");
			buf_append(urls, q, (size_t)(end - q));
			buf_putc(urls, '\n');
			q = end;
		}
		free(part);
	}
	free(index);
	return n;
}

/* xmllint over the index and every sitemap, with the fixture schemas (no network). */
static bool valid(char paths[][64], size_t n)
{
	char file[256], cmd[8192];
	snprintf(file, sizeof(file), "%s/sitemap.xml", dbdir);
	FILE *f = fopen(file, "w");
	char *index = cached("/sitemap.xml");
	fputs(index ? index : "", f);
	fclose(f);
	free(index);
	snprintf(cmd, sizeof(cmd), "xmllint --noout --schema tests/fixtures/siteindex.xsd %s 2>/dev/null",
	         file);
	bool ok = system(cmd) == 0;
	size_t len =
	    (size_t)snprintf(cmd, sizeof(cmd), "xmllint --noout --schema tests/fixtures/sitemap.xsd");
	for (size_t i = 0; i < n && len < sizeof(cmd) - 300; i++) {
		snprintf(file, sizeof(file), "%s%s", dbdir, paths[i]);
		char *body = cached(paths[i]);
		f = fopen(file, "w");
		fputs(body ? body : "", f);
		fclose(f);
		free(body);
		len += (size_t)snprintf(cmd + len, sizeof(cmd) - len, " %s", file);
	}
	snprintf(cmd + len, sizeof(cmd) - len, " 2>/dev/null");
	return ok && system(cmd) == 0;
}

static size_t kind_parts(char paths[][64], size_t n, const char *kind)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += strncmp(paths[i] + 9, kind, strlen(kind)) == 0;
	return k;
}

static void test_split(void)
{
	static char paths[512][64];
	size_t mu, mb;
	struct buf whole = BUF_INIT, split = BUF_INIT, bytes = BUF_INIT;
	sitemap_set_limits(0, 0);
	sitemap_refresh();
	size_t n = walk(paths, 512, &whole, &mu, &mb);
	size_t total = count(whole.p, "<url>");
	CHECK(n == 3 && kind_parts(paths, n, "library") == 1);
	CHECK(total > 60 && count(whole.p, "org/c/riverside</loc>") == 1 &&
	      count(whole.p, "/es/c/ogden</loc>") == 1);
	CHECK(valid(paths, n));

	/* At most 7 addresses a sitemap: the library and the community pages split, in order. */
	sitemap_set_limits(7, 0);
	sitemap_refresh();
	n = walk(paths, 512, &split, &mu, &mb);
	CHECK(mu == 7);
	size_t library = total - 10 - 6; /* less the home and section pages and 3 communities x 2 */
	CHECK(kind_parts(paths, n, "library") == (library + 6) / 7);
	CHECK(kind_parts(paths, n, "communities") == 1 && kind_parts(paths, n, "sections") == 2);
	CHECK(whole.len == split.len && memcmp(whole.p, split.p, whole.len) == 0);
	CHECK(valid(paths, n));
	CHECK(has("/sitemap-library-3.xml"));

	/* At most 3,000 bytes a sitemap. */
	sitemap_set_limits(0, 3000);
	sitemap_refresh();
	size_t nb = walk(paths, 512, &bytes, &mu, &mb);
	CHECK(mb <= 3000 && nb > n / 4);
	CHECK(whole.len == bytes.len && memcmp(whole.p, bytes.p, whole.len) == 0);
	CHECK(valid(paths, nb));

	/* A community refresh leaves the library's sitemaps as they are; a full one shrinks them and
	 * takes the extra ones out of the cache. */
	sitemap_set_limits(0, 0);
	sitemap_refresh_communities();
	struct buf again = BUF_INIT;
	n = walk(paths, 512, &again, &mu, &mb);
	CHECK(kind_parts(paths, n, "library") == kind_parts(paths, nb, "library"));
	CHECK(kind_parts(paths, n, "communities") == 1 && kind_parts(paths, n, "sections") == 1);
	sitemap_refresh();
	n = walk(paths, 512, &again, &mu, &mb);
	CHECK(n == 3);
	CHECK(!has("/sitemap-library-2.xml") && !has("/sitemap-sections-2.xml"));
	buf_free(&whole);
	buf_free(&split);
	buf_free(&bytes);
	buf_free(&again);
}

static void cleanup(void)
{
	site_free();
	db_close(db);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dbdir);
	CHECK(system(cmd) == 0);
}

static const struct test_case tests[] = {
    {"setup", setup},
    {"split", test_split},
    {"cleanup", cleanup},
};
TEST_MAIN(tests)
