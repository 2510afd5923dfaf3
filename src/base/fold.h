/* Folding text for search: what a query means, whatever its accents, case and punctuation. libc only. */
#ifndef VRC_FOLD_H
#define VRC_FOLD_H
#include <stddef.h>

#include "base/buf.h"

/* s (n bytes of UTF-8) as words, appended to out: lower case, Latin letters without their accents
 * ("Trámites" → "tramites", "daño" → "dano", "ß" → "ss"), every run of anything that is not a letter
 * or digit (ASCII and Latin-1 punctuation, general punctuation such as ’ “ — , bytes that are not
 * UTF-8) one space, none at either end. Letters of other scripts are kept as they are. */
void fold_words(const char *s, size_t n, struct buf *out);

#endif
