/* Allocation that never returns NULL: out of memory is not an input error, so it aborts. */
#ifndef VRC_MEM_H
#define VRC_MEM_H
#include <stddef.h>

/* malloc/calloc/realloc/strdup that abort on failure; free with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
