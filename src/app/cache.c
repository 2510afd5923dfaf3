/* A chained hash table under a reader-writer lock; entries carry atomic reference counts. */
#include "app/cache.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/util.h"
#include "http/compress.h"
#include "http/server.h"

#define NBUCKETS 4096

struct cache_entry {
	atomic_int refs;
	int status;
	const char *content_type, *cache_control;
	char etag[24];
	char *location; /* for redirects */
	struct buf id, gz, br;
	struct prepared prepared; /* the server's wire forms of id, gz and br */
};

struct slot {
	struct slot *next;
	char *key;
	struct cache_entry *e;
};

static struct slot *buckets[NBUCKETS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static size_t count;

struct cache_entry *cache_entry_new(int status, const char *content_type, const char *cache_control,
                                    const void *body, size_t len, bool compress)
{
	struct cache_entry *e = xcalloc(1, sizeof(*e));
	atomic_init(&e->refs, 1);
	e->status = status;
	e->content_type = content_type;
	e->cache_control = cache_control;
	buf_append(&e->id, body, len);
	snprintf(e->etag, sizeof(e->etag), "\"%016" PRIx64 "\"", hash64(body, len));
	e->prepared = (struct prepared){status, content_type, cache_control, e->etag, 0, {NULL, NULL, NULL}};
	if (compress && len >= 512) {
		/* Keep a variant only when it saves something. */
		if (compress_gzip(body, len, 9, &e->gz) < 0 || e->gz.len >= len)
			buf_free(&e->gz);
		if (compress_br(body, len, 9, &e->br) < 0 || e->br.len >= len)
			buf_free(&e->br);
	}
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
	buf_free(&e->id);
	buf_free(&e->gz);
	buf_free(&e->br);
	free(e);
}

static void release_hook(void *arg)
{
	cache_entry_release(arg);
}

void cache_serve(struct cache_entry *e, struct response *resp)
{
	response_clear_body(resp);
	resp->status = e->status;
	resp->content_type = e->content_type;
	resp->cache_control = e->cache_control;
	resp->etag = e->etag[0] ? e->etag : NULL;
	resp->location = e->location;
	resp->ref = (struct body_ref){e->id.p ? e->id.p : "", e->id.len};
	if (e->gz.p)
		resp->gz = (struct body_ref){e->gz.p, e->gz.len};
	if (e->br.p)
		resp->br = (struct body_ref){e->br.p, e->br.len};
	resp->release = release_hook;
	resp->release_arg = e;
	resp->prepared = &e->prepared;
}

struct str cache_entry_body(const struct cache_entry *e)
{
	return buf_str(&e->id);
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
