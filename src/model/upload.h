/* Uploaded files as the database knows them: one row per distinct content (its SHA-256). The bytes
 * are on disk (app/upload.c); this is the SQL. */
#ifndef VRC_UPLOAD_H
#define VRC_UPLOAD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"

struct upload {
	int64_t id;
	const char *sha256;        /* 64 lower-case hex digits */
	const char *stored_name;   /* "<sha256>.<ext>" */
	const char *original_name; /* as the browser sent it (cleaned), for display */
	const char *content_type;  /* sniffed from the bytes */
	const char *kind;          /* "image", "video", "captions", "pdf" */
	int64_t size;
	const char *alt;        /* alternative text or link text; may be empty */
	int64_t user_id;        /* who uploaded it first (0: account gone) */
	const char *user_email; /* theirs, or "" (set by upload_find and upload_list) */
	const char *created_at; /* UTC "YYYY-MM-DDTHH:MM:SSZ" */
};

/* Record u unless its sha256 is known: 1 added (u->id set), 0 already there (nothing changed), -1 on
 * error (logged). */
int upload_add(struct db *db, struct upload *u);
/* The upload with this hash, in a; NULL when there is none. */
struct upload *upload_find(struct db *db, struct arena *a, const char *sha256);
/* Uploads newest first, skipping offset, at most limit; *out is an arena array. */
size_t upload_list(struct db *db, struct arena *a, size_t offset, size_t limit, struct upload **out);
/* How many uploads there are (-1 on error). */
int64_t upload_count(struct db *db);

#endif
