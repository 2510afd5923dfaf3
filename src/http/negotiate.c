/* Content coding, validators and byte ranges (RFC 9110 sections 8.4, 8.8.3, 13 and 14), decided from
 * header values alone. server.c applies the answers; nothing here allocates but negotiate_etag. */
#include "http/negotiate.h"

#include <string.h>
#include <strings.h>

#include "http/request.h"

/* Preference order: a stored variant costs nothing; brotli is smaller than gzip. */
static const struct {
	unsigned coding;
	bool stored;
} preference[] = {
    {ENC_BR, true},
    {ENC_GZIP, true},
    {ENC_BR, false},
    {ENC_GZIP, false},
};

unsigned negotiate_coding(unsigned accept, const struct offer *o)
{
	bool compressible = o->may_compress && o->len >= 512;
	for (size_t i = 0; i < sizeof(preference) / sizeof(preference[0]); i++) {
		unsigned c = preference[i].coding;
		if ((accept & c) && (preference[i].stored ? (o->have & c) != 0 : compressible))
			return c;
	}
	return 0;
}

bool negotiate_varies(const struct offer *o)
{
	return o->have != 0 || o->may_compress;
}

const char *negotiate_etag(struct arena *a, const char *etag, unsigned coding)
{
	size_t n = etag ? strlen(etag) : 0;
	if (!coding || n < 2 || etag[n - 1] != '"')
		return etag;
	return arena_printf(a, "%.*s-%s\"", (int)(n - 1), etag, coding == ENC_BR ? "br" : "gz");
}

/* The opaque part of an entity tag, without W/ and quotes; false when it is not one. */
static bool opaque_tag(const char **p, struct str *out)
{
	const char *s = *p;
	if (s[0] == 'W' && s[1] == '/')
		s += 2;
	if (*s != '"')
		return false;
	const char *end = strchr(s + 1, '"');
	if (!end)
		return false;
	*out = (struct str){s + 1, (size_t)(end - s - 1)};
	*p = end + 1;
	return true;
}

bool negotiate_etag_matches(const char *if_none_match, const char *etag)
{
	struct str ours, theirs;
	if (!if_none_match || !etag || !opaque_tag(&etag, &ours))
		return false;
	const char *p = if_none_match;
	for (;;) {
		p += strspn(p, " \t,");
		if (*p == '\0')
			return false;
		if (*p == '*')
			return true;
		if (!opaque_tag(&p, &theirs))
			return false;
		if (str_eq(theirs, ours))
			return true;
	}
}

bool negotiate_if_range(const char *if_range, const char *etag)
{
	return if_range && etag && etag[0] == '"' && strcmp(if_range, etag) == 0;
}

/* Decimal digits into *v, saturating at UINT64_MAX; false when there are none. */
static bool digits(const char **p, uint64_t *v)
{
	const char *s = *p;
	*v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		*v = *v > (UINT64_MAX - d) / 10 ? UINT64_MAX : *v * 10 + d;
	}
	if (s == *p)
		return false;
	*p = s;
	return true;
}

int negotiate_range(const char *range, uint64_t size, uint64_t *from, uint64_t *to)
{
	if (!range || strncasecmp(range, "bytes=", 6) != 0)
		return 0;
	const char *p = range + 6;
	uint64_t a, b = UINT64_MAX;
	if (*p == '-') {
		p++;
		if (!digits(&p, &b) || *p)
			return 0;
		if (b == 0 || size == 0)
			return -1;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return 1;
	}
	if (!digits(&p, &a) || *p++ != '-')
		return 0;
	if (*p && !digits(&p, &b))
		return 0;
	if (*p || b < a)
		return 0;
	if (a >= size)
		return -1;
	*from = a;
	*to = b >= size ? size - 1 : b;
	return 1;
}
