/* Slugs: lowercase letters and digits joined by single hyphens, as in /resources/<slug>. */
#ifndef VRC_SLUG_H
#define VRC_SLUG_H
#include <stdbool.h>

#include "base/str.h"

/* True for a slug: [a-z0-9]+ joined by single hyphens, at most 100 bytes. */
bool slug_valid(struct str s);

#endif
