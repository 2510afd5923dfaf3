/* Failed sign-in counting per key ("account:<email>", "address:<ip>"), for rate limits that hold
 * across restarts and, on a shared database, across instances. */
#ifndef VRC_THROTTLE_H
#define VRC_THROTTLE_H
#include <stdint.h>

#include "db/db.h"

struct throttle_rule {
	unsigned limit;      /* failures within window_s that lock the key */
	unsigned window_s;   /* failures older than this are forgotten */
	unsigned lock_s;     /* the first lock; each further failure doubles it ... */
	unsigned lock_max_s; /* ... up to this */
};

/* Seconds until key may try again at now (0: it may). */
int64_t throttle_wait(struct db *db, const char *key, int64_t now);
/* Count a failure of key at now; returns the seconds it is now locked for (0: not locked). */
int64_t throttle_fail(struct db *db, const char *key, const struct throttle_rule *rule, int64_t now);
/* Forget key's failures (after a success). */
void throttle_clear(struct db *db, const char *key);

#endif
