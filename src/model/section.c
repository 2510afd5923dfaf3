/* The four sections of the library. */
#include "model/section.h"

#include <string.h>

const char *const section_slugs[4] = {"victim-social-services", "social-connection", "health-wellness",
                                      "grief-trauma"};

bool section_valid(const char *slug)
{
	for (size_t i = 0; i < 4; i++)
		if (strcmp(slug, section_slugs[i]) == 0)
			return true;
	return false;
}
