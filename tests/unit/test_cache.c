/* Unit tests for src/app/cache.c: put, get and replace with reference counts (a replaced entry stays
 * readable while held), compressed variants, cache_serve, and a short run of threads at once. */
#include <brotli/decode.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "app/cache.h"
#include "base/buf.h"
#include "http/request.h"
#include "http/response.h"
#include "test.h"

enum { ALL = ENC_GZIP | ENC_BR };

static int body_is(struct cache_entry *e, const char *want)
{
	struct str s = cache_entry_body(e);
	return str_eqc(s, want);
}

static void test_put_get(void)
{
	cache_clear();
	CHECK(cache_count() == 0);
	CHECK(cache_get("/en/") == NULL);
	cache_put("/en/",
	          cache_entry_new(200, "text/html; charset=utf-8", "no-cache", "<p>home</p>", 11, false));
	cache_put("/es/",
	          cache_entry_new(200, "text/html; charset=utf-8", "no-cache", "<p>inicio</p>", 13, false));
	CHECK(cache_count() == 2);
	struct cache_entry *e = cache_get("/en/");
	CHECK(e != NULL && body_is(e, "<p>home</p>"));
	cache_entry_release(e);
	e = cache_get("/es/");
	CHECK(e != NULL && body_is(e, "<p>inicio</p>"));
	cache_entry_release(e);
	/* Keys are exact. */
	CHECK(cache_get("/en") == NULL);
	CHECK(cache_get("/EN/") == NULL);
	CHECK(cache_get("") == NULL);
	/* Getting twice gives two references to the same entry. */
	struct cache_entry *a = cache_get("/en/"), *b = cache_get("/en/");
	CHECK(a == b && a != NULL);
	cache_entry_release(a);
	cache_entry_release(b);
	cache_entry_release(NULL); /* ignored */
	/* An empty body is an empty string, not NULL. */
	cache_put("/empty", cache_entry_new(204, "text/plain", "no-store", "", 0, true));
	e = cache_get("/empty");
	CHECK(e && cache_entry_body(e).p != NULL && cache_entry_body(e).len == 0);
	cache_entry_release(e);
	/* Many keys, some sharing buckets. */
	char key[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "/k/%d", i);
		cache_put(key, cache_entry_new(200, "text/plain", "no-cache", key, strlen(key), false));
	}
	CHECK(cache_count() == 10003);
	int bad = 0;
	for (int i = 0; i < 10000; i += 7) {
		snprintf(key, sizeof(key), "/k/%d", i);
		e = cache_get(key);
		bad += !e || !body_is(e, key);
		cache_entry_release(e);
	}
	CHECK(bad == 0);
	cache_clear();
	CHECK(cache_count() == 0);
	CHECK(cache_get("/en/") == NULL);
}

static void test_replace(void)
{
	cache_clear();
	cache_put("/p", cache_entry_new(200, "text/html", "no-cache", "old page", 8, false));
	struct cache_entry *held = cache_get("/p");
	CHECK(held != NULL);
	/* A publish replaces the page while a response still sends the old one. */
	cache_put("/p", cache_entry_new(200, "text/html", "no-cache", "new page", 8, false));
	CHECK(cache_count() == 1);
	CHECK(body_is(held, "old page")); /* still valid: ASan would see a use after free */
	struct cache_entry *fresh = cache_get("/p");
	CHECK(fresh != NULL && fresh != held && body_is(fresh, "new page"));
	/* Even after the cache forgets everything, the holders keep their bytes. */
	cache_clear();
	CHECK(body_is(held, "old page") && body_is(fresh, "new page"));
	cache_entry_release(held);
	cache_entry_release(fresh);

	/* Putting back an entry one got from the cache hands its reference over: no change in count. */
	cache_put("/q", cache_entry_new(200, "text/html", "no-cache", "q", 1, false));
	struct cache_entry *q = cache_get("/q");
	cache_put("/q", q);
	q = cache_get("/q");
	CHECK(q && body_is(q, "q"));
	cache_entry_release(q);
	cache_clear();
}

