/* The link and image destinations in a Markdown text, for the content linter. */
#ifndef VRC_MDLINKS_H
#define VRC_MDLINKS_H
#include <stdbool.h>
#include <stddef.h>

/* Call fn once per link or image destination in md. */
void md_links(const char *md, size_t len, void (*fn)(const char *url, void *arg), void *arg);
/* True for a destination our pages may carry: relative, #fragment, or https, http, mailto, tel. */
bool md_link_allowed(const char *url);

#endif
