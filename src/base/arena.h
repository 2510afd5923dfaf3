/* Per-request arenas: many small allocations, freed together once. */
#ifndef VRC_ARENA_H
#define VRC_ARENA_H
#include <stddef.h>

#include "base/str.h"

struct arena;

/* A new, empty arena. */
struct arena *arena_new(void);
/* Free the arena and everything allocated from it. NULL is ignored. */
void arena_free(struct arena *a);
/* Run the destructors and free everything allocated, keeping one block for the next user. */
void arena_reset(struct arena *a);
/* n bytes, aligned for any type, owned by the arena. Never NULL. */
void *arena_alloc(struct arena *a, size_t n);
/* Zeroed n * size bytes owned by the arena. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/* NUL-terminated copies owned by the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Register a destructor run when the arena is freed (for library objects). */
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);
/* Bytes handed out so far (for limits and tests). */
size_t arena_used(const struct arena *a);

#endif
