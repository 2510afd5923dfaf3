/* Loads the content library (content/, see content/README.md) into the database: `vrc init`. */
#ifndef VRC_LOADER_H
#define VRC_LOADER_H
#include <stddef.h>
#include <stdio.h>

#include "db/db.h"

struct load_report {
	size_t resources, topics, hotlines, errors;
	size_t updated;   /* resources written because their file is new or changed */
	size_t archived;  /* resources archived because their file is gone */
	size_t retired;   /* topics and hotlines retired because they are gone from their JSON file */
	size_t conflicts; /* changed in the file and in the console: the console's version is kept */
};

/* Validate every file under dir and, when all are valid, save them in one transaction; then archive
 * resources whose file is gone and retire topics and hotlines gone from their JSON, naming each on
 * notes. Each problem is printed to stderr as "path:line: reason". 0 when loaded, -1 otherwise. */
int loader_run(struct db *db, const char *dir, struct load_report *rep, FILE *notes);
struct resource;
/* Called for each resource file that parsed, with its path. */
typedef void (*loader_visit)(const struct resource *r, const char *path, void *arg);
/* Validate only (the content linter): the same checks, nothing saved; visit (may be NULL) sees
 * every resource that parsed. 0 when the library is valid. */
int loader_check(const char *dir, struct load_report *rep, loader_visit visit, void *arg);

#endif
