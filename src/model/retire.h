/* Retiring rows that `vrc init` no longer finds in their file: kept in the database, off the site. */
#ifndef VRC_RETIRE_H
#define VRC_RETIRE_H
#include <stddef.h>

#include "base/arena.h"
#include "db/db.h"

/* Set retired = 1 on every row of table (a table with slug and retired columns: "topic", "hotline")
 * still in service whose slug is not in keep. Their slugs go to *retired (an arena array).
 * Returns the count retired, or -1. */
int retire_others(struct db *db, struct arena *a, const char *table, const char *const *keep, size_t nkeep,
                  const char ***retired);

#endif
