/* Crisis words: a search about suicide, self-harm or wanting to die, in English or Spanish. */
#ifndef VRC_CRISIS_H
#define VRC_CRISIS_H
#include <stdbool.h>

/* True when folded (words from fold_words: lower case, no accents, single spaces) holds one of the
 * crisis phrases, in either language whatever the page's. */
bool crisis_match(const char *folded);

#endif
