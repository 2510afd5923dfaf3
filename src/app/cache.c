/* A chained hash table under a reader-writer lock; entries carry atomic reference counts. Every
 * entry keeps its brotli bytes; its identity and gzip bytes are kept while a budget allows (a large
 * site's memory): beyond it, identity is decoded from brotli when asked for (and kept again if the
 * budget allows by then), and a gzip-only client gets the identity compressed by the server.
 *
 * Variants are made with the entry (cache_entry_new), or each by the first request that wants it
 * (cache_entry_later: a page rendered for a waiting visitor is compressed only in the coding that
 * visitor takes, the other when someone asks for it). Either way a variant is made once, at the
 * stored level, so its bytes never depend on which request came first. */
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
	/* The variants: NULL when none, or (when later) not made yet; &none when not worth keeping. */
	_Atomic(struct buf *) gz, br;
	bool later;               /* a variant not made yet is made when first asked for */
	struct prepared prepared; /* the server's wire forms of the bytes this entry owns */
};

struct slot {
	struct slot *next;
	char *key;
	struct cache_entry *e;
};

/* A variant tried and not kept: no smaller than the identity, or gzip beyond the budget. */
static struct buf none;

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
	struct buf *was = NULL;
	if (!atomic_compare_exchange_strong(&e->id, &was, b)) { /* another thread kept it first */
		buf_free(b);
		free(b);
		return true;
	}
	atomic_fetch_add(&held_id, len);
	return true;
}

/* body in coding (ENC_GZIP or ENC_BR) at the stored level, or &none when that fails or saves
 * nothing. */
static struct buf *coded(const void *body, size_t len, unsigned coding)
{
	struct buf *v = xcalloc(1, sizeof(*v));
	if ((coding == ENC_BR ? compress_br(body, len, BROTLI_QUALITY, v)
	                      : compress_gzip(body, len, GZIP_LEVEL, v)) < 0 ||
	    v->len >= len) {
		buf_free(v);
		free(v);
		return &none;
	}
	fit(v);
	return v;
}

static bool real(const struct buf *v)
{
	return v && v != &none;
}

static void variant_free(struct buf *v)
{
	if (real(v)) {
		buf_free(v);
		free(v);
	}
}

static struct cache_entry *entry_new(int status, const char *content_type, const char *cache_control,
                                     const void *body, size_t len)
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
	return e;
}

struct cache_entry *cache_entry_new(int status, const char *content_type, const char *cache_control,
                                    const void *body, size_t len, bool compress)
{
	struct cache_entry *e = entry_new(status, content_type, cache_control, body, len);
	struct buf *gz = NULL, *br = NULL;
	if (compress && len >= 512) {
		gz = coded(body, len, ENC_GZIP);
		br = coded(body, len, ENC_BR);
	}
	if (real(gz) && real(br) && !fits(gz->len)) { /* brotli alone must do */
		variant_free(gz);
		gz = &none;
	}
	atomic_init(&e->gz, gz);
	atomic_init(&e->br, br);
	if (real(gz))
		atomic_fetch_add(&held_gz, gz->len);
	if (real(br))
		atomic_fetch_add(&held_br, br->len);
	keep_identity(e, body, len, !real(br));
	return e;
}

struct cache_entry *cache_entry_later(int status, const char *content_type, const char *cache_control,
                                      const void *body, size_t len)
{
	/* Beyond the budget the identity may not stay: brotli now, as cache_entry_new. */
	if (len < 512 || !fits(len))
		return cache_entry_new(status, content_type, cache_control, body, len, true);
	struct cache_entry *e = entry_new(status, content_type, cache_control, body, len);
	keep_identity(e, body, len, true);
	e->later = true;
	return e;
}

static struct str identity(struct cache_entry *e, struct buf *scratch);

/* e's variant in coding made now from its identity and kept (gzip only within the budget, when
 * brotli is kept), or &none; or the one another thread made first. */
static struct buf *make_variant(struct cache_entry *e, unsigned coding)
{
	struct buf scratch = BUF_INIT;
	struct str id = identity(e, &scratch);
	struct buf *v = coded(id.p, id.len, coding);
	buf_free(&scratch);
	if (coding == ENC_GZIP && real(v) && real(atomic_load(&e->br)) && !fits(v->len)) {
		variant_free(v);
		v = &none;
	}
	_Atomic(struct buf *) *slot = coding == ENC_BR ? &e->br : &e->gz;
	struct buf *was = NULL;
	if (!atomic_compare_exchange_strong(slot, &was, v)) {
		variant_free(v);
		return was;
	}
	if (real(v))
		atomic_fetch_add(coding == ENC_BR ? &held_br : &held_gz, v->len);
	return v;
}

/* e's kept variant in coding, made now when it is still to be made and make is true; NULL when there
 * is none (or none yet). */
static struct buf *variant(struct cache_entry *e, unsigned coding, bool make)
{
	struct buf *v = atomic_load(coding == ENC_BR ? &e->br : &e->gz);
	if (!v && e->later && make)
		v = make_variant(e, coding);
	return real(v) ? v : NULL;
}

/* True when e's variant in coding is still to be made. */
static bool pending(struct cache_entry *e, unsigned coding)
{
	return e->later && !atomic_load(coding == ENC_BR ? &e->br : &e->gz);
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
	struct buf *gz = atomic_load(&e->gz), *br = atomic_load(&e->br);
	if (real(gz))
		atomic_fetch_sub(&held_gz, gz->len);
	if (real(br))
		atomic_fetch_sub(&held_br, br->len);
	variant_free(gz);
	variant_free(br);
	free(e);
}

static void release_hook(void *arg)
{
	cache_entry_release(arg);
}

/* The identity bytes from the brotli variant into out. 0, or -1 (logged: a cache bug). */
static int unbrotli(const struct cache_entry *e, struct buf *out)
{
	const struct buf *br = atomic_load(&e->br);
	buf_reserve(out, e->id_len + 1);
	size_t n = e->id_len;
	if (!real(br) ||
	    BrotliDecoderDecompress(br->len, (const uint8_t *)br->p, &n, (uint8_t *)out->p) !=
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

void cache_serve(struct cache_entry *e, struct response *resp, unsigned accept)
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
	/* The coding this client takes, made now if it is still to be made; then what is already
	 * made (brotli first, as negotiation prefers it). */
	struct buf *br = variant(e, ENC_BR, accept & ENC_BR);
	struct buf *gz = variant(e, ENC_GZIP, (accept & ENC_GZIP) && !br);
	if (gz)
		resp->gz = (struct body_ref){gz->p, gz->len};
	if (br)
		resp->br = (struct body_ref){br->p, br->len};
	/* A variant still to be made keeps the answer varying by Accept-Encoding; gzip dropped for the
	 * budget: a gzip-only client gets it made now. */
	resp->compress = pending(e, ENC_BR) || pending(e, ENC_GZIP) || (!gz && br);
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

struct str cache_entry_variant(struct cache_entry *e, const char *coding)
{
	const struct buf *b = variant(e, strcmp(coding, "br") == 0 ? ENC_BR : ENC_GZIP, true);
	return b ? (struct str){b->p, b->len} : (struct str){NULL, 0};
}

bool cache_entry_ready(struct cache_entry *e, unsigned accept)
{
	if (accept & ENC_BR)
		return !pending(e, ENC_BR) &&
		       (variant(e, ENC_BR, false) || !pending(e, ENC_GZIP) || !(accept & ENC_GZIP));
	return !(accept & ENC_GZIP) || !pending(e, ENC_GZIP);
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
