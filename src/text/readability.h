/* Readability scores for plain-language checks of the content library. */
#ifndef VRC_READABILITY_H
#define VRC_READABILITY_H
#include <stddef.h>

struct readability {
	size_t words, sentences, syllables;
	double grade; /* en: Flesch-Kincaid grade level; es: grade estimated from Fernandez-Huerta */
	double ease;  /* en: Flesch reading ease; es: Fernandez-Huerta ease (0-100+, higher is easier) */
};

/* Score the prose of a Markdown text in language lang ("en" or "es"). Markdown syntax, URLs,
 * table rows, headings and list markers are handled so they do not distort the counts. */
struct readability readability_score(const char *md, size_t len, const char *lang);

#endif
