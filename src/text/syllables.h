/* Syllable counts of single English and Spanish words, by spelling rules (no dictionary). */
#ifndef VRC_SYLLABLES_H
#define VRC_SYLLABLES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fold a letter (code point c) to the alphabet the rules read: lowercase ASCII, with marks for
 * the accents that matter in Spanish (es) or English; '#' for letters outside Latin-1. */
char syllables_fold(uint32_t c, bool es);
/* Syllables of the folded English word w[0, n); nt: it ended in "n't" (written without the
 * apostrophe). May be below 1: the caller decides what a word's minimum is. */
int syllables_en(const char *w, size_t n, bool nt);
/* Syllables of the folded Spanish word w[0, n): its vowel nuclei; 0 when it has none. */
int syllables_es(const char *w, size_t n);

#endif
