/* The Date header's value (RFC 9110 section 6.6.1), formatted once a second per thread. */
#ifndef VRC_HTTPDATE_H
#define VRC_HTTPDATE_H
#include <stddef.h>

struct http_date {
	long long sec; /* the second it names (Unix time) */
	size_t len;
	char text[32]; /* "Tue, 01 Dec 2026 02:24:42 GMT" */
};

/* Now, as the calling thread last formatted it this second (owned by the thread). */
const struct http_date *http_date_now(void);

#endif
