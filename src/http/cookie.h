/* Cookie request headers: find one cookie's value. Parsing only; Set-Cookie values are built by the
 * application, which knows the attributes it wants. */
#ifndef VRC_COOKIE_H
#define VRC_COOKIE_H
#include "base/arena.h"

/* The value of cookie `name` in a Cookie header ("a=1; b=2"), copied into a; NULL when header is
 * NULL, the cookie is absent, or it appears more than once (a tossed duplicate is not trusted). */
const char *cookie_get(struct arena *a, const char *header, const char *name);

#endif
