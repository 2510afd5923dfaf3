/* Slugs: the names in our URLs and content files. */
#include "base/slug.h"

bool slug_valid(struct str s)
{
	if (s.len == 0 || s.len > 100 || s.p[0] == '-' || s.p[s.len - 1] == '-')
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		if (c == '-') {
			if (s.p[i - 1] == '-')
				return false;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			return false;
		}
	}
	return true;
}
