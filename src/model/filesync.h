/* Keeping rows loaded from content files (topics, hotlines) in step with their files: what changed,
 * what the console changed meanwhile, and retiring rows whose entry is gone. */
#ifndef VRC_FILESYNC_H
#define VRC_FILESYNC_H
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "db/db.h"

/* Set retired = 1 on every row of table (a table with slug and retired columns: "topic", "hotline")
 * still in service whose slug is not in keep, unless the console made or changed it. Their slugs go to
 * *retired (an arena array). Returns the count retired, or -1. */
int filesync_retire_others(struct db *db, struct arena *a, const char *table, const char *const *keep,
                           size_t nkeep, const char ***retired);

enum filesync {
	FILESYNC_WRITE,    /* new, or the file changed and the console did not: load it */
	FILESYNC_SAME,     /* the file's entry is as last loaded: leave the row (and any console edit,
	                      retiring included) */
	FILESYNC_CONFLICT, /* the file changed and so did the console: keep the console's, say so */
	FILESYNC_ERROR
};
/* How the row of table with slug stands against the file entry whose hash is hash. */
enum filesync filesync_check(struct db *db, const char *table, const char *slug, const char *hash);
/* Record that the row now holds the file entry with hash (console_edited cleared, unless keep_console). */
int filesync_mark(struct db *db, const char *table, const char *slug, const char *hash, bool keep_console);

#endif
