/* The published-block memo: a few communities' blocks, each kept with its stored text so a reuse
 * checks the text, not a clock. Bounded (the pages of a community are rendered one after another by
 * the export and the warm, so a few dozen blocks serve nearly every page) and replaced round-robin. */
#include "model/blockmemo.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "view/jsonarena.h"

enum { SLOTS = 64 }; /* 8 kinds: the blocks of 8 communities, about 2 MB */

struct slot {
	int64_t id;
	char *kind, *text;
	json_t *value;
};

static struct {
	pthread_mutex_t lock;
	struct slot slot[SLOTS];
	size_t next; /* the slot to replace next */
} memo = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void decref(void *v)
{
	json_decref(v);
}

static void slot_free(struct slot *s)
{
	free(s->kind);
	free(s->text);
	json_decref(s->value);
	memset(s, 0, sizeof(*s));
}

/* A new reference to the kept value of (id, kind, text), or NULL. */
static json_t *find(int64_t id, const char *kind, const char *text)
{
	json_t *v = NULL;
	pthread_mutex_lock(&memo.lock);
	for (size_t i = 0; i < SLOTS && !v; i++) {
		struct slot *s = &memo.slot[i];
		if (s->value && s->id == id && strcmp(s->kind, kind) == 0 && strcmp(s->text, text) == 0)
			v = json_incref(s->value);
	}
	pthread_mutex_unlock(&memo.lock);
	return v;
}

static void keep(int64_t id, const char *kind, const char *text, json_t *v)
{
	pthread_mutex_lock(&memo.lock);
	struct slot *s = NULL;
	for (size_t i = 0; i < SLOTS && !s; i++)
		if (memo.slot[i].value && memo.slot[i].id == id && strcmp(memo.slot[i].kind, kind) == 0)
			s = &memo.slot[i]; /* the block's older text */
	if (!s)
		s = &memo.slot[memo.next++ % SLOTS];
	slot_free(s);
	*s = (struct slot){id, xstrdup(kind), xstrdup(text), json_incref(v)};
	pthread_mutex_unlock(&memo.lock);
}

json_t *blockmemo_parse(struct arena *a, int64_t id, const char *kind, const char *text, const char *what)
{
	if (!text)
		return NULL;
	json_t *v = find(id, kind, text);
	if (!v) {
		json_error_t e;
		bool arena = jsonarena_pause(); /* kept beyond this page */
		v = json_loads(text, 0, &e);
		jsonarena_resume(arena);
		if (!v) {
			log_error("community: %s is not JSON: %s", what, e.text);
			return NULL;
		}
		keep(id, kind, text, v);
	}
	arena_defer(a, decref, v);
	return v;
}

void blockmemo_clear(void)
{
	pthread_mutex_lock(&memo.lock);
	for (size_t i = 0; i < SLOTS; i++)
		slot_free(&memo.slot[i]);
	memo.next = 0;
	pthread_mutex_unlock(&memo.lock);
}
