/* The page cache: rendered responses with their gzip and brotli variants, keyed by path.
 * A hit needs no database and no rendering. Entries are immutable and reference-counted, so a
 * response can keep sending an entry that a publish has already replaced. */
#ifndef VRC_CACHE_H
#define VRC_CACHE_H
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "http/response.h"

struct cache_entry;

/* Drop every entry. */
void cache_clear(void);
/* A new entry of one reference: copies body, computes the ETag and, when compress is true and the
 * body is worth it, the gzip and brotli variants. content_type and cache_control must be static. */
struct cache_entry *cache_entry_new(int status, const char *content_type, const char *cache_control,
                                    const void *body, size_t len, bool compress);
/* The same, but each variant is made when a request first wants it (cache_serve), or asked for
 * (cache_entry_variant): a page rendered for a waiting client costs one coding, not two. Beyond the
 * budget (or under 512 bytes) it is cache_entry_new. */
struct cache_entry *cache_entry_later(int status, const char *content_type, const char *cache_control,
                                      const void *body, size_t len);
/* What the stored variants' bytes depend on: the coders, their versions and levels. */
const char *cache_coding_stamp(void);
/* A new redirect entry (status 301 or 302) to location (copied). */
struct cache_entry *cache_entry_redirect(int status, const char *location);
/* Store e under key, replacing any old entry; takes over the caller's reference. */
void cache_put(const char *key, struct cache_entry *e);
/* Remove the entry under key, if any (a response still holding it keeps it alive). */
void cache_del(const char *key);
/* The entry under key with a new reference, or NULL. */
struct cache_entry *cache_get(const char *key);
/* Drop one reference. */
void cache_entry_release(struct cache_entry *e);
/* Fill resp from e for a client accepting the ENC_* codings in accept (the variant it takes is made
 * now when still to be made); the response takes over the caller's reference. */
void cache_serve(struct cache_entry *e, struct response *resp, unsigned accept);
/* True when serving e to a client accepting accept makes nothing (what the fast path may send). */
bool cache_entry_ready(struct cache_entry *e, unsigned accept);
/* Call fn for every entry (a reference the callee must release), outside the lock. */
void cache_foreach(void (*fn)(void *ctx, const char *key, struct cache_entry *e), void *ctx);
/* The entries stored now. */
size_t cache_count(void);
/* The identity bytes of e, owned by e (decoded and kept, whatever the budget, when only the
 * variants were kept). */
struct str cache_entry_body(struct cache_entry *e);
/* What e answers: status, Content-Type (NULL for a redirect), Location (or NULL). */
int cache_entry_status(const struct cache_entry *e);
const char *cache_entry_type(const struct cache_entry *e);
const char *cache_entry_location(const struct cache_entry *e);
/* The stored "gzip" or "br" variant of e, made now when still to be made ({NULL, 0} when there is
 * none); owned by e. */
struct str cache_entry_variant(struct cache_entry *e, const char *coding);
/* Keep at most bytes of identity and gzip bodies in memory (default: no limit; set it before the
 * first entry). Every entry keeps its brotli bytes; beyond the budget, an identity request decodes
 * them, and a gzip-only client gets the identity compressed by the server (same page, other bytes:
 * a static export's .gz is always the stored level). */
void cache_set_budget(size_t bytes);
struct cache_stats {
	size_t entries;
	size_t identity, gzip, brotli; /* bytes held */
	size_t budget;                 /* for identity and gzip; SIZE_MAX: none */
};
/* What the cache holds now. */
void cache_stats(struct cache_stats *st);

#endif
