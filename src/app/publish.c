/* Publishing: a revision becomes the live resource in one transaction with its audit entry, and the
 * public pages it touches are re-rendered into the cache before the request returns. */
#include "app/publish.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/outside.h"
#include "app/site.h"
#include "base/arena.h"
#include "base/log.h"
#include "model/audit.h"
#include "model/resource.h"
#include "model/revision.h"
#include "model/searchindex.h"
#include "model/user.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void publish_lock(void)
{
	pthread_mutex_lock(&lock);
}

void publish_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

static void today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int refuse(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return -1;
}

static int audit(struct db *db, const struct publish_actor *who, const char *action, const char *slug,
                 const char *before, const char *after)
{
	struct audit_entry e = {.user_id = who->user_id,
	                        .actor_email = who->email,
	                        .action = action,
	                        .object_type = "resource",
	                        .object_id = slug,
	                        .before = before,
	                        .after = after,
	                        .remote = who->remote};
	return audit_write(db, &e);
}

/* Re-render what the change touched; a section the resource left is re-rendered too. */
static void refresh(const char *slug, const char *old_section, const char *new_section)
{
	struct site_warm_report rep;
	if (old_section && new_section && strcmp(old_section, new_section) != 0)
		site_refresh_all(&rep);
	else
		site_refresh_resource(slug, &rep);
	if (rep.failed)
		log_error("publish: %s: %zu page(s) failed to render (see above)", slug, rep.failed);
}

int publish_revision(struct db *db, int64_t id, const struct publish_actor *who, char *err, size_t errlen)
{
	if (!who->name || !*who->name)
		return refuse(err, errlen, "publish_needs_name");
	struct arena *a = arena_new();
	int rc = -1;
	struct revision *rv = revision_get(db, a, id);
	struct resource *live = rv ? resource_get(db, a, rv->r.slug) : NULL;
	if (!rv || !live || (strcmp(rv->state, "draft") != 0 && strcmp(rv->state, "review") != 0)) {
		refuse(err, errlen, "publish_not_open");
		goto done;
	}
	char day[11];
	today(day);
	char *before = resource_encode(live), *after = resource_encode(&rv->r);
	if (db_begin(db) < 0)
		goto fail;
	/* Claimed inside the transaction: the state read above may be stale when several instances share
	 * the database and their schedulers publish the same due revision at once. */
	int claimed = revision_claim(db, id);
	if (claimed == 0) {
		db_rollback(db);
		refuse(err, errlen, "publish_not_open");
		log_info("publish: %s/%s revision %lld was published or closed meanwhile by another writer",
		         live->lang, live->slug, (long long)id);
		goto freed;
	}
	if (claimed < 0 || revision_close_open(db, live->id) < 0 ||
	    resource_publish(db, live->id, &rv->r, who->name, day, who->email) < 0 ||
	    audit(db, who, "publish", live->slug, before, after) < 0) {
		db_rollback(db);
		goto fail;
	}
	if (db_commit(db) < 0)
		goto fail;
	log_info("publish: %s/%s revision %lld by %s", live->lang, live->slug, (long long)id, who->email);
	searchindex_sync(db); /* search finds the new text at once, not an answer kept from before */
	struct resource *now = resource_get(db, a, live->slug);
	refresh(live->slug, live->section, now ? now->section : NULL);
	rc = 0;
	goto freed;
fail:
	refuse(err, errlen, "err_database");
	log_error("publish: revision %lld of %s could not be published: %s", (long long)id, live->slug,
	          db_errmsg(db));
freed:
	free(before);
	free(after);
done:
	arena_free(a);
	return rc;
}

int publish_set_status(struct db *db, int64_t resource_id, const char *status,
                       const struct publish_actor *who, char *err, size_t errlen)
{
	struct arena *a = arena_new();
	int rc = -1;
	struct resource *r = resource_by_id(db, a, resource_id);
	if (!r) {
		refuse(err, errlen, "err_not_found");
		goto done;
	}
	const char *slug = r->slug;
	if (db_begin(db) < 0 || resource_set_status(db, resource_id, status) < 0 ||
	    audit(db, who, strcmp(status, "archived") == 0 ? "archive" : "unarchive", slug, r->status,
	          status) < 0) {
		db_rollback(db);
		refuse(err, errlen, "err_database");
		goto done;
	}
	if (db_commit(db) < 0) {
		refuse(err, errlen, "err_database");
		goto done;
	}
	searchindex_sync(db);
	refresh(slug, NULL, NULL);
	rc = 0;
done:
	arena_free(a);
	return rc;
}

size_t publish_due(struct db *db)
{
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	publish_lock();
	struct arena *a = arena_new();
	struct revision *due;
	size_t n = revision_due(db, a, now, &due), done = 0;
	for (size_t i = 0; i < n; i++) {
		/* The reviewer who scheduled it is the one the page names and the log holds to account. */
		struct user *u = user_find(db, a, due[i].scheduled_by);
		struct publish_actor who = {u ? u->id : 0, u ? u->email : "scheduler", u ? u->name : NULL,
		                            "scheduler"};
		char err[128];
		if (publish_revision(db, due[i].id, &who, err, sizeof(err)) == 0)
			done++;
		else if (strcmp(err, "publish_not_open") != 0) /* else another instance published it */
			log_error("scheduler: revision %lld of %s not published: %s", (long long)due[i].id,
			          due[i].r.slug, err);
	}
	arena_free(a);
	publish_unlock();
	return done;
}

static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running, stop;
	struct db *db;
	unsigned interval_s;
} sched = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* Another instance's publish should reach this one's pages in about a second, not a whole
 * --schedule-every: data_version is read every WATCH_S (an in-memory read), due revisions every
 * interval. Our own content writes take publish_lock: none lands between outside_watch's reads. */
static void watch_external(struct db *db, struct outside *w)
{
	publish_lock();
	outside_watch(db, w);
	publish_unlock();
}

enum { WATCH_S = 1 };

static void *scheduler(void *arg)
{
	(void)arg;
	struct outside seen = OUTSIDE_INIT;
	watch_external(sched.db, &seen);
	pthread_mutex_lock(&sched.mu);
	struct timespec due;
	clock_gettime(CLOCK_MONOTONIC, &due);
	due.tv_sec += sched.interval_s;
	while (!sched.stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += WATCH_S < sched.interval_s ? WATCH_S : sched.interval_s;
		pthread_cond_timedwait(&sched.cv, &sched.mu, &until);
		if (sched.stop)
			break;
		pthread_mutex_unlock(&sched.mu);
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec >= due.tv_sec) {
			publish_due(sched.db);
			due.tv_sec = t.tv_sec + sched.interval_s;
		}
		watch_external(sched.db, &seen);
		pthread_mutex_lock(&sched.mu);
	}
	pthread_mutex_unlock(&sched.mu);
	return NULL;
}

int publish_scheduler_start(struct db *db, unsigned interval_s)
{
	sched.db = db;
	sched.interval_s = interval_s ? interval_s : 30;
	sched.stop = false;
	if (pthread_create(&sched.thread, NULL, scheduler, NULL) != 0) {
		log_error("scheduler: cannot start a thread");
		return -1;
	}
	sched.running = true;
	return 0;
}

void publish_scheduler_stop(void)
{
	if (!sched.running)
		return;
	pthread_mutex_lock(&sched.mu);
	sched.stop = true;
	pthread_cond_signal(&sched.cv);
	pthread_mutex_unlock(&sched.mu);
	pthread_join(sched.thread, NULL);
	sched.running = false;
}
