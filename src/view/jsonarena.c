/* Bump allocation from per-thread chunks; free is a no-op for memory inside them and free() for the
 * rest (values malloc'd outside a render or with the arena paused, and large blocks). The first
 * chunk is kept for the thread's next page. */
#include "view/jsonarena.h"

#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/mem.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n)   ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n)   ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

enum {
	CHUNK = 256 * 1024, /* a page's data takes one or a few */
	LARGE = 16 * 1024,  /* bigger blocks (long strings) are malloc'd */
	ALIGN = 16,
};

/* A chunk's header sits at its start; the space after it is handed out. */
struct chunk {
	struct chunk *next;
	char *base, *end;
	max_align_t align;
};

static pthread_key_t spare_key; /* frees a thread's spare chunk when the thread ends */

static _Thread_local struct {
	unsigned depth; /* jsonarena_begin calls not yet ended */
	bool on;        /* allocating from the chunks (not paused) */
	struct chunk *chunks, *spare;
	char *p, *end; /* free space in chunks (the first) */
} ja;

static struct chunk *chunk_new(void)
{
	struct chunk *c = xmalloc(CHUNK);
	c->base = (char *)c + sizeof(*c);
	c->end = (char *)c + CHUNK;
	c->next = NULL;
	return c;
}

static void *ja_malloc(size_t n)
{
	if (!ja.on || n > LARGE)
		return malloc(n);
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (!ja.chunks || (size_t)(ja.end - ja.p) < need) {
		struct chunk *c = ja.spare ? ja.spare : chunk_new();
		if (ja.spare)
			pthread_setspecific(spare_key, NULL);
		ja.spare = NULL;
		c->next = ja.chunks;
		ja.chunks = c;
		ja.p = c->base, ja.end = c->end;
	}
	void *r = ja.p;
	ja.p += need;
	UNPOISON(r, n);
	return r;
}

static bool inside(const void *p)
{
	for (const struct chunk *c = ja.chunks; c; c = c->next)
		if ((const char *)p >= c->base && (const char *)p < c->end)
			return true;
	return false;
}

static void ja_free(void *p)
{
	if (p && !inside(p))
		free(p);
}

static void spare_free(void *c)
{
	UNPOISON(c, CHUNK);
	free(c);
}

static void setup_once(void)
{
	if (pthread_key_create(&spare_key, spare_free) != 0)
		abort();
	json_set_alloc_funcs(ja_malloc, ja_free);
}

void jsonarena_setup(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, setup_once);
}

void jsonarena_begin(void)
{
	if (ja.depth++ == 0)
		ja.on = true;
}

void jsonarena_end(void)
{
	if (ja.depth == 0 || --ja.depth > 0)
		return;
	ja.on = false;
	for (struct chunk *c = ja.chunks, *next; c; c = next) {
		next = c->next;
		if (!ja.spare) {
			POISON(c->base, (size_t)(c->end - c->base));
			ja.spare = c; /* kept for the next page */
			pthread_setspecific(spare_key, c);
		} else {
			free(c);
		}
	}
	ja.chunks = NULL;
	ja.p = ja.end = NULL;
}

bool jsonarena_pause(void)
{
	bool was = ja.on;
	ja.on = false;
	return was;
}

void jsonarena_resume(bool was_on)
{
	ja.on = was_on;
}
