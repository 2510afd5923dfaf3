/* Changes other processes commit to the database (another instance on the same file, `vrc init`,
 * `vrc community create`): noticed by SQLite's data_version, understood through the content_change
 * log of migration 014, and answered by re-rendering just the pages they touch. */
#ifndef VRC_OUTSIDE_H
#define VRC_OUTSIDE_H
#include <stdint.h>

#include "db/db.h"

/* What a server has seen of the database; start with OUTSIDE_INIT. */
struct outside {
	int64_t version; /* PRAGMA data_version, -1 before the first look */
	int64_t last;    /* the last content_change row accounted for */
};
#define OUTSIDE_INIT                                                                                         \
	{                                                                                                    \
		-1, 0                                                                                        \
	}

/* Look once (the scheduler calls it every second, with publish_lock held so that none of our own
 * writes lands in the middle): when another process has committed changes to what public pages are
 * made from, re-render those pages (a resource's, a community's; all of them for a hotline, topic,
 * setting or alert, or when too much changed) and forget kept search answers. A sign-in, a token's use
 * or an audit line on another instance re-renders nothing. */
void outside_watch(struct db *db, struct outside *w);

#endif
