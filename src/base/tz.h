/* The US time zones events are held in: fixed offsets and the US daylight-saving rule (since 2007),
 * enough to turn a local time into UTC and to write an iCalendar VTIMEZONE. libc only: no tzdata. */
#ifndef VRC_TZ_H
#define VRC_TZ_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/str.h"

struct tz_zone {
	const char *name;     /* IANA name, "America/Los_Angeles" */
	int std_min;          /* standard offset from UTC in minutes (-480) */
	bool dst;             /* observes US daylight saving time (+60 minutes) */
	const char *std_abbr; /* "PST" */
	const char *dst_abbr; /* "PDT" (NULL without daylight saving time) */
};

/* The zones, east to west. */
extern const struct tz_zone tz_zones[];
extern const size_t tz_nzones;

/* The zone named name, or NULL. */
const struct tz_zone *tz_find(const char *name);
/* True for a real local time written YYYY-MM-DDTHH:MM (what <input type="datetime-local"> sends). */
bool tz_local_valid(struct str s);
/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t tz_days(int y, int m, int d);
/* The offset from UTC in minutes of local time (YYYY-MM-DDTHH:MM) in z; 0, or -1 when local is not
 * a valid local time. */
int tz_offset(const struct tz_zone *z, const char *local, int *offset_min);
/* Unix time of local time (YYYY-MM-DDTHH:MM) in z. 0 or -1. */
int tz_utc(const struct tz_zone *z, const char *local, int64_t *t);
/* The local time (YYYY-MM-DDTHH:MM, into out) in z of Unix time t; returns the offset in minutes. */
int tz_local(const struct tz_zone *z, int64_t t, char out[17]);
/* Append z as an iCalendar VTIMEZONE component (CRLF line ends) to out. */
void tz_vtimezone(const struct tz_zone *z, struct buf *out);

#endif
