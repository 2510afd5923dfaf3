/* The audit log: who did what to which object, when, from where, with the state before and after.
 * Append-only: nothing here updates or deletes a row (and the schema's triggers refuse it). */
#ifndef VRC_AUDIT_H
#define VRC_AUDIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"

struct audit_entry {
	int64_t id;              /* set by audit_list */
	const char *at;          /* UTC "YYYY-MM-DDTHH:MM:SSZ"; set by the database */
	int64_t user_id;         /* the actor's account, 0 when none (a failed sign-in, the command line) */
	const char *actor_email; /* who, as typed or as known */
	const char *action;      /* "signin", "signin_failed", "signout", "password_change", ... */
	const char *object_type; /* "user", "resource", ...; may be NULL */
	const char *object_id;
	const char *before, *after; /* the object's state (JSON or a short text); may be NULL */
	const char *remote;         /* client address, or "cli" */
};

/* Append an entry. 0 or -1 (logged). */
int audit_write(struct db *db, const struct audit_entry *e);
/* Entries at or after since (a date or timestamp; NULL for all) by actor email (NULL for all), oldest
 * first, at most limit; *out is an arena array. */
size_t audit_list(struct db *db, struct arena *a, const char *since, const char *email, size_t limit,
                  struct audit_entry **out);

/* What the console's audit viewer asks for; NULL or 0 fields do not filter. */
struct audit_filter {
	const char *email;       /* the actor's email, exactly (lower-cased by the caller) */
	int64_t user_id;         /* the actor's account */
	const char *action;      /* "hotline_edit", ... */
	const char *object_type; /* "hotline", ... */
	const char *from, *to;   /* dates YYYY-MM-DD, both included */
	size_t limit, offset;    /* a page: at most limit entries after skipping offset */
};
/* Entries matching f, newest first; *more says whether another page follows. *out is an arena array. */
size_t audit_query(struct db *db, struct arena *a, const struct audit_filter *f, struct audit_entry **out,
                   bool *more);
/* The distinct values of column "action" or "object_type" in the log, sorted (for the viewer's
 * filters). Returns the count; *out is an arena array. */
size_t audit_values(struct db *db, struct arena *a, const char *column, const char ***out);

#endif