static void test_etag(void)
{
	struct cache_entry *a = cache_entry_new(200, "text/html", "no-cache", "same", 4, false);
	struct cache_entry *b = cache_entry_new(200, "text/html", "no-cache", "same", 4, true);
	struct cache_entry *c = cache_entry_new(200, "text/html", "no-cache", "diff", 4, false);
	struct response ra, rb, rc;
	response_init(&ra);
	response_init(&rb);
	response_init(&rc);
	cache_serve(a, &ra, ALL);
	cache_serve(b, &rb, ALL);
	cache_serve(c, &rc, ALL);
	CHECK(ra.etag && strlen(ra.etag) == 18 && ra.etag[0] == '"' && ra.etag[17] == '"');
	CHECK_STR(ra.etag, rb.etag);
	CHECK(strcmp(ra.etag, rc.etag) != 0);
	response_clear_body(&ra);
	response_clear_body(&rb);
	response_clear_body(&rc);
}

static int gunzip_equals(const struct body_ref *z, const void *want, size_t len)
{
	z_stream s;
	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, 15 + 16) != Z_OK)
		return 0;
	unsigned char *out = malloc(len + 1);
	s.next_in = (Bytef *)(uintptr_t)z->p;
	s.avail_in = (uInt)z->len;
	s.next_out = out;
	s.avail_out = (uInt)(len + 1);
	int rc = inflate(&s, Z_FINISH);
	int ok = rc == Z_STREAM_END && s.total_out == len && memcmp(out, want, len) == 0;
	inflateEnd(&s);
	free(out);
	return ok;
}

static int unbrotli_equals(const struct body_ref *z, const void *want, size_t len)
{
	size_t n = len + 1;
	unsigned char *out = malloc(n);
	int ok = BrotliDecoderDecompress(z->len, z->p, &n, out) == BROTLI_DECODER_RESULT_SUCCESS &&
	         n == len && memcmp(out, want, len) == 0;
	free(out);
	return ok;
}

static void test_variants(void)
{
	struct buf page = BUF_INIT;
	for (int i = 0; i < 400; i++)
		buf_printf(&page, "<li class=\"usa-card\">Resource %d: help after violence</li>\n", i);
	struct response r;
	response_init(&r);

	/* A large compressible page: both variants, both smaller, both decode to the page. */
	cache_serve(cache_entry_new(200, "text/html", "no-cache", page.p, page.len, true), &r, ALL);
	CHECK(r.gz.p != NULL && r.br.p != NULL);
	CHECK(r.gz.len > 0 && r.gz.len < page.len / 4);
	CHECK(r.br.len > 0 && r.br.len < page.len / 4);
	CHECK(gunzip_equals(&r.gz, page.p, page.len));
	CHECK(unbrotli_equals(&r.br, page.p, page.len));

	/* Not asked to compress (an image, say): no variants. */
	cache_serve(cache_entry_new(200, "image/png", "no-cache", page.p, page.len, false), &r, ALL);
	CHECK(r.gz.p == NULL && r.br.p == NULL);
	CHECK(r.ref.len == page.len);

	/* A tiny body: not worth it. */
	cache_serve(cache_entry_new(200, "text/html", "no-cache", "<p>hi</p>", 9, true), &r, ALL);
	CHECK(r.gz.p == NULL && r.br.p == NULL);
	CHECK(r.ref.len == 9 && memcmp(r.ref.p, "<p>hi</p>", 9) == 0);

	/* Incompressible bytes: a variant that saves nothing is dropped. */
	size_t len = 20000;
	unsigned char *noise = malloc(len);
	uint32_t x = 88172645u;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		noise[i] = (unsigned char)x;
	}
	cache_serve(cache_entry_new(200, "application/octet-stream", "no-cache", noise, len, true), &r, ALL);
	CHECK(r.gz.p == NULL || r.gz.len < len);
	CHECK(r.br.p == NULL || r.br.len < len);
	CHECK(r.ref.len == len && memcmp(r.ref.p, noise, len) == 0);
	free(noise);
	response_clear_body(&r);
	buf_free(&page);
}

/* A page made for a waiting client: only the coding that client takes is made, the other when first
 * asked for; the bytes are the same as made at once, whichever came first. */
