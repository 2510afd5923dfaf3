/* Unit tests for src/base/fold.c: case, Latin accents, punctuation of every kind as one space, other
 * scripts kept, bytes that are not UTF-8 made spaces. */
#include <stdlib.h>

#include "base/fold.h"
#include "test.h"

static char *fold(const char *s)
{
	struct buf b = BUF_INIT;
	fold_words(s, strlen(s), &b);
	size_t n;
	return buf_detach(&b, &n);
}

#define FOLDS(in, want)                                                                                      \
	do {                                                                                                 \
		char *got_ = fold(in);                                                                       \
		CHECK_STR(got_, want);                                                                       \
		free(got_);                                                                                  \
	} while (0)

static void test_fold_case_and_accents(void)
{
	FOLDS("Trámites", "tramites");
	FOLDS("AUTOLESIÓN", "autolesion");
	FOLDS("hacerme daño", "hacerme dano");
	FOLDS("Ñandú pingüino", "nandu pinguino");
	FOLDS("Straße Æsir Þorn", "strasse aesir thorn");
	FOLDS("café ÀÉÎÕÜ ÿ", "cafe aeiou y");
}

static void test_fold_separators(void)
{
	FOLDS("  ¿Qué es   la compensación?  ", "que es la compensacion");
	FOLDS("self-harm", "self harm");
	FOLDS("don’t “quote” — dash…", "don t quote dash");
	FOLDS("<script>alert(1)</script>", "script alert 1 script");
	FOLDS("NEAR(\"a\" * b) AND OR", "near a b and or");
	FOLDS("×÷«»¡", "");
	FOLDS("", "");
	FOLDS("\t\n", "");
}

static void test_fold_other_scripts_and_bad_bytes(void)
{
	FOLDS("горе grief", "горе grief");
	FOLDS("悲しみ", "悲しみ");
	FOLDS("a\xff"
	      "b\xc3",
	      "a b");
	FOLDS("\xe2\x80", "");
}

static const struct test_case tests[] = {
    {"fold_case_and_accents", test_fold_case_and_accents},
    {"fold_separators", test_fold_separators},
    {"fold_other_scripts_and_bad_bytes", test_fold_other_scripts_and_bad_bytes},
};
TEST_MAIN(tests)
