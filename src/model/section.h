/* The library's four sections: a fixed table, not data (their names are UI strings). */
#ifndef VRC_SECTION_H
#define VRC_SECTION_H
#include <stdbool.h>

/* The section slugs, in order. */
extern const char *const section_slugs[4];
/* True for one of the four section slugs. */
bool section_valid(const char *slug);

#endif
