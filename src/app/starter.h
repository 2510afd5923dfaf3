/* A new community page from the template (templates/community/starter.json): the key message, the
 * Family Assistance Center with its hours and phone, the FAQ and scam warning every page needs, the
 * national crisis lines (shown by every community page) and the library's first-days resources.
 * The command line and the console's one-form create both come here, so both check the same way. */
#ifndef VRC_STARTER_H
#define VRC_STARTER_H
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "model/block.h"

struct starter_input {
	const char *slug, *name, *place, *date;             /* date: YYYY-MM-DD or NULL */
	const char *langs;                                  /* "en,es" (NULL: en,es) */
	const char *timezone;                               /* NULL: America/New_York */
	const char *key_message;                            /* in English; NULL: the template's */
	const char *street, *city, *state, *postal, *hours; /* the Family Assistance Center; all NULL: none */
	const char *phone;                                  /* a local phone */
	int64_t user_id;                                    /* 0: the command line */
	const char *actor;
};

/* Check in and create the community with its blocks published, in one transaction. The new id;
 * -1 with errs filled (fields "slug", "name", "place", "date", "langs", "timezone", "key_message",
 * "street", "city", "state", "postal", "hours", "phone"); nothing is created then. */
int64_t starter_create(struct db *db, const struct starter_input *in, struct block_errors *errs);

/* A slug from a name, for when none is typed: ASCII letters and digits, the rest as single hyphens
 * (at most 100 bytes; may be empty). In a. */
const char *starter_slug(struct arena *a, const char *name);

#endif
