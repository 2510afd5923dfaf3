/* Site search: /search?q= and /es/search?q=, over the library, topics and hotlines (and whatever else
 * has rows in search_doc). Crisis words first, results cached briefly, a per-address limit on the
 * searches that reach the database. Query text is never logged: only counts are kept. */
#ifndef VRC_APP_SEARCH_H
#define VRC_APP_SEARCH_H
#include <stdint.h>

#include "db/db.h"
#include "http/request.h"
#include "http/response.h"

struct search_config {
	struct db *db;
	unsigned per_minute; /* searches one address may send to the database a minute; 0: no limit */
};

/* Index what changed since the last run and start answering. 0, or -1 (logged). */
int search_init(const struct search_config *cfg);
/* Drop the results cache. */
void search_free(void);
/* GET /search and /es/search: the search page (200), 400 for a query that is not UTF-8, 429 with
 * Retry-After past the limit, 500 (the error page, crisis lines included) when it cannot be built.
 * Always no-store, never in the public page cache. */
int search_page(struct request *req, struct response *resp);

/* What search has done since start: counts only. */
struct search_stats {
	uint64_t searches; /* requests with words to search for */
	uint64_t cached;   /* answered from the results cache */
	uint64_t none;     /* found nothing */
	uint64_t crisis;   /* held crisis words */
	uint64_t limited;  /* answered 429 */
	uint64_t failed;   /* answered 500 */
};
void search_stats(struct search_stats *out);

#endif
