/* The one way a console change goes live: in one transaction the live text, the revision's state and
 * an audit entry; then the pages it touches are re-rendered into the cache before returning. Also the
 * scheduler that publishes what a reviewer set for later. */
#ifndef VRC_PUBLISH_H
#define VRC_PUBLISH_H
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* Who makes the change, as the audit log and the public "Last reviewed" line name them. */
struct publish_actor {
	int64_t user_id;    /* 0: the scheduler or the command line */
	const char *email;  /* for the audit log */
	const char *name;   /* display name and credentials: the public "Last reviewed by" */
	const char *remote; /* client address, or "scheduler" */
};

/* Every write the console makes and the render that follows take this lock, so one publish never
 * sees another's half-done transaction on the shared connection. */
void publish_lock(void);
void publish_unlock(void);

/* Make revision id the live text of its resource, reviewed by who on today's date (UTC); other open
 * drafts of the resource are superseded. Then re-render its pages. 0, or -1 with a reason for the user
 * in err (and the log). The caller holds publish_lock. */
int publish_revision(struct db *db, int64_t id, const struct publish_actor *who, char *err, size_t errlen);
/* Take a published resource off the site (its address then answers 410) or put an archived one back
 * (status published). 0 or -1 with err. The caller holds publish_lock. */
int publish_set_status(struct db *db, int64_t resource_id, const char *status,
                       const struct publish_actor *who, char *err, size_t errlen);
/* Publish every revision in review whose scheduled time has come. Returns how many. Takes the lock. */
size_t publish_due(struct db *db);
/* Run publish_due every interval_s seconds in a thread, until publish_scheduler_stop. 0 or -1. */
int publish_scheduler_start(struct db *db, unsigned interval_s);
void publish_scheduler_stop(void);

#endif
