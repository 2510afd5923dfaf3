/* Shared pieces of the console's editing pages. The database connection is shared by the server's
 * threads, so a change runs under the console's one write lock (publish_lock, shared with the
 * library editor and publishing) from BEGIN to COMMIT, and so does the render that follows it: two
 * saves never interleave, and no render sees another's transaction half-done. */
#include "app/console.h"

#include <stdio.h>
#include <string.h>

#include "app/admin.h"
#include "app/auth.h"
#include "app/publish.h"
#include "app/site.h"
#include "base/log.h"
#include "base/utf8.h"
#include "base/util.h"
#include "model/audit.h"
#include "model/searchindex.h"

void console_error(struct console_errors *e, const char *field, const char *key)
{
	if (console_error_of(e, field) || e->n == CONSOLE_MAX_ERRORS)
		return;
	e->v[e->n].field = field;
	e->v[e->n].key = key;
	e->n++;
}

const char *console_error_of(const struct console_errors *e, const char *field)
{
	for (size_t i = 0; i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return e->v[i].key;
	return NULL;
}

json_t *console_errors_json(const char *lang, const struct console_errors *e)
{
	json_t *o = json_object();
	for (size_t i = 0; i < e->n; i++)
		json_object_set_new(o, e->v[i].field, json_string(admin_text(lang, e->v[i].key)));
	return o;
}

const char *console_text(struct arena *a, const struct form *f, const char *name)
{
	struct str s = str_trim(str_c(form_get(f, name)));
	return arena_strndup(a, s.p, s.len);
}

bool console_fits(const char *s, size_t max)
{
	return utf8_len(s, strlen(s)) <= max;
}

bool console_https(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 || !s[8] || s[8] == '/' || strlen(s) > 2000)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>')
			return false;
	return true;
}

long console_number(const char *s, long min, long max)
{
	long n = 0;
	if (!s || !*s || strlen(s) > 9)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
	}
	return n >= min && n <= max ? n : -1;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

void console_months_ago(time_t now, int months, char out[11])
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct tm tm;
	gmtime_r(&now, &tm);
	int total = (tm.tm_year + 1900) * 12 + tm.tm_mon - months;
	int y = total / 12, m = total % 12;
	int last = days[m] + (m == 1 && leap(y));
	int d = tm.tm_mday < last ? tm.tm_mday : last;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y < 0 ? 0 : y) % 10000u, (unsigned)(m + 1) % 100u,
	         (unsigned)d % 100u);
}

void console_today(time_t now, char out[11])
{
	console_months_ago(now, 0, out);
}

int console_begin(void)
{
	publish_lock();
	if (db_begin(auth_db()) < 0) {
		publish_unlock();
		return -1;
	}
	return 0;
}

int console_commit(void)
{
	int rc = db_commit(auth_db());
	if (rc < 0)
		db_rollback(auth_db());
	publish_unlock();
	return rc;
}

void console_rollback(void)
{
	db_rollback(auth_db());
	publish_unlock();
}

int console_audit(struct request *req, const char *action, const char *object_type, const char *object_id,
                  const char *before, const char *after)
{
	struct auth *st = auth_of(req);
	struct audit_entry e = {
	    .user_id = st->user ? st->user->id : 0,
	    .actor_email = st->user ? st->user->email : NULL,
	    .action = action,
	    .object_type = object_type,
	    .object_id = object_id,
	    .before = before,
	    .after = after,
	    .remote = req->remote,
	};
	return audit_write(auth_db(), &e);
}

int console_refresh_all(void)
{
	struct site_warm_report rep;
	publish_lock();
	searchindex_sync(auth_db()); /* hotlines and topics are searched: no answer kept from before */
	int n = site_refresh_all(&rep);
	publish_unlock();
	if (n < 0 || rep.failed) {
		log_error("console: %zu public page(s) failed to render after a change", rep.failed);
		return -1;
	}
	log_info("console: re-rendered %d public pages", n);
	return 0;
}

int console_store(struct request *req, struct response *resp, const char *type, const char *list,
                  const char *slug, const char *before, const char *after, const char *action,
                  int (*write)(const void *obj), const void *obj)
{
	if (before && strcmp(before, after) == 0)
		return auth_redirect(req, resp, arena_printf(req->arena, "%s?unchanged=%s", list, slug));
	if (console_begin() < 0)
		return admin_error(req, resp, 500, "err_save");
	if (write(obj) < 0 || console_audit(req, action, type, slug, before, after) < 0) {
		console_rollback();
		log_error("console: %s %s could not be saved", type, slug);
		return admin_error(req, resp, 500, "err_save");
	}
	if (console_commit() < 0)
		return admin_error(req, resp, 500, "err_save");
	log_info("console: %s %s by %s", action, slug, auth_of(req)->user->email);
	if (console_refresh_all() < 0)
		return admin_error(req, resp, 500, "err_refresh");
	return auth_redirect(req, resp, arena_printf(req->arena, "%s?saved=%s", list, slug));
}
