/* Date for every response without gmtime_r and snprintf on each: a thread formats it once a second. */
#include "http/httpdate.h"

#include <stdio.h>
#include <time.h>

const struct http_date *http_date_now(void)
{
	static _Thread_local struct http_date d = {-1, 0, ""};
	struct timespec now;
	clock_gettime(CLOCK_REALTIME_COARSE, &now);
	if ((long long)now.tv_sec != d.sec) {
		static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
		static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
		struct tm tm;
		gmtime_r(&now.tv_sec, &tm);
		int n = snprintf(d.text, sizeof(d.text), "%s, %02d %s %04d %02d:%02d:%02d GMT",
		                 days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
		                 tm.tm_hour, tm.tm_min, tm.tm_sec);
		d.len = n > 0 && (size_t)n < sizeof(d.text) ? (size_t)n : 0;
		d.sec = (long long)now.tv_sec;
	}
	return &d;
}