static void test_later(void)
{
	struct buf page = BUF_INIT;
	for (int i = 0; i < 300; i++)
		buf_printf(&page, "<li class=\"usa-card\">Resource %d: after violence</li>\n", i);
	struct cache_entry *now = cache_entry_new(200, "text/html", "no-cache", page.p, page.len, true);
	struct str gz_now = cache_entry_variant(now, "gzip"), br_now = cache_entry_variant(now, "br");
	CHECK(gz_now.p && br_now.p);

	/* A gzip-only client: gzip made, brotli not yet; the answer still varies. */
	struct cache_entry *e = cache_entry_later(200, "text/html", "no-cache", page.p, page.len);
	CHECK(!cache_entry_ready(e, ENC_GZIP) && !cache_entry_ready(e, ALL) && cache_entry_ready(e, 0));
	struct response r;
	response_init(&r);
	cache_serve(e, &r, ENC_GZIP);
	CHECK(r.gz.p && r.gz.len == gz_now.len && memcmp(r.gz.p, gz_now.p, gz_now.len) == 0);
	CHECK(r.br.p == NULL);
	CHECK(r.compress); /* Vary: Accept-Encoding, as for the others */
	CHECK(r.ref.len == page.len && memcmp(r.ref.p, page.p, page.len) == 0);
	CHECK(cache_entry_ready(e, ENC_GZIP) && !cache_entry_ready(e, ENC_BR)); /* r holds e */
	response_clear_body(&r);

	/* Identity: nothing made. */
	e = cache_entry_later(200, "text/html", "no-cache", page.p, page.len);
	cache_serve(e, &r, 0);
	CHECK(r.gz.p == NULL && r.br.p == NULL && r.compress);
	CHECK(r.ref.len == page.len);
	response_clear_body(&r);

	/* A brotli client first, then gzip: each made once, equal to what cache_entry_new makes. */
	e = cache_entry_later(200, "text/html", "no-cache", page.p, page.len);
	cache_serve(e, &r, ALL);
	CHECK(r.br.p && r.br.len == br_now.len && memcmp(r.br.p, br_now.p, br_now.len) == 0);
	CHECK(r.gz.p == NULL && r.compress);
	CHECK(cache_entry_ready(e, ALL) && cache_entry_ready(e, ENC_BR) && !cache_entry_ready(e, ENC_GZIP));
	struct str gz = cache_entry_variant(e, "gzip");
	CHECK(gz.p && gz.len == gz_now.len && memcmp(gz.p, gz_now.p, gz.len) == 0);
	CHECK(cache_entry_ready(e, ENC_GZIP));
	response_clear_body(&r);

	/* A tiny page is made as cache_entry_new makes it: nothing to make later. */
	e = cache_entry_later(200, "text/html", "no-cache", "<p>hi</p>", 9);
	CHECK(cache_entry_ready(e, ALL));
	cache_serve(e, &r, ALL);
	CHECK(r.gz.p == NULL && r.br.p == NULL && !r.compress);
	response_clear_body(&r);

	/* Beyond the memory budget brotli is made at once, and the identity not kept. */
	struct cache_stats st;
	cache_stats(&st);
	cache_set_budget(st.identity + st.gzip);
	e = cache_entry_later(200, "text/html", "no-cache", page.p, page.len);
	CHECK(cache_entry_ready(e, ENC_BR));
	cache_stats(&st);
	CHECK(st.identity + st.gzip <= st.budget);
	CHECK(str_eqc(cache_entry_body(e), page.p)); /* decoded from brotli */
	cache_entry_release(e);
	cache_set_budget(SIZE_MAX);

	cache_entry_release(now);
	buf_free(&page);
}

