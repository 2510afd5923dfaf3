/* multipart/form-data request bodies (RFC 7578): the boundary from the Content-Type, then the parts.
 * A file part's bytes are not copied: they point into the body, which must outlive the result. */
#ifndef VRC_MULTIPART_H
#define VRC_MULTIPART_H
#include <stddef.h>

#include "base/arena.h"

enum {
	MULTIPART_MAX_PARTS = 64,     /* parts in one body */
	MULTIPART_MAX_HEADER = 4096,  /* bytes of one part's header block */
	MULTIPART_MAX_FILENAME = 255, /* bytes of a cleaned file name (cut at a character boundary) */
};

struct multipart_part {
	const char *name;         /* the field name: valid UTF-8, in the arena */
	const char *filename;     /* a file field's name as sent, without any folder, made valid UTF-8
	                             without control characters (in the arena); "" when no file was
	                             chosen; NULL for a plain field */
	const char *content_type; /* what the client said the part is (never trusted), or NULL */
	const char *data;         /* a plain field: its value, NUL-terminated valid UTF-8 in the arena;
	                             a file: its bytes, inside the body */
	size_t len;
};

struct multipart {
	struct multipart_part parts[MULTIPART_MAX_PARTS];
	size_t n;
};

/* The boundary of a Content-Type value: 1 with *out set (in the arena) for multipart/form-data with a
 * well-formed boundary (1-70 characters, quoted or not); 0 (*out NULL) for any other type or none;
 * -1 for multipart/form-data whose boundary is missing or malformed. */
int multipart_boundary(struct arena *a, const char *content_type, const char **out);
/* Split body (len bytes) into m's parts. -1 when malformed: no opening boundary, a part without a
 * form-data Content-Disposition and name, a header block past MULTIPART_MAX_HEADER, a field name or
 * plain value that is not UTF-8 or holds a NUL, more than MULTIPART_MAX_PARTS parts, or no closing
 * boundary (a truncated body). */
int multipart_parse(struct arena *a, const char *boundary, const char *body, size_t len, struct multipart *m);
/* The first part named name, or NULL. */
const struct multipart_part *multipart_get(const struct multipart *m, const char *name);

#endif
