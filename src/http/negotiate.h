/* What to send for a request: which content coding, whether a validator matches, which byte range.
 * Pure functions over header values, so server.c's decisions can be tested without a socket. */
#ifndef VRC_NEGOTIATE_H
#define VRC_NEGOTIATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

/* What a response can be sent as. */
struct offer {
	unsigned have;     /* ENC_* bits of precompressed variants */
	bool may_compress; /* a text body that can be compressed on the fly */
	size_t len;        /* identity length (on-the-fly compression only from 512 bytes) */
};

/* The coding to send (ENC_BR, ENC_GZIP, or 0 for identity) for a client accepting the ENC_* bits:
 * a precompressed variant first (brotli before gzip), else on-the-fly brotli, then gzip. */
unsigned negotiate_coding(unsigned accept, const struct offer *o);
/* True when the response depends on Accept-Encoding (it must carry Vary). */
bool negotiate_varies(const struct offer *o);
/* The ETag of the coded variant: "x" becomes "x-gz" / "x-br" (in arena); etag itself for identity. */
const char *negotiate_etag(struct arena *a, const char *etag, unsigned coding);
/* If-None-Match against our ETag: weak comparison (W/ ignored), lists and "*". False for NULLs. */
bool negotiate_etag_matches(const char *if_none_match, const char *etag);
/* If-Range: true when it is exactly our strong ETag (a weak tag or a date never matches). */
bool negotiate_if_range(const char *if_range, const char *etag);
/* One "bytes=a-b", "bytes=a-" or "bytes=-n" range against size, into [*from, *to]: 1 satisfiable,
 * -1 unsatisfiable (416), 0 ignore the header and send it all (malformed, other units, several ranges). */
int negotiate_range(const char *range, uint64_t size, uint64_t *from, uint64_t *to);

#endif