static void test_serve(void)
{
	cache_clear();
	cache_put("/404", cache_entry_new(404, "text/html; charset=utf-8", "no-store", "<h1>Not found</h1>",
	                                  18, true));
	struct response r;
	response_init(&r);
	/* A body the handler had started is dropped in favour of the entry. */
	buf_puts(&r.body, "stale");
	struct cache_entry *e = cache_get("/404");
	CHECK(e != NULL);
	if (!e)
		return;
	cache_serve(e, &r, ALL);
	CHECK(r.status == 404);
	CHECK_STR(r.content_type, "text/html; charset=utf-8");
	CHECK_STR(r.cache_control, "no-store");
	CHECK(r.etag && r.etag[0] == '"');
	CHECK(r.ref.len == 18 && memcmp(r.ref.p, "<h1>Not found</h1>", 18) == 0);
	CHECK(r.body.len == 0);
	CHECK(r.fd == -1);
	CHECK(r.release != NULL && r.release_arg == e);
	/* The response's reference outlives the cache's. */
	cache_clear();
	CHECK(memcmp(r.ref.p, "<h1>Not found</h1>", 18) == 0);
	/* Serving another entry into the same response releases the first (LeakSanitizer checks). */
	cache_serve(cache_entry_new(200, "text/plain", "no-cache", "next", 4, false), &r, ALL);
	CHECK(r.status == 200 && r.ref.len == 4);
	response_clear_body(&r);
	CHECK(r.release == NULL && r.ref.p == NULL);
}

/* ---- threads ---- */

#define NTHREADS 6
#define NKEYS    8
#define ROUNDS   3000

static atomic_int mismatches;
static atomic_int hits;

/* Every body under key k starts with "k<k>:", so a reader can tell a wrong or torn entry. */
static void *worker(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + 1;
	char key[16], body[1200];
	struct response r;
	response_init(&r);
	for (int i = 0; i < ROUNDS; i++) {
		seed = seed * 1103515245u + 12345u;
		int k = (int)((seed >> 16) % NKEYS), op = (int)((seed >> 8) % 16);
		snprintf(key, sizeof(key), "/t/%d", k);
		if (op < 4) {
			/* Some bodies large enough to get compressed variants. */
			size_t n =
			    (size_t)snprintf(body, sizeof(body), "k%d:%d:%*d", k, i, op == 0 ? 900 : 10, i);
			cache_put(key, op == 1
			                   ? cache_entry_later(200, "text/html", "no-cache", body, n)
			                   : cache_entry_new(200, "text/html", "no-cache", body, n, op == 0));
		} else if (op == 15 && i % 500 == 0) {
			cache_clear();
		} else {
			struct cache_entry *e = cache_get(key);
			if (!e)
				continue;
			atomic_fetch_add(&hits, 1);
			char want[8];
			int wn = snprintf(want, sizeof(want), "k%d:", k);
			struct str s = cache_entry_body(e);
			if (s.len < (size_t)wn || memcmp(s.p, want, (size_t)wn) != 0)
				atomic_fetch_add(&mismatches, 1);
			if (op < 10) {
				cache_serve(e, &r, (unsigned)op % 4); /* hold it in a response for a while */
				if (r.ref.len != s.len || (r.gz.p && !gunzip_equals(&r.gz, s.p, s.len)) ||
				    (r.br.p && !unbrotli_equals(&r.br, s.p, s.len)))
					atomic_fetch_add(&mismatches, 1);
			} else {
				cache_entry_release(e);
			}
		}
		if (i % 64 == 0)
			response_clear_body(&r);
		(void)cache_count();
	}
	response_clear_body(&r);
	return NULL;
}

static void test_threads(void)
{
	cache_clear();
	pthread_t th[NTHREADS];
	int started = 0;
	for (int i = 0; i < NTHREADS; i++)
		started += pthread_create(&th[i], NULL, worker, (void *)(uintptr_t)(i + 1)) == 0;
	CHECK(started == NTHREADS);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	CHECK(atomic_load(&mismatches) == 0);
	CHECK(atomic_load(&hits) > 0);
	CHECK(cache_count() <= NKEYS);
	cache_clear();
	CHECK(cache_count() == 0);
}

static const struct test_case tests[] = {
    {"put_get", test_put_get},   {"replace", test_replace}, {"etag", test_etag},
    {"variants", test_variants}, {"later", test_later},     {"serve", test_serve},
    {"threads", test_threads},
};
TEST_MAIN(tests)
