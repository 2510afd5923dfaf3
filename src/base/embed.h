/* Files built into the binary (templates/, i18n/, migrations/, static/): see scripts/embed. */
#ifndef VRC_EMBED_H
#define VRC_EMBED_H
#include <stddef.h>

struct embed_file {
	const char *name;          /* e.g. "templates/layout.html", "static/uswds/css/uswds.min.css" */
	const unsigned char *data; /* NUL-terminated, static */
	size_t len;
};

extern const struct embed_file embed_files[];
extern const size_t embed_count;

/* The embedded file with this name, or NULL. */
const struct embed_file *embed_find(const char *name);

#endif
