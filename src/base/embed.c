/* Lookup in the generated table of embedded files (sorted by name, so a binary search). */
#include "base/embed.h"

#include <string.h>

const struct embed_file *embed_find(const char *name)
{
	size_t lo = 0, hi = embed_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, embed_files[mid].name);
		if (c == 0)
			return &embed_files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
