/* HTML form bodies (application/x-www-form-urlencoded) and query strings, decoded into an arena. */
#ifndef VRC_FORM_H
#define VRC_FORM_H
#include <stddef.h>

#include "base/arena.h"

enum { FORM_MAX_FIELDS = 160 };

struct form_field {
	const char *name, *value; /* decoded, NUL-terminated, valid UTF-8, in the arena */
};

struct form {
	struct form_field fields[FORM_MAX_FIELDS];
	size_t n;
};

/* Decode body (len bytes; '+' is a space, %XX a byte) into f. -1 on a malformed escape, invalid
 * UTF-8, a NUL or more than FORM_MAX_FIELDS fields: the caller answers 400. */
int form_parse(struct arena *a, const char *body, size_t len, struct form *f);
/* The first value of field name, or NULL. */
const char *form_get(const struct form *f, const char *name);

#endif
