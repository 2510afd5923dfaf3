/* String view helpers that are too long to inline. */
#include "base/str.h"

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool str_ieq(struct str a, struct str b)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (lower((unsigned char)a.p[i]) != lower((unsigned char)b.p[i]))
			return false;
	return true;
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct str str_trim(struct str s)
{
	while (s.len && space(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && space(s.p[s.len - 1]))
		s.len--;
	return s;
}

bool str_ends(struct str s, struct str suffix)
{
	return s.len >= suffix.len && memcmp(s.p + s.len - suffix.len, suffix.p, suffix.len) == 0;
}
