/* Cookie header parsing (RFC 6265 section 5.4 order: "name=value" pairs joined by "; "). */
#include "http/cookie.h"

#include <string.h>

#include "base/str.h"

/* The next "name=value" pair of s, advancing s past it; false at the end. */
static bool next_pair(struct str *s, struct str *name, struct str *value)
{
	while (s->len && (s->p[0] == ' ' || s->p[0] == ';' || s->p[0] == '\t'))
		s->p++, s->len--;
	if (!s->len)
		return false;
	const char *semi = memchr(s->p, ';', s->len);
	struct str pair = {s->p, semi ? (size_t)(semi - s->p) : s->len};
	s->p += pair.len, s->len -= pair.len;
	const char *eq = memchr(pair.p, '=', pair.len);
	*name = str_trim((struct str){pair.p, eq ? (size_t)(eq - pair.p) : 0});
	*value =
	    eq ? str_trim((struct str){eq + 1, pair.len - (size_t)(eq + 1 - pair.p)}) : (struct str){"", 0};
	if (value->len >= 2 && value->p[0] == '"' && value->p[value->len - 1] == '"')
		value->p++, value->len -= 2;
	return true;
}

const char *cookie_get(struct arena *a, const char *header, const char *name)
{
	if (!header)
		return NULL;
	struct str s = str_c(header), n, v, found = {NULL, 0};
	while (next_pair(&s, &n, &v)) {
		if (!str_eqc(n, name))
			continue;
		if (found.p)
			return NULL;
		found = v;
	}
	return found.p ? arena_strndup(a, found.p, found.len) : NULL;
}
