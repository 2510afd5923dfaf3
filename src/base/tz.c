/* US daylight saving time: from 02:00 on the second Sunday of March to 02:00 on the first Sunday of
 * November, local time. The hour that does not exist in March and the hour that happens twice in
 * November both count as daylight time. */
#include "base/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

const struct tz_zone tz_zones[] = {
    {"America/Puerto_Rico", -240, false, "AST", NULL}, {"America/New_York", -300, true, "EST", "EDT"},
    {"America/Chicago", -360, true, "CST", "CDT"},     {"America/Denver", -420, true, "MST", "MDT"},
    {"America/Phoenix", -420, false, "MST", NULL},     {"America/Los_Angeles", -480, true, "PST", "PDT"},
    {"America/Anchorage", -540, true, "AKST", "AKDT"}, {"Pacific/Honolulu", -600, false, "HST", NULL},
};
const size_t tz_nzones = sizeof(tz_zones) / sizeof(tz_zones[0]);

const struct tz_zone *tz_find(const char *name)
{
	for (size_t i = 0; name && i < tz_nzones; i++)
		if (strcmp(tz_zones[i].name, name) == 0)
			return &tz_zones[i];
	return NULL;
}

static int num(const char *p, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

bool tz_local_valid(struct str s)
{
	if (s.len != 16 || s.p[10] != 'T' || s.p[13] != ':' || !date_valid((struct str){s.p, 10}))
		return false;
	int h = num(s.p + 11, 2), m = num(s.p + 14, 2);
	return h >= 0 && h < 24 && m >= 0 && m < 60;
}

/* Howard Hinnant's days_from_civil. */
int64_t tz_days(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Day of the month of the nth Sunday (n >= 1) of month m in year y. */
static int nth_sunday(int y, int m, int n)
{
	int64_t first = tz_days(y, m, 1);
	int wday = (int)((first % 7 + 7 + 4) % 7); /* 1970-01-01 was a Thursday; 0 is Sunday */
	return 1 + (7 - wday) % 7 + 7 * (n - 1);
}

int tz_offset(const struct tz_zone *z, const char *local, int *offset_min)
{
	if (!z || !local || !tz_local_valid(str_c(local)))
		return -1;
	*offset_min = z->std_min;
	if (!z->dst)
		return 0;
	int y = atoi(local), mo = num(local + 5, 2), d = num(local + 8, 2), h = num(local + 11, 2);
	/* Minutes into the year's wall clock, compared with the two changes. */
	int64_t t = (tz_days(y, mo, d) * 24 + h) * 60 + num(local + 14, 2);
	int64_t start = (tz_days(y, 3, nth_sunday(y, 3, 2)) * 24 + 2) * 60;
	int64_t end = (tz_days(y, 11, nth_sunday(y, 11, 1)) * 24 + 2) * 60;
	if (t >= start && t < end)
		*offset_min += 60;
	return 0;
}

int tz_utc(const struct tz_zone *z, const char *local, int64_t *t)
{
	int off;
	if (tz_offset(z, local, &off) < 0)
		return -1;
	int64_t days = tz_days(atoi(local), num(local + 5, 2), num(local + 8, 2));
	*t = days * 86400 + num(local + 11, 2) * 3600 + num(local + 14, 2) * 60 - (int64_t)off * 60;
	return 0;
}

/* Civil date of a day count (Howard Hinnant's civil_from_days). */
static void civil(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void format_local(int64_t t, char out[17])
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	int y, m, d;
	civil(days, &y, &m, &d);
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d", y % 10000, m % 100, d % 100,
	         (int)(secs / 3600) % 100, (int)(secs / 60 % 60));
	memcpy(out, tmp, 16);
	out[16] = '\0';
}

int tz_local(const struct tz_zone *z, int64_t t, char out[17])
{
	int off = z->std_min, dst;
	format_local(t + (int64_t)off * 60, out);
	if (z->dst && tz_offset(z, out, &dst) == 0 && dst != off) {
		off = dst;
		format_local(t + (int64_t)off * 60, out);
	}
	return off;
}

static void put_offset(struct buf *out, const char *name, int min)
{
	int a = abs(min);
	buf_printf(out, "%s:%c%02d%02d\r\n", name, min < 0 ? '-' : '+', a / 60, a % 60);
}

void tz_vtimezone(const struct tz_zone *z, struct buf *out)
{
	buf_printf(out, "BEGIN:VTIMEZONE\r\nTZID:%s\r\n", z->name);
	buf_puts(out, "BEGIN:STANDARD\r\n");
	if (z->dst) {
		buf_puts(out, "DTSTART:20071104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n");
		put_offset(out, "TZOFFSETFROM", z->std_min + 60);
	} else {
		buf_puts(out, "DTSTART:19700101T000000\r\n");
		put_offset(out, "TZOFFSETFROM", z->std_min);
	}
	put_offset(out, "TZOFFSETTO", z->std_min);
	buf_printf(out, "TZNAME:%s\r\nEND:STANDARD\r\n", z->std_abbr);
	if (z->dst) {
		buf_puts(out, "BEGIN:DAYLIGHT\r\nDTSTART:20070311T020000\r\n"
		              "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n");
		put_offset(out, "TZOFFSETFROM", z->std_min);
		put_offset(out, "TZOFFSETTO", z->std_min + 60);
		buf_printf(out, "TZNAME:%s\r\nEND:DAYLIGHT\r\n", z->dst_abbr);
	}
	buf_puts(out, "END:VTIMEZONE\r\n");
}
