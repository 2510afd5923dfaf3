/* Settings an admin changes in the console (table setting, migration 006): review intervals and the
 * like, stored as text under a key. */
#ifndef VRC_SETTING_H
#define VRC_SETTING_H
#include "base/arena.h"
#include "db/db.h"

/* The value stored under key, in a; NULL when there is none. */
const char *setting_get(struct db *db, struct arena *a, const char *key);
/* The value under key as a whole number in [min, max]; def when missing or out of range (logged). */
int setting_int(struct db *db, const char *key, int def, int min, int max);
/* Store value under key (insert or replace). 0 or -1 (logged). */
int setting_set(struct db *db, const char *key, const char *value);

#endif
