/* A chained hash table under a reader-writer lock; entries carry atomic reference counts. Every
 * entry keeps its brotli bytes; its identity and gzip bytes are kept while a budget allows (a large
 * site's memory): beyond it, identity is decoded from brotli when asked for (and kept again if the
 * budget allows by then), and a gzip-only client gets the identity compressed by the server. */
#include "app/cache.h"

#include <brotli/decode.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "base/util.h"
#include "http/compress.h"
#include "http/server.h"

#define NBUCKETS 4096

/* The stored variants' levels (libdeflate's gzip, brotli's quality). Measured on 600 pages of the
 * large site (bench/RESULTS.md): gzip 7 is 0.1% smaller than zlib's 9 in 55% of its time; brotli 5
 * is 0.5% larger than 9 in 78% of its time, and 4 is 6.5% larger. The static export writes these
 * same bytes. */
enum { GZIP_LEVEL = 7, BROTLI_QUALITY = 5 };

const char *cache_coding_stamp(void)
{
	static char stamp[128];
	snprintf(stamp, sizeof(stamp), "gzip %d, brotli %d (%s)", GZIP_LEVEL, BROTLI_QUALITY,
	         compress_versions());
	return stamp;
}

struct cache_entry {
	atomic_int refs;
	int status;
	const char *content_type, *cache_control;
	char etag[24];
	char *location;           /* for redirects */
	size_t id_len;            /* the identity length, kept or not */
	_Atomic(struct buf *) id; /* the identity bytes, or NULL when only the variants are kept */
	struct buf gz, br;
	struct prepared prepared; /* the server's wire forms of the bytes this entry owns */
};

struct slot {
	struct slot *next;
	char *key;
	struct cache_entry *e;
};

