/* Opening hours as staff type them ("Mon-Fri 09:00-17:00; Sat 10:00-14:00") and their exceptions
 * ("2026-12-25 closed Christmas Day"): parsed, checked and written back in one canonical form. */
#ifndef VRC_HOURS_H
#define VRC_HOURS_H
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

enum { HOURS_MAX = 14, HOURS_NOTE_MAX = 120 };

/* Days as bits: Monday is bit 0, Sunday bit 6. Times are minutes after midnight (closes <= 1440). */
struct hours_span {
	unsigned days;
	int opens, closes;
};

struct hours_exception {
	char date[11]; /* YYYY-MM-DD */
	bool closed;
	int opens, closes; /* when not closed */
	char note[HOURS_NOTE_MAX * 4 + 1];
};

/* Parse weekly hours (entries separated by ';' or new lines; empty text is no hours): 0 with *n
 * spans in out, or -1 with *err the admin string key of what is wrong ("err_hours_day",
 * "err_hours_time", "err_hours_order", "err_hours_many"). */
int hours_parse(const char *s, struct hours_span out[HOURS_MAX], size_t *n, const char **err);
/* The canonical text of spans ("Mon-Fri 09:00-17:00; Sat 10:00-14:00") appended to out. */
void hours_format(const struct hours_span *spans, size_t n, struct buf *out);
/* Parse exceptions, one per line or ';': "YYYY-MM-DD closed [note]" or "YYYY-MM-DD HH:MM-HH:MM
 * [note]". 0, or -1 with *err as hours_parse ("err_hours_date" for a date that is not one). */
int hours_exceptions_parse(const char *s, struct hours_exception out[HOURS_MAX], size_t *n, const char **err);
/* The canonical text of exceptions appended to out. */
void hours_exceptions_format(const struct hours_exception *ex, size_t n, struct buf *out);
/* "09:00" for 540, into out (at least 6 bytes). */
void hours_hhmm(int minutes, char *out);

#endif
