/* What the console's editing pages (hotlines, topics, settings) share: field errors shown in the
 * form's language, form text read and checked, one write at a time (the change and its audit entry in
 * one transaction), and the dates behind "due for review". */
#ifndef VRC_CONSOLE_H
#define VRC_CONSOLE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/arena.h"
#include "http/form.h"
#include "http/request.h"
#include "http/response.h"

enum { CONSOLE_MAX_ERRORS = 48 };

/* Field errors of one form: the field's name and the admin string key of its message. */
struct console_errors {
	struct {
		const char *field, *key;
	} v[CONSOLE_MAX_ERRORS];
	size_t n;
};

/* Record key as field's error (a field keeps its first error). */
void console_error(struct console_errors *e, const char *field, const char *key);
/* The error key of field, or NULL. */
const char *console_error_of(const struct console_errors *e, const char *field);
/* The errors as {field: message in lang}. A new reference. */
json_t *console_errors_json(const char *lang, const struct console_errors *e);

/* Field name of f with white space trimmed at both ends, in a; "" when absent. */
const char *console_text(struct arena *a, const struct form *f, const char *name);
/* True when s holds at most max characters (code points). */
bool console_fits(const char *s, size_t max);
/* True for an https:// address with a host and no white space or control characters. */
bool console_https(const char *s);
/* A whole number in [min, max] written in decimal digits only; -1 otherwise. */
long console_number(const char *s, long min, long max);
/* The date months before the day of now (UTC) as YYYY-MM-DD into out (11 bytes); the day is clamped
 * to the end of a shorter month (31 March less one month is 28 or 29 February). */
void console_months_ago(time_t now, int months, char out[11]);
/* Today (UTC) as YYYY-MM-DD into out (11 bytes). */
void console_today(time_t now, char out[11]);

/* One console change at a time: begin a transaction on the admin database (0 or -1), then commit
 * (0 or -1; it rolls back on failure) or roll back. Every path that begins must commit or roll back. */
int console_begin(void);
int console_commit(void);
void console_rollback(void);
/* Append the request's audit entry inside the transaction. 0 or -1 (logged). */
int console_audit(struct request *req, const char *action, const char *object_type, const char *object_id,
                  const char *before, const char *after);
/* Re-render every public page (hotlines and topics appear on all of them) before the request returns.
 * 0, or -1 when a page failed to render (logged by the site). */
int console_refresh_all(void);
/* Save a console object (a hotline, a topic): nothing when after equals before (its stored JSON, NULL
 * for a new one); else write(obj) and an audit entry of type/slug in one transaction, then re-render
 * every public page. Answers the request: a redirect to list?saved=slug (or ?unchanged=slug), or an
 * error page. */
int console_store(struct request *req, struct response *resp, const char *type, const char *list,
                  const char *slug, const char *before, const char *after, const char *action,
                  int (*write)(const void *obj), const void *obj);

#endif