static struct slot *buckets[NBUCKETS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static size_t count;

/* Bytes held by live entries, by kind, and the most identity and gzip bytes to keep. */
static atomic_size_t held_id, held_gz, held_br;
static size_t budget = SIZE_MAX;

void cache_set_budget(size_t bytes)
{
	budget = bytes;
}

/* True when n more identity or gzip bytes fit the budget. */
static bool fits(size_t n)
{
	return budget == SIZE_MAX || atomic_load(&held_id) + atomic_load(&held_gz) + n <= budget;
}

/* Give back what a compressor reserved beyond what it wrote (its bound is the page's size). */
static void fit(struct buf *b)
{
	if (b->p && b->cap > b->len + 1) {
		b->p = xrealloc(b->p, b->len + 1);
		b->cap = b->len + 1;
	}
}

/* Keep a copy of the identity bytes when the budget allows (or the entry has no other form). */
static bool keep_identity(struct cache_entry *e, const void *body, size_t len, bool must)
{
	if (!must && !fits(len))
		return false;
	struct buf *b = xcalloc(1, sizeof(*b));
	buf_append(b, body, len);
	fit(b);
	struct buf *none = NULL;
	if (!atomic_compare_exchange_strong(&e->id, &none, b)) { /* another thread kept it first */
		buf_free(b);
		free(b);
		return true;
	}
	atomic_fetch_add(&held_id, len);
	return true;
}

struct cache_entry *cache_entry_new(int status, const char *content_type, const char *cache_control,
                                    const void *body, size_t len, bool compress)
{
	struct cache_entry *e = xcalloc(1, sizeof(*e));
	atomic_init(&e->refs, 1);
	e->status = status;
	e->content_type = content_type;
	e->cache_control = cache_control;
	e->id_len = len;
	snprintf(e->etag, sizeof(e->etag), "\"%016" PRIx64 "\"", hash64(body, len));
	e->prepared =
	    (struct prepared){status, content_type, cache_control, e->etag, 0, {NULL, NULL, NULL}, 0};
	if (compress && len >= 512) {
		/* Keep a variant only when it saves something. */
		if (compress_gzip(body, len, GZIP_LEVEL, &e->gz) < 0 || e->gz.len >= len)
			buf_free(&e->gz);
		if (compress_br(body, len, BROTLI_QUALITY, &e->br) < 0 || e->br.len >= len)
			buf_free(&e->br);
	}
	if (e->gz.p && e->br.p && !fits(e->gz.len))
		buf_free(&e->gz);
	fit(&e->gz);
	fit(&e->br);
	atomic_fetch_add(&held_gz, e->gz.len);
	atomic_fetch_add(&held_br, e->br.len);
	keep_identity(e, body, len, !e->br.p);
	return e;
}

struct cache_entry *cache_entry_redirect(int status, const char *location)
{
	struct cache_entry *e = cache_entry_new(status, NULL, "public, max-age=3600", "", 0, false);
	e->etag[0] = '\0';
	e->location = xstrdup(location);
	return e;
}

void cache_entry_release(struct cache_entry *e)
{
	if (!e || atomic_fetch_sub(&e->refs, 1) != 1)
		return;
	server_prepared_free(&e->prepared);
	free(e->location);
	struct buf *id = atomic_load(&e->id);
	if (id) {
		atomic_fetch_sub(&held_id, e->id_len);
		buf_free(id);
		free(id);
	}
	atomic_fetch_sub(&held_gz, e->gz.len);
	atomic_fetch_sub(&held_br, e->br.len);
	buf_free(&e->gz);
	buf_free(&e->br);
	free(e);
}

static void release_hook(void *arg)
{
	cache_entry_release(arg);
}

/* The identity bytes from the brotli variant into out. 0, or -1 (logged: a cache bug). */
static int unbrotli(const struct cache_entry *e, struct buf *out)
{
	buf_reserve(out, e->id_len + 1);
	size_t n = e->id_len;
	if (BrotliDecoderDecompress(e->br.len, (const uint8_t *)e->br.p, &n, (uint8_t *)out->p) !=
	        BROTLI_DECODER_RESULT_SUCCESS ||
	    n != e->id_len) {
		log_error("cache: an entry's brotli bytes do not decode");
		return -1;
	}
	out->len = n;
	out->p[n] = '\0';
	return 0;
}

/* The entry's identity bytes: kept ones, or decoded now and kept when the budget allows, else
 * decoded into scratch (the caller's). */
static struct str identity(struct cache_entry *e, struct buf *scratch)
{
	struct buf *id = atomic_load(&e->id);
	if (!id && unbrotli(e, scratch) == 0 && keep_identity(e, scratch->p, scratch->len, false)) {
		buf_free(scratch);
		id = atomic_load(&e->id);
	}
	if (id)
		return (struct str){id->p ? id->p : "", id->len};
	return (struct str){scratch->p ? scratch->p : "", scratch->len};
}

void cache_serve(struct cache_entry *e, struct response *resp)
{
	response_clear_body(resp);
	resp->status = e->status;
	resp->content_type = e->content_type;
	resp->cache_control = e->cache_control;
	resp->etag = e->etag[0] ? e->etag : NULL;
	resp->location = e->location;
	struct buf scratch = BUF_INIT;
	struct str id = identity(e, &scratch);
	if (scratch.p) /* decoded for this response only: the response owns the bytes */
		resp->body = scratch;
	else
		resp->ref = (struct body_ref){id.p, id.len};
	if (e->gz.p)
		resp->gz = (struct body_ref){e->gz.p, e->gz.len};
	else if (e->br.p)
		resp->compress = true; /* gzip dropped for the budget: a gzip-only client gets it made now */
	if (e->br.p)
		resp->br = (struct body_ref){e->br.p, e->br.len};
	resp->release = release_hook;
	resp->release_arg = e;
	resp->prepared = &e->prepared;
}

struct str cache_entry_body(struct cache_entry *e)
{
	struct buf scratch = BUF_INIT;
	if (!atomic_load(&e->id) && unbrotli(e, &scratch) == 0)
		keep_identity(e, scratch.p, scratch.len, true);
	buf_free(&scratch);
	struct buf *id = atomic_load(&e->id);
	return id ? (struct str){id->p ? id->p : "", id->len} : (struct str){"", 0};
}

int cache_entry_status(const struct cache_entry *e)
{
	return e->status;
}

const char *cache_entry_type(const struct cache_entry *e)
{
	return e->content_type;
}

const char *cache_entry_location(const struct cache_entry *e)
{
	return e->location;
}

struct str cache_entry_variant(const struct cache_entry *e, const char *coding)
{
	const struct buf *b = strcmp(coding, "br") == 0 ? &e->br : &e->gz;
	return (struct str){b->p, b->len};
}

void cache_stats(struct cache_stats *st)
{
	st->entries = cache_count();
	st->identity = atomic_load(&held_id);
	st->gzip = atomic_load(&held_gz);
	st->brotli = atomic_load(&held_br);
	st->budget = budget;
}

static size_t bucket_of(const char *key)
{
	return (size_t)(hash64(key, strlen(key)) % NBUCKETS);
}

void cache_put(const char *key, struct cache_entry *e)
{
	size_t b = bucket_of(key);
	struct cache_entry *old = NULL;
	pthread_rwlock_wrlock(&lock);
	struct slot *s = buckets[b];
	while (s && strcmp(s->key, key) != 0)
		s = s->next;
	if (s) {
		old = s->e;
		s->e = e;
	} else {
		s = xmalloc(sizeof(*s));
		s->key = xstrdup(key);
		s->e = e;
		s->next = buckets[b];
		buckets[b] = s;
		count++;
	}
	pthread_rwlock_unlock(&lock);
	cache_entry_release(old);
}

void cache_del(const char *key)
{
	size_t b = bucket_of(key);
	struct slot *gone = NULL;
	pthread_rwlock_wrlock(&lock);
	for (struct slot **p = &buckets[b]; *p; p = &(*p)->next) {
		if (strcmp((*p)->key, key) == 0) {
			gone = *p;
			*p = gone->next;
			count--;
			break;
		}
	}
	pthread_rwlock_unlock(&lock);
	if (gone) {
		cache_entry_release(gone->e);
		free(gone->key);
		free(gone);
	}
}

struct cache_entry *cache_get(const char *key)
{
	size_t b = bucket_of(key);
	struct cache_entry *e = NULL;
	pthread_rwlock_rdlock(&lock);
	for (struct slot *s = buckets[b]; s; s = s->next) {
		if (strcmp(s->key, key) == 0) {
			e = s->e;
			atomic_fetch_add(&e->refs, 1);
			break;
		}
	}
	pthread_rwlock_unlock(&lock);
	return e;
}

void cache_clear(void)
{
	pthread_rwlock_wrlock(&lock);
	for (size_t b = 0; b < NBUCKETS; b++) {
		struct slot *s = buckets[b];
		while (s) {
			struct slot *next = s->next;
			cache_entry_release(s->e);
			free(s->key);
			free(s);
			s = next;
		}
		buckets[b] = NULL;
	}
	count = 0;
	pthread_rwlock_unlock(&lock);
}

size_t cache_count(void)
{
	pthread_rwlock_rdlock(&lock);
	size_t n = count;
	pthread_rwlock_unlock(&lock);
	return n;
}

void cache_foreach(void (*fn)(void *ctx, const char *key, struct cache_entry *e), void *ctx)
{
	pthread_rwlock_rdlock(&lock);
	size_t n = 0;
	struct slot *copy = xcalloc(count + 1, sizeof(*copy));
	for (size_t b = 0; b < NBUCKETS; b++)
		for (struct slot *s = buckets[b]; s; s = s->next) {
			copy[n].key = xstrdup(s->key);
			copy[n].e = s->e;
			atomic_fetch_add(&s->e->refs, 1);
			n++;
		}
	pthread_rwlock_unlock(&lock);
	for (size_t i = 0; i < n; i++) {
		fn(ctx, copy[i].key, copy[i].e);
		free(copy[i].key);
	}
	free(copy);
}
