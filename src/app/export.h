/* vrc export: the whole public site as static files, from the same render path as the server. */
#ifndef VRC_EXPORT_H
#define VRC_EXPORT_H

#include <stdbool.h>

#include "db/db.h"

/* Write every public page, feed, flyer, 410 and error page, static asset and cache entry (with .gz
 * and .br siblings where the server keeps them), and the redirect and gone maps deploy/nginx.conf
 * reads, into dir; site_init must have run. threads: render threads (0: one per core). A progress
 * bar on a terminal and a summary line. precompress false: no .gz and .br siblings (for a CDN that
 * compresses itself). 0, or 1 when a page failed to render or a file could not be written (each
 * named on standard error). */
int export_run(struct db *db, const char *dir, unsigned threads, bool precompress);

#endif
